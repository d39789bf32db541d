"""The peer's URLs: helpdesk at the root (its REST API is at /api/)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
