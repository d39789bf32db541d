"""``complaintdesk backup FILE`` and ``complaintdesk restore FILE``.

A backup is one tar file (mode 0600) holding everything a restore needs and nothing else:

- ``database.sqlite3`` (SQLite's online backup API: consistent while the service runs) or
  ``database.pgdump`` (``pg_dump --format=custom``);
- ``uploads/``: the attachments (MEDIA_ROOT);
- ``keys/``: the search, audit and data keys, ``secret_key``: Django's secret key (survey links are signed
  with it) — each only when it is kept in a file rather than given by the environment;
- ``audit.checkpoint``: the signed head of the audit chain;
- ``manifest.json``: when, from which database, how many complaints and audit events, and the
  SHA-256 of every other member.

Both commands verify: a backup is read back and checked against its manifest (and the SQLite copy
passes ``PRAGMA integrity_check``, the PostgreSQL dump is listed by ``pg_restore``) before it is
reported done; a restore checks the archive the same way before it touches anything, and afterwards
checks the restored chain with ``audit verify``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.audit import checkpoint_path
from complaintdesk.core.keys import forget, keys_dir, private_dir
from complaintdesk.core.models import AuditEvent

FORMAT = 1


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    conf = connection.settings_dict
    env = dict(os.environ)
    env.update({"PGHOST": str(conf.get("HOST") or "127.0.0.1"), "PGPORT": str(conf.get("PORT") or 5432),
                "PGUSER": str(conf.get("USER") or "postgres"), "PGDATABASE": str(conf["NAME"])})
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return env


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],  # noqa: S607
                                env=_pg_env(), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return "database.pgdump"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def _secret_key_file() -> Path | None:
    path = Path(settings.VAR_DIR) / "secret_key"
    return path if path.exists() and not os.environ.get("COMPLAINTDESK_SECRET_KEY") else None


def _counts() -> dict[str, int]:

    return {"complaints": Complaint.objects.count(), "audit_events": AuditEvent.objects.count()}


def backup(target: Path) -> dict[str, Any]:
    """Write the backup to ``target`` and verify it; return its manifest."""

    with tempfile.TemporaryDirectory(prefix="complaintdesk-backup-") as tmp:
        staging = Path(tmp)
        members: dict[str, Path] = {}
        dump = staging / "database"
        members[_dump_database(dump)] = dump
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"uploads/{path.relative_to(media).as_posix()}"] = path
        keys = keys_dir()
        if keys.exists():
            for path in sorted(keys.glob("*.key")):
                members[f"keys/{path.name}"] = path
        secret = _secret_key_file()
        if secret is not None:
            members["secret_key"] = secret
        checkpoint = checkpoint_path()
        if checkpoint.exists():
            members["audit.checkpoint"] = checkpoint
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "database": connection.vendor,
                    "counts": _counts(), "files": {name: _sha256(path) for name, path in members.items()}}
        partial = target.with_name(f".{target.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(str(path), arcname=name, recursive=False)
        verify(partial)
        os.replace(partial, target)
    return manifest


@dataclass
class Opened:
    manifest: dict[str, Any]
    root: Path


def _extract(archive_path: Path, into: Path) -> Opened:
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive_path} is not a readable backup: {exc}") from exc
    manifest_path = into / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{archive_path} has no manifest.json")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is a backup of format {manifest.get('format')}, expected {FORMAT}")
    for name, expected in manifest["files"].items():
        path = into / name
        if not path.exists():
            raise BackupError(f"{name} is listed in the manifest but missing from the backup")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match its checksum in the manifest")
    return Opened(manifest, into)


def _check_database(opened: Opened) -> None:
    files = opened.manifest["files"]
    if "database.sqlite3" in files:
        copy = sqlite3.connect(str(opened.root / "database.sqlite3"))
        try:
            (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise BackupError(f"the database copy fails its integrity check: {result}")
            (complaints,) = copy.execute("SELECT COUNT(*) FROM complaints_complaint").fetchone()
        finally:
            copy.close()
        if complaints != opened.manifest["counts"]["complaints"]:
            raise BackupError("the database copy does not hold the number of complaints the manifest records")
    elif "database.pgdump" in files:
        result = subprocess.run(["pg_restore", "--list", str(opened.root / "database.pgdump")],  # noqa: S607
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or "complaints_complaint" not in result.stdout:
            raise BackupError(f"the PostgreSQL dump cannot be read: {result.stderr.strip()}")
    else:
        raise BackupError("the backup holds no database")


def verify(archive_path: Path) -> dict[str, Any]:
    """Check a backup against its manifest without restoring it; return the manifest."""
    with tempfile.TemporaryDirectory(prefix="complaintdesk-verify-") as tmp:
        opened = _extract(archive_path, Path(tmp))
        _check_database(opened)
        return opened.manifest


def _restore_database(opened: Opened) -> None:
    files = opened.manifest["files"]
    if "database.sqlite3" in files:
        if connection.vendor != "sqlite":
            raise BackupError("this backup is of a SQLite database; DATABASE_URL points elsewhere")
        connection.close()
        source = sqlite3.connect(str(opened.root / "database.sqlite3"))
        live = sqlite3.connect(str(connection.settings_dict["NAME"]))
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
        return
    if connection.vendor != "postgresql":
        raise BackupError("this backup is of a PostgreSQL database; DATABASE_URL points elsewhere")
    connection.close()
    result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",  # noqa: S607
                             "--dbname", str(connection.settings_dict["NAME"]),
                             str(opened.root / "database.pgdump")],
                            env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _replace_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    if source.exists():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)
    target.chmod(0o700)


def restore(archive_path: Path) -> dict[str, Any]:
    """Verify the backup, then put its database, uploads, keys and checkpoint in place."""

    with tempfile.TemporaryDirectory(prefix="complaintdesk-restore-") as tmp:
        opened = _extract(archive_path, Path(tmp))
        _check_database(opened)
        _restore_database(opened)
        _replace_tree(opened.root / "uploads", Path(settings.MEDIA_ROOT))
        if (opened.root / "keys").exists():
            keys = private_dir(keys_dir())
            for path in (opened.root / "keys").glob("*.key"):
                shutil.copyfile(path, keys / path.name)
                (keys / path.name).chmod(0o600)
            forget()
        if (opened.root / "secret_key").exists():
            shutil.copyfile(opened.root / "secret_key", Path(settings.VAR_DIR) / "secret_key")
        checkpoint = checkpoint_path()
        if (opened.root / "audit.checkpoint").exists():
            private_dir(checkpoint.parent)
            shutil.copyfile(opened.root / "audit.checkpoint", checkpoint)
        elif checkpoint.exists():
            checkpoint.unlink()
        return opened.manifest
