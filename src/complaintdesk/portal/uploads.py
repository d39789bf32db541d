"""Customers' files: the type is decided by the content (never by the name or the browser's
claim), the size is limited, and the file is stored under the attachment directory."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from complaintdesk.core.errors import Problems


@dataclass(frozen=True)
class Upload:
    """A checked file, held in memory until it is written with its record."""

    name: str
    kind: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> str | None:
    """The file type from its first bytes: jpeg, png, webp or pdf; None for anything else."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    if content.startswith(b"%PDF-"):
        return "pdf"
    return None


def _image_ok(content: bytes) -> bool:
    # Pillow (2.7 MB) loads with the first image checked, not in every web worker at start
    from PIL import Image, UnidentifiedImageError  # lazy: memory

    try:
        with Image.open(BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _clean_name(name: str, kind: str) -> str:
    base = Path(name or "file").name
    base = re.sub(r"[\x00-\x1f/\\\\]", "_", base).strip() or "file"
    return base[:200]


def check_uploads(files: list[UploadedFile], problems: Problems, field: str = "files") -> list[Upload]:
    """Read and check each file; every refusal is reported under ``field``."""
    portal = settings.COMPLAINTDESK_PORTAL
    max_bytes, max_files = int(portal["upload_max_bytes"]), int(portal["upload_max_files"])
    files = [f for f in files if f is not None and (f.name or f.size)]
    if len(files) > max_files:
        problems.add(field, _("Attach at most %(count)d files.") % {"count": max_files})
        return []
    out: list[Upload] = []
    for upload in files:
        name = upload.name or "file"
        if (upload.size or 0) > max_bytes:
            problems.add(field, _("%(name)s is larger than %(limit)d MB.")
                         % {"name": name, "limit": max_bytes // (1024 * 1024)})
            continue
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            problems.add(field, _("%(name)s is larger than %(limit)d MB.")
                         % {"name": name, "limit": max_bytes // (1024 * 1024)})
            continue
        if not content:
            problems.add(field, _("%(name)s is empty.") % {"name": name})
            continue
        kind = sniff(content)
        if kind is None or (kind != "pdf" and not _image_ok(content)):
            problems.add(field, _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document.") % {"name": name})
            continue
        out.append(Upload(name=_clean_name(name, kind), kind=kind, content=content))
    return out


def attachment_root() -> Path:
    root = Path(settings.COMPLAINTDESK_ATTACHMENT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def write_file(upload: Upload, at: datetime) -> str:
    """Write the content under a random name; returns the path relative to the attachment root."""
    relative = f"{at:%Y/%m}/{uuid.uuid4().hex}.{'jpg' if upload.kind == 'jpeg' else upload.kind}"
    target = attachment_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as handle:
        handle.write(upload.content)
    target.chmod(0o600)
    return relative


def remove_file(relative: str) -> None:
    (attachment_root() / relative).unlink(missing_ok=True)


def file_path(relative: str) -> Path:
    root = attachment_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError("attachment path outside the attachment directory")
    return path


def file_response(relative: str, name: str, content_type: str) -> FileResponse:
    """The stored file as a download; Http404 when it is missing on disk."""
    path = file_path(relative)
    if not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)
