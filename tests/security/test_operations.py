"""Operations: backup and restore with a verify step, private files, security headers, no inline
scripts, 404 outside a role's scope, uploads typed by their content."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Problems
from orgkit import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src/complaintdesk"


def test_pages_carry_a_content_security_policy_and_no_store(org: Any, api: Any, registration: Any) -> None:
    client = Client()
    login_page = client.get("/login/")
    policy = login_page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    client.login(username="agent", password=PASSWORD)
    page = client.get("/complaints/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    number = api("agent").post("/complaints", registration()).json_body["number"]
    response = api("agent").get(f"/complaints/{number}")
    assert "no-store" in response["Cache-Control"]


def test_no_template_runs_an_inline_script() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=\s*\"", re.IGNORECASE)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_production_settings_turn_on_hsts(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COMPLAINTDESK_PRODUCTION": "1",
           "COMPLAINTDESK_SECRET_KEY": "x" * 50, "COMPLAINTDESK_VAR_DIR": str(tmp_path / "var")}
    code = "import complaintdesk.settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == [str(365 * 24 * 3600), "True"]


def test_a_complaint_outside_the_scope_is_404_like_a_missing_one(org: Any, api: Any, registration: Any) -> None:
    number = api("agent").post("/complaints", registration()).json_body["number"]
    handler = api("handler")
    hidden = handler.get(f"/complaints/{number}")
    missing = handler.get("/complaints/TS-19990101-9999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json_body["error"] == missing.json_body["error"] == "not_found"
    client = Client()
    client.force_login(org["handler"])
    assert client.get(f"/complaints/{number}/").status_code == 404


@pytest.mark.parametrize(("content", "accepted"), [
    (b"RIFF\x00\x00\x00\x00not an image at all, just text", False),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24, True),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, True),
    (b"%PDF-1.7\n" + b"\x00" * 32, True),
    (b"MZ\x90\x00" + b"\x00" * 60, False),
])
def test_uploads_are_typed_by_their_content(content: bytes, accepted: bool) -> None:
    from complaintdesk.complaints.services.work import check_upload

    problems = Problems()
    check_upload(SimpleUploadedFile("photo.webp", content, "image/webp"), "files[0]", problems)
    assert bool(problems) is not accepted


def test_var_and_uploaded_files_are_private(org: Any, settings: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    assert stat.S_IMODE(Path(settings.VAR_DIR).stat().st_mode) == 0o700
    name = default_storage.save("test-private/photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    try:
        assert stat.S_IMODE(Path(default_storage.path(name)).stat().st_mode) == 0o600
    finally:
        default_storage.delete(name)


def test_the_secret_key_is_not_in_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files", "src/complaintdesk/var", "var"], cwd=ROOT, capture_output=True,  # noqa: S607
                             text=True, check=True).stdout
    assert tracked.strip() == ""


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "complaintdesk", *args], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(ROOT / "src")}, timeout=300, check=False)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(org_tx: Any, registration: Any, child_env: dict[str, str],
                                       tmp_path: Path) -> None:
    from complaintdesk.complaints.schemas import ComplaintIn
    from complaintdesk.complaints.services import complaint_register
    from complaintdesk.core.keys import keys_dir

    env = {**child_env, "COMPLAINTDESK_VAR_DIR": str(tmp_path / "var"), "COMPLAINTDESK_KEYS_DIR": str(keys_dir())}
    kept = complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration()).to_input())
    uploads = tmp_path / "var" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "proof.png").write_bytes(b"\x89PNG\r\n\x1a\nproof")
    archive = tmp_path / "backup.tar.gz"
    made = _cli("backup", str(archive), env=env)
    assert made.returncode == 0, made.stderr
    assert "1 complaints" in made.stdout and stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "uploads/proof.png", "keys/search.key", "keys/audit.key", "secret_key",
            "audit.checkpoint"} <= names and any(n.startswith("database.") for n in names)
    assert _cli("backup", str(archive), "--check", env=env).returncode == 0

    # life goes on after the backup: another complaint, a lost upload
    complaint_register(actor=org_tx["agent"], data=ComplaintIn(**registration(reason="Later complaint")).to_input())
    (uploads / "proof.png").unlink()
    restored = _cli("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "audit verify: 0 problem(s)" in restored.stdout
    assert list(Complaint.objects.values_list("number", flat=True)) == [kept.number]
    assert (uploads / "proof.png").read_bytes().endswith(b"proof")


def test_a_damaged_backup_is_refused(tmp_path: Path, child_env: dict[str, str]) -> None:
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(b"\x1f\x8b not really a backup")
    env = {**child_env, "COMPLAINTDESK_VAR_DIR": str(tmp_path / "var")}
    checked = _cli("backup", str(damaged), "--check", env=env)
    assert checked.returncode == 1 and "not a readable backup" in checked.stderr
    restored = _cli("restore", str(damaged), env=env)
    assert restored.returncode == 1 and "not a readable backup" in restored.stderr
