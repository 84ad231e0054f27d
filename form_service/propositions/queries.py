"""Proposals in the database: stored with the editors' mail in one transaction (the outbox
sends it), listed and found for `aidess propositions`, their proposer's address erased
after the retention period."""

from __future__ import annotations

from dataclasses import dataclass

from form_service.db.database import Database
from form_service.db.quotas import RateSlot, reserve_slot
from form_service.outbox import queries as outbox
from form_service.outbox.queries import Mail

OWNER = "proposition"  # its mails in the outbox


@dataclass(frozen=True)
class Stored:
    id: str
    created: float
    slug: str
    titre: str
    fichier: str  # the ready-to-commit file (content/aides/<slug>.md)
    email: str | None = None
    imported: float | None = None


def save(db: Database, stored: Stored, mail: Mail, slot: RateSlot | None = None) -> None:
    """Store the proposal and queue its mail (rendered already); past the client's quota
    raise RateLimited, storing nothing."""
    with db.transaction() as conn:
        if slot is not None:
            reserve_slot(conn, slot, stored.created)
        conn.execute(
            "INSERT INTO propositions (id, created, slug, titre, fichier, email) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (stored.id, stored.created, stored.slug, stored.titre, stored.fichier, stored.email),
        )
        outbox.queue(conn, [mail], stored.created)


_COLUMNS = "id, created, slug, titre, fichier, email, imported"


def listing(db: Database) -> list[Stored]:
    """Every proposal, newest first."""
    with db.connect() as conn:  # reads: no write lock
        rows = conn.execute(f"SELECT {_COLUMNS} FROM propositions ORDER BY created DESC").fetchall()
    return [Stored(*row) for row in rows]


def find(db: Database, prefix: str) -> list[Stored]:
    """The proposals whose id starts with `prefix` (the listing shows 8 characters)."""
    pattern = prefix.lower().replace("%", "").replace("_", "") + "%"
    with db.connect() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM propositions WHERE id LIKE ? ORDER BY created", (pattern,)
        ).fetchall()
    return [Stored(*row) for row in rows]


def mark_imported(db: Database, proposal_id: str, now: float) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE propositions SET imported = ? WHERE id = ?", (now, proposal_id))


def purge(db: Database, before: float, now: float) -> int:
    """Erase the proposer's address of proposals created before `before`, and their mail;
    the proposed file stays (it holds nothing personal). Returns how many."""
    with db.transaction() as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM propositions WHERE created < ? AND purged IS NULL", (before,)
            )
        ]
        outbox.erase(conn, OWNER, ids)
        conn.executemany(
            "UPDATE propositions SET email = NULL, purged = ? WHERE id = ?",
            [(now, i) for i in ids],
        )
    return len(ids)
