"""Masking contact data that a reader has not revealed: addresses and timeline entries.

The phone, e-mail, IMEI and social-account masks are in complaints/selectors.py; this module adds
the address and applies every mask to the free-form ``data`` of timeline entries, so that no answer
carries a contact datum the reader did not reveal (and each reveal is audited by its caller)."""

from __future__ import annotations

from typing import Any

from complaintdesk.complaints.selectors import mask_account, mask_email, mask_imei, mask_phone


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
