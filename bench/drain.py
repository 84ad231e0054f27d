"""Fallback drain while `aidess outbox` is not there yet: the service's own outbox worker, one
pass over every due row, configured by the same `AIDESS_*` variables."""

from __future__ import annotations

import os

from form_service.app import smtp_mailer
from form_service.outbox import Worker
from form_service.settings import from_env
from form_service.storage import Storage


def main() -> int:
    settings = from_env(os.environ)
    storage = Storage(settings.database, settings.busy_timeout)
    report = Worker(
        storage, smtp_mailer(settings), settings.mail_from, fallback=settings.fallback_email
    ).run_once()
    print(f"{report.sent} envoyés, {report.retried} à réessayer, {report.failed} en échec")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
