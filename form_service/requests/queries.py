"""Queries on the stored requests: insert one (with its outbox rows, deduplicated), read one
back for its emails, and erase the personal data past retention."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from form_service.db.database import Connection
from form_service.db.quotas import RateSlot, reserve_slot
from form_service.outbox import queries as outbox
from form_service.outbox.queries import Mail
from form_service.requests.mail_plan import Queued, Snapshot
from form_service.requests.schema import Submission

DEDUPE_WINDOW = 600.0  # seconds: the same form sent again within it is the same request
# Erased past retention (`aidess purge`); the department stays for statistics, the commune
# (which can single out a structure in a village) does not.
PERSONAL = (
    "structure", "identifiant", "nom", "email", "telephone", "message", "commune", "contact",
)  # fmt: skip


def new_id(now: float) -> str:
    """A request's id (also its dossier's, and the start of its mails' Message-IDs): 32 hex
    digits like a UUID, the first 12 the creation time in milliseconds, the other 80 bits
    random. Ids that grow with time land at the end of every index that holds them (six of
    the eight a request writes); random ones dirtied a page of each index per request,
    which the commit then had to write and sync."""
    return f"{int(now * 1000):012x}{secrets.token_hex(10)}"


@dataclass(frozen=True)
class Saved:
    id: str
    reseaux: list[str]
    duplicate: bool
    reference: str | None = None  # the dossier's short reference (AID-2026-00042)
    requester_key: str | None = None  # the requester's dossier key (not for a duplicate)


@dataclass(frozen=True)
class Pending:
    """A valid request and its emails, to store in one transaction."""

    request_id: str
    submission: Submission
    reseaux: tuple[str, ...]
    fallback: bool
    snapshot_json: str  # mail_plan.Snapshot, as JSON
    mails: Sequence[Queued]
    created: float
    rate: RateSlot | None = None  # the quota to reserve a slot in (rate_slots)


@dataclass(frozen=True)
class Stored:
    """A stored request, as its emails are rendered from it."""

    created: float
    submission: Submission
    snapshot: Snapshot


# The owner of a request's mails in the outbox (form_service/outbox/queries.py).
OWNER = "demande"


def outbox_mail(request_id: str, mail: Queued) -> Mail:
    """A planned mail of a request as the outbox queues it: the acknowledgment waits until
    each network's mail was tried once, so it can say where the request went."""
    return Mail(
        OWNER, request_id, mail.kind, mail.recipient, mail.message_id, reseau=mail.reseau,
        cle=mail.key, after_kind="reseau" if mail.kind == "accuse" else None,
    )  # fmt: skip


# The columns of a stored request, in the order of the rows below.
REQUEST_COLUMNS = (
    "id", "created", "fingerprint", "departement", "forme", "effectif", "secteur", "etape",
    "besoins", "aide", "reseaux", "fallback", "personal", "mails",
)  # fmt: skip
INSERT_REQUEST = (
    f"INSERT INTO requests ({', '.join(REQUEST_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in REQUEST_COLUMNS)})"
)


def request_row(pending: Pending, fingerprint: str) -> tuple[object, ...]:
    s = pending.submission
    personal = {k: getattr(s, k) for k in PERSONAL}
    return (
        pending.request_id, pending.created, fingerprint, s.departement, s.forme, s.effectif,
        s.secteur, s.etape, json.dumps(list(s.besoins)), s.aide, json.dumps(list(pending.reseaux)),
        int(pending.fallback), json.dumps(personal, ensure_ascii=False), pending.snapshot_json,
    )  # fmt: skip


def insert(db: Connection, pending: Pending) -> Saved:
    """Store the request and one outbox row per email (inside the caller's transaction),
    unless the same content was stored within the dedupe window (then answer as for the
    first one). A request past its client's quota raises RateLimited."""
    s, now = pending.submission, pending.created
    fingerprint = s.fingerprint()
    previous = db.execute(
        "SELECT id, reseaux FROM requests WHERE fingerprint = ? AND created >= ? "
        "ORDER BY created LIMIT 1",
        (fingerprint, now - DEDUPE_WINDOW),
    ).fetchone()
    if previous:
        return Saved(previous[0], json.loads(previous[1]), True)
    if pending.rate is not None:
        reserve_slot(db, pending.rate, now)
    db.execute(INSERT_REQUEST, request_row(pending, fingerprint))
    outbox.queue(db, [outbox_mail(pending.request_id, m) for m in pending.mails], now)
    return Saved(pending.request_id, list(pending.reseaux), False)


# The columns `stored` reads, in its parameters' order (prefix them with the table's alias).
STORED_COLUMNS = (
    "created", "departement", "forme", "effectif", "secteur", "etape", "besoins", "aide",
    "personal", "mails",
)  # fmt: skip


def stored(
    created: float, departement: str, forme: str, effectif: str, secteur: str,
    etape: str | None, besoins: str, aide: str | None, personal: str | None, mails: str | None,
) -> Stored | None:  # fmt: skip
    """A request as read from STORED_COLUMNS; None once its personal data was erased."""
    if personal is None or mails is None:
        return None
    submission = Submission(
        **json.loads(personal), forme=forme, effectif=effectif, departement=departement,
        secteur=secteur, besoins=tuple(json.loads(besoins)), etape=etape, aide=aide,
    )  # fmt: skip
    return Stored(created, submission, Snapshot.from_json(mails))


def purge(db: Connection, before: float, now: float) -> int:
    """Erase the personal data (and the emails, which carry it) of requests created before
    `before` (inside the caller's transaction); keep the anonymous columns for statistics.
    Returns how many."""
    ids = expired(db, before)
    erase(db, ids, now)
    return len(ids)


def erase(db: Connection, ids: Sequence[str], now: float) -> None:
    """Erase these requests' personal data and their emails (in the caller's transaction)."""
    outbox.erase(db, OWNER, ids)
    db.executemany(
        "UPDATE requests SET personal = NULL, fingerprint = NULL, mails = NULL, "
        "purged = ? WHERE id = ?",
        [(now, i) for i in ids],
    )


def expired(db: Connection, before: float, limit: int = -1) -> list[str]:
    """Requests created before `before` whose personal data are still kept (at most
    `limit`; -1: all)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM requests WHERE created < ? AND purged IS NULL LIMIT ?",
            (before, limit),
        )
    ]
