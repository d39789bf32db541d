"""``complaintdesk backup FILE [--check]``, ``restore FILE`` and ``keys rotate search|audit|data``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_keys_parser(sub: Any, run: Any) -> None:
    keys = sub.add_parser("keys", help="keys kept outside the database")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="replace a key and recompute what depends on it")
    rotate.add_argument("name", choices=["search", "audit", "data"])
    keys.set_defaults(func=run)


def keys_command(args: argparse.Namespace) -> int:
    from complaintdesk.core.keys import KeyUnusable  # after django.setup()
    from complaintdesk.security.rotation import (  # after django.setup()
        RotationRefused,
        rotate_audit_key,
        rotate_data_key,
        rotate_search_key,
    )

    try:
        if args.name == "search":
            print(f"search key replaced; {rotate_search_key()} complaints re-indexed")
        elif args.name == "data":
            print(f"data key replaced; {rotate_data_key()} rows re-encrypted")
        else:
            print(f"audit key replaced; {rotate_audit_key()} events re-hashed, checkpoint signed")
    except (KeyUnusable, RotationRefused) as exc:
        print(f"keys: {exc}", file=sys.stderr)
        return 1
    return 0


def add_backup_parsers(sub: Any, run_backup: Any, run_restore: Any) -> None:
    backup = sub.add_parser("backup", help="back up the database, uploads, keys and audit checkpoint to FILE")
    backup.add_argument("file")
    backup.add_argument("--check", action="store_true", help="only verify an existing backup FILE")
    backup.set_defaults(func=run_backup)
    restore = sub.add_parser("restore", help="verify FILE and restore it (stop the server and worker first)")
    restore.add_argument("file")
    restore.set_defaults(func=run_restore)


def _summary(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    return (f"{manifest['database']} database of {manifest['created_at']}: {counts['complaints']} complaints, "
            f"{counts['audit_events']} audit events, {len(manifest['files'])} files")


def backup_command(args: argparse.Namespace) -> int:
    from complaintdesk.security.backup import BackupError, backup, verify  # after django.setup()

    path = Path(args.file)
    try:
        if args.check:
            print(f"verified {path}: {_summary(verify(path))}")
        else:
            print(f"wrote and verified {path}: {_summary(backup(path))}")
    except (BackupError, OSError) as exc:
        print(f"backup: {exc}", file=sys.stderr)
        return 1
    return 0


def restore_command(args: argparse.Namespace) -> int:
    from complaintdesk.core.audit import verify_chain, verify_checkpoint  # after django.setup()
    from complaintdesk.security.backup import BackupError, restore  # after django.setup()

    try:
        manifest = restore(Path(args.file))
    except (BackupError, OSError) as exc:
        print(f"restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored {_summary(manifest)}")
    problems = [*verify_chain(), *verify_checkpoint()]
    for problem in problems:
        print(f"audit event {problem.event_id}: {problem.message}", file=sys.stderr)
    print(f"audit verify: {len(problems)} problem(s)")
    return 1 if problems else 0
