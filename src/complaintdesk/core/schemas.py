"""The API's error answer, shared by every app's router (DESIGN.md §5: one shape for every error)."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorFieldOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    error: str
    message: str
    fields: list[ErrorFieldOut] = Field(default_factory=list)


# the error answers an endpoint documents besides its success
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                   422: ErrorOut}
