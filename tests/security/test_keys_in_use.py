"""The keys in use are kept by name (a bulk import asks for them several times a row) and looked up
again when the settings naming their directory change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from complaintdesk.core.keys import forget, key, key_file


def test_a_changed_key_directory_gives_that_directory_s_keys(settings: Any, tmp_path: Path) -> None:
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "first"
    first = key("search")
    assert key_file("search").read_text().strip() == first.hex()
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "second"
    second = key("search")
    assert second != first and key_file("search").read_text().strip() == second.hex()
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "first"
    assert key("search") == first


def test_a_key_replaced_on_disk_is_read_again_after_forget(settings: Any, tmp_path: Path) -> None:
    settings.COMPLAINTDESK_KEYS_DIR = tmp_path / "keys"
    old = key("audit")
    key_file("audit").write_text("ab" * 32 + "\n")
    assert key("audit") == old  # kept while in use
    forget()
    assert key("audit") == bytes.fromhex("ab" * 32)
