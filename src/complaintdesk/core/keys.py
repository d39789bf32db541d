"""Secret keys kept outside the database.

Each purpose has its own key so that one can be rotated without the others:

- ``search``: the keyed blind index of phones, e-mail addresses, IMEIs and social-media accounts;
- ``audit``: the HMAC of every audit event and the signature of the chain-head checkpoint;
- ``data``: AES-256-GCM encryption at rest of the customer's phone, e-mail, social-media account,
  address, the product's IMEI and message recipients (core/crypto.py).

A key is read from the environment variable ``COMPLAINTDESK_KEY_<NAME>`` (at least 32 bytes, written
as hex) or else from the file ``<COMPLAINTDESK_KEYS_DIR>/<name>.key`` (default ``var/keys``). A missing
file is created with 32 random bytes, readable by its owner only, in a directory only the owner may
enter. The database never holds a key, so a copy of the database alone can neither recompute the
audit chain nor test guesses of a phone number against the blind index.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

KEY_NAMES = ("search", "audit", "data")
KEY_BYTES = 32

# the keys in use, by name (a bulk import asks for keys several times a row: reading the settings
# that name the directory on each call cost more than the HMAC the key is for); emptied when those
# settings change and by ``forget``
_current: dict[str, bytes] = {}


class KeyUnusable(RuntimeError):
    """A configured key cannot be used."""


def keys_dir() -> Path:
    return Path(getattr(settings, "COMPLAINTDESK_KEYS_DIR", Path(settings.VAR_DIR) / "keys"))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) and make it enterable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _from_env(name: str) -> bytes | None:
    raw = os.environ.get(f"COMPLAINTDESK_KEY_{name.upper()}", "").strip()
    if not raw:
        return None
    try:
        value = bytes.fromhex(raw)
    except ValueError as exc:
        raise KeyUnusable(f"COMPLAINTDESK_KEY_{name.upper()} must be written as hex") from exc
    if len(value) < KEY_BYTES:
        raise KeyUnusable(f"COMPLAINTDESK_KEY_{name.upper()} must hold at least {KEY_BYTES} bytes")
    return value


def key_file(name: str) -> Path:
    if name not in KEY_NAMES:
        raise KeyUnusable(f"unknown key {name!r}; keys: {', '.join(KEY_NAMES)}")
    return keys_dir() / f"{name}.key"


def _from_file(name: str) -> bytes:
    path = key_file(name)
    if not path.exists():
        private_dir(path.parent)
        # written beside, then linked into place: two processes starting together agree on one key
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    try:
        value = bytes.fromhex(path.read_text().strip())
    except ValueError as exc:
        raise KeyUnusable(f"{path} must hold the key written as hex") from exc
    if len(value) < KEY_BYTES:
        raise KeyUnusable(f"{path} must hold at least {KEY_BYTES} bytes")
    return value


def key(name: str) -> bytes:
    """The key for ``name`` (``search``, ``audit`` or ``data``)."""
    value = _current.get(name)
    if value is not None:
        return value
    if name not in KEY_NAMES:
        raise KeyUnusable(f"unknown key {name!r}; keys: {', '.join(KEY_NAMES)}")
    value = _current[name] = _from_env(name) or _from_file(name)
    return value


def forget() -> None:
    """Drop the keys read so far (after a rotation or a restore)."""
    _current.clear()


def _directory_changed(*, setting: str, **_kwargs: object) -> None:
    """The settings that name the key directory changed (tests, ``override_settings``): the keys are
    read again from there."""
    if setting in ("COMPLAINTDESK_KEYS_DIR", "VAR_DIR"):
        _current.clear()


setting_changed.connect(_directory_changed, dispatch_uid="complaintdesk.core.keys")


def replace_key(name: str) -> tuple[Path, Path]:
    """Write a new random key for ``name`` and keep the old file beside it as ``<name>.key.previous``;
    returns (key file, previous file). Keys given by the environment are rotated by the operator."""
    if _from_env(name) is not None:
        raise KeyUnusable(f"COMPLAINTDESK_KEY_{name.upper()} is set: rotate it where it is configured")
    path = key_file(name)
    key(name)  # the current key exists before it is replaced
    previous = path.with_name(path.name + ".previous")
    os.replace(path, previous)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    forget()
    return path, previous


def undo_replace(path: Path, previous: Path) -> None:
    os.replace(previous, path)
    forget()
