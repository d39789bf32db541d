"""``complaintdesk serve``: gunicorn in-process, serving the WSGI application."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

SHM = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files belong in memory, not on disk


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from complaintdesk.wsgi import application  # after django.setup()

        return application


def serve(*, bind: str = "127.0.0.1:8000", workers: int = 2, production: bool = True) -> int:
    if production:
        os.environ.setdefault("COMPLAINTDESK_PRODUCTION", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
    _Server({"bind": bind, "workers": workers, "accesslog": "-", "timeout": 60,
             "worker_tmp_dir": SHM if os.path.isdir(SHM) else None}).run()
    return 0
