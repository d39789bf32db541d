"""Domain errors. Services raise them; the web and API layers turn them into answers once.

Messages are lazy translations, rendered in the language active when the answer is written, so a
caller gets every problem of a request in its own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: Message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": str(self.message)}


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: Message, *, problems: Iterable[FieldProblem] = ()) -> None:
        super().__init__(str(message))
        self.message = message
        self.problems = list(problems)

    def as_dict(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": str(self.message),
            "fields": [problem.as_dict() for problem in self.problems],
        }


class ValidationFailed(DomainError):
    code = "invalid"
    status = 422

    def __init__(self, problems: Iterable[FieldProblem], message: Message | None = None) -> None:
        problems = list(problems)
        super().__init__(message or _("The request has %(count)d problem(s).") % {"count": len(problems)},
                         problems=problems)


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class PreconditionRequired(DomainError):
    """A change that must say which version it read (If-Match) did not."""

    code = "precondition_required"
    status = 428


class StaleVersion(Conflict):
    code = "stale"


class InvalidTransition(Conflict):
    code = "invalid_transition"


def error_text(exc: DomainError) -> str:
    """One line for a page's error banner: every field problem, or the error's message."""
    if isinstance(exc, ValidationFailed) and exc.problems:
        return " ".join(str(p.message) for p in exc.problems)
    return str(exc.message)


class Problems:
    """Collects field problems so that one answer lists all of them."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: Message) -> None:
        self.items.append(FieldProblem(field, message))

    def has(self, field: str) -> bool:
        return any(item.field == field for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)
