"""Sections of the complaint detail page and of the customer page contributed by other apps (plans
and approvals, return visits…), each a template with its own context, registered in the app's
AppConfig.ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]  # None: the panel is not shown
    column: str = "main"  # "main" or "side"


PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if all(existing.template != panel.template for existing in PANELS):
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)


def render_context(request: HttpRequest, complaint: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"main": [], "side": []}
    for panel in PANELS:
        context = panel.context(request, complaint)
        if context is not None:
            out[panel.column].append({"template": panel.template, "context": context})
    return out


@dataclass(frozen=True)
class CustomerPanel:
    order: int
    template: str
    context: Callable[[HttpRequest, list[Any]], dict[str, Any] | None]  # given the complaints shown


CUSTOMER_PANELS: list[CustomerPanel] = []


def register_customer(panel: CustomerPanel) -> None:
    if all(existing.template != panel.template for existing in CUSTOMER_PANELS):
        CUSTOMER_PANELS.append(panel)
        CUSTOMER_PANELS.sort(key=lambda p: p.order)


def customer_context(request: HttpRequest, complaints: list[Any]) -> list[dict[str, Any]]:
    out = []
    for panel in CUSTOMER_PANELS:
        context = panel.context(request, complaints)
        if context is not None:
            out.append({"template": panel.template, "context": context})
    return out
