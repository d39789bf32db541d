"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models

from complaintdesk.core.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest (core/crypto.py). Python code reads and writes plain text; the
    database holds only ciphertext. It cannot be filtered or ordered on in the database: find such
    values through the blind index."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) and value and not value.startswith("enc1:") else value
