"""One outbox worker in its own process, for the tests (two of them share one database):
`python -m tests.form_service.outbox_process DATABASE SMTP_PORT LEASE`. Sends until nothing is
left queued (or 60 s), then prints what it sent."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from form_service.db.database import Database, DatabaseBusy
from form_service.outbox import queries as outbox_queries
from form_service.outbox.mailer import SMTPMailer
from form_service.outbox.worker import Worker
from form_service.requests.delivery import RequestMails
from form_service.requests.queries import OWNER


def main() -> None:
    database, port, lease = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    storage = Database(database, busy_timeout=10.0)
    mailer = SMTPMailer("127.0.0.1", port, timeout=10)
    sender = "ne-pas-repondre@aidess.example"
    renderers = {OWNER: RequestMails(storage, sender)}
    worker = Worker(storage, mailer, sender, renderers, lease=lease)
    sent, deadline = 0, time.time() + 60
    while time.time() < deadline:
        try:
            sent += worker.run_once().sent
            if not outbox_queries.counts(storage).get("queued"):
                break
        except DatabaseBusy:
            pass
        time.sleep(0.1)
    print(sent)


if __name__ == "__main__":
    main()
