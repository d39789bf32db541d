"""Helpers for the portal tests: a valid portal form, small real files, the last code sent."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def png_bytes() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(**overrides: Any) -> dict[str, Any]:
    """A complete portal form for the phone maker's "product" category."""
    data: dict[str, Any] = {
        "category": "product",
        "customer.last_name": "Carter", "customer.first_name": "Emily", "customer.phone": "13812345678",
        "customer.email": "", "customer.address": "",
        "reason_codes": "product_quality/software",
        "reason": "Calls drop after the update",
        "description": "Since the last update calls drop after about one minute.",
        "customer_request": "Fix within one week or refund",
        "facts.model": "Reno 8 Pro", "facts.imei": "490154203237518",
        "facts.fault_scenario": "Calls drop after 60 s",
        "consent": "yes",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def last_code(complaint: Any = None) -> str:
    from complaintdesk.notify.models import Message

    message = Message.objects.filter(kind="portal_code").order_by("-id").first()
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match is not None
    return match.group(1)
