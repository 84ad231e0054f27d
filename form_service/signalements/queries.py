"""Signalements in SQLite: the report and the editors' mail stored in one transaction (the
outbox sends it), and their erasure after the retention period."""

from __future__ import annotations

from dataclasses import dataclass

from form_service.db.database import Database
from form_service.db.quotas import RateSlot, reserve_slot
from form_service.outbox import queries as outbox
from form_service.outbox.queries import Mail
from form_service.signalements.report import Signalement

OWNER = "signalement"  # its mails in the outbox


@dataclass(frozen=True)
class Stored:
    id: str
    created: float
    report: Signalement
    fichier: str


def save(
    db: Database,
    stored: Stored,
    recipient: str,
    message_id: str,
    message: bytes,
    slot: RateSlot | None = None,
) -> None:
    """Store the report and its mail; past the client's quota (the same database
    reservation as /demandes, in the same transaction) raise RateLimited, storing nothing."""
    r = stored.report
    with db.transaction() as conn:
        if slot is not None:
            reserve_slot(conn, slot, stored.created)
        conn.execute(
            "INSERT INTO signalements (id, created, kind, page, fichier, message, email, "
            "reseau_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (stored.id, stored.created, r.kind, r.page, stored.fichier or None, r.message,
             r.email, r.reseau_email),
        )  # fmt: skip
        # The visitor's text stays in `signalements` until purged: the mail forgets it.
        mail = Mail(OWNER, stored.id, "signalement", recipient, message_id, message=message,
                    forget=True)  # fmt: skip
        outbox.queue(conn, [mail], stored.created)


def purge(db: Database, before: float, now: float) -> int:
    """Erase the text and addresses of reports created before `before`, and their mail;
    keep what kind of report about which page, for counts. Returns how many."""
    with db.transaction() as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM signalements WHERE created < ? AND purged IS NULL", (before,)
            )
        ]
        outbox.erase(conn, OWNER, ids)
        conn.executemany(
            "UPDATE signalements SET message = NULL, email = NULL, reseau_email = NULL, "
            "purged = ? WHERE id = ?",
            [(now, i) for i in ids],
        )
    return len(ids)
