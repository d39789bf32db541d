"""Encryption at rest of personal data: AES-256-GCM under the ``data`` key (core/keys.py), which
lives outside the database. A value is stored as ``enc1:`` + base64(nonce ‖ ciphertext ‖ tag); a
random nonce per value, so equal phones give different ciphertexts and nothing can be matched in
the database: contact data is found through the keyed blind index (complaints/contact_index.py).
A value without the prefix (written before encryption was introduced, or by a bulk loader) is read
as it is and encrypted on its next save."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from complaintdesk.core.keys import key

PREFIX = "enc1:"
_AAD = b"complaintdesk/data"


class Undecryptable(ValueError):
    """A stored value cannot be decrypted with the key (wrong key, or the value was changed)."""


def encrypt(text: str, data_key: bytes | None = None) -> str:
    if not text:
        return text
    nonce = os.urandom(12)
    sealed = AESGCM((data_key or key("data"))[:32]).encrypt(nonce, text.encode(), _AAD)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(value: str, data_key: bytes | None = None) -> str:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        raw = base64.urlsafe_b64decode(value[len(PREFIX):].encode("ascii"))
        return AESGCM((data_key or key("data"))[:32]).decrypt(raw[:12], raw[12:], _AAD).decode()
    except Exception as exc:  # InvalidTag, binascii.Error, UnicodeDecodeError: all mean "not ours"
        raise Undecryptable("a stored value cannot be decrypted with the data key") from exc
