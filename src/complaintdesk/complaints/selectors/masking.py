"""Masked forms of the customer's contact data for roles that may not see it in full."""

from __future__ import annotations

from typing import Any


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


def mask_address(value: str) -> str:
    """The first part of an address (city or district), the rest hidden."""
    text = value.strip()
    if not text:
        return ""
    keep = min(6, len(text) // 3)
    return f"{text[:keep]}****"


def mask_contact(value: str) -> str:
    """A recipient: an e-mail address or a phone number."""
    return mask_email(value) if "@" in value else mask_phone(value)


_MASKS = {
    "recipient": mask_contact,
    "phone": mask_phone,
    "email": mask_email,
    "imei": mask_imei,
    "address": mask_address,
    "social_account": mask_account,
}


def mask_data(data: Any) -> Any:
    """A copy of a timeline entry's data with every contact value masked, at any depth."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for name, value in data.items():
            mask = _MASKS.get(str(name))
            out[name] = mask(value) if mask is not None and isinstance(value, str) else mask_data(value)
        return out
    if isinstance(data, list):
        return [mask_data(item) for item in data]
    return data
