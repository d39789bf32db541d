"""Masked forms of the customer's contact data for roles that may not see it in full."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = value.lstrip("+")
    if value.startswith("+86") and len(digits) == 13:
        local = digits[2:]
        return f"{local[:3]}****{local[-4:]}"
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:4]}****{value[-4:]}"


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return value
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_imei(value: str) -> str:
    if not value:
        return ""
    return f"{value[:4]}*******{value[-4:]}"


def mask_account(value: str) -> str:
    if len(value) <= 2:
        return value
    return f"{value[:2]}***"
