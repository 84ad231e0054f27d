"""Queries on the dossiers (tables of migration 3): create one with its request, read one
back, append events, add recipients, queue its mails, erase its personal data."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from form_service.db.database import Connection
from form_service.dossiers import keys
from form_service.dossiers.model import REQUESTER, Dossier, Event, Recipient
from form_service.dossiers.opening import NewDossier
from form_service.outbox import queries as outbox
from form_service.outbox.queries import Mail
from form_service.requests.queries import OWNER, STORED_COLUMNS, Stored, stored
from form_service.requests.schema import Submission

FOLLOW_UP_WINDOW = 30 * 86400.0  # seconds: a new request within it follows the earlier one


@dataclass(frozen=True)
class Loaded:
    dossier: Dossier
    digests: tuple[tuple[str, str], ...]  # (holder, digest)
    request: Stored | None  # None once its personal data were erased
    purged: bool
    follows_reference: str | None


def ts(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def reference(conn: Connection, now: float) -> str:
    """The next reference of the year (AID-2026-00042), from the year's counter: the caller
    holds the requests' lock, so two processes never draw the same number."""
    year = ts(now).year
    row = conn.execute(
        "UPDATE dossier_numbers SET last = last + 1 WHERE year = ? RETURNING last", (year,)
    ).fetchone()
    if row is None:
        conn.execute("INSERT INTO dossier_numbers (year, last) VALUES (?, 1)", (year,))
        number = 1
    else:
        number = int(row[0])
    return f"AID-{year}-{number:05d}"


def earlier(
    conn: Connection, dossier_id: str, email_hash: str | None, ident_hash: str | None, now: float
) -> str | None:
    """The structure's latest dossier of the last 30 days (same address or same SIRET/RNA),
    by two index lookups rather than a scan of the window."""
    found: list[tuple[float, str]] = []
    for column, value in (("email_hash", email_hash), ("ident_hash", ident_hash)):
        if value is None:
            continue
        row = conn.execute(
            f"SELECT created, id FROM dossiers WHERE {column} = ? AND created >= ? "
            "AND purged IS NULL AND id != ? ORDER BY created DESC LIMIT 1",
            (value, now - FOLLOW_UP_WINDOW, dossier_id),
        ).fetchone()
        if row is not None:
            found.append((float(row[0]), str(row[1])))
    return max(found)[1] if found else None


def create(conn: Connection, dossier_id: str, new: NewDossier, s: Submission, now: float) -> str:
    """Insert the dossier of a just-stored request (in the caller's transaction); returns its
    reference."""
    previous = earlier(conn, dossier_id, new.email_hash, new.ident_hash, now)
    ref = reference(conn, now)
    conn.execute(INSERT_DOSSIER, dossier_row(dossier_id, ref, now, s, previous, new))
    for item in new.recipients:
        add_recipient(conn, dossier_id, item.recipient, item.key)
    store_key(conn, dossier_id, REQUESTER, new.requester_key)
    return ref


# A new dossier's rows, in the order of these columns.
DOSSIER_COLUMNS = (
    "id", "reference", "created", "departement", "besoins", "follows", "email_hash",
    "ident_hash",
)  # fmt: skip
RECIPIENT_COLUMNS = (
    "dossier_id", "id", "role", "slug", "nom", "email", "added", "via", "besoins",
)  # fmt: skip
KEY_COLUMNS = ("dossier_id", "holder", "digest")
INSERT_DOSSIER = (
    f"INSERT INTO dossiers ({', '.join(DOSSIER_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in DOSSIER_COLUMNS)})"
)


def dossier_row(
    dossier_id: str, ref: str, now: float, s: Submission, follows: str | None, new: NewDossier
) -> tuple[object, ...]:
    return (
        dossier_id, ref, now, s.departement, json.dumps(list(s.besoins)), follows,
        new.email_hash, new.ident_hash,
    )  # fmt: skip


def recipient_row(dossier_id: str, r: Recipient) -> tuple[object, ...]:
    needs = None if r.besoins is None else json.dumps(list(r.besoins))
    return (dossier_id, r.id, r.role, r.slug, r.nom, r.email, r.added.timestamp(), r.via, needs)


def key_rows(dossier_id: str, new: NewDossier) -> list[tuple[object, ...]]:
    """The digests of a new dossier's keys: each recipient's, then the requester's."""
    holders = [(n.recipient.id, n.key) for n in new.recipients] + [(REQUESTER, new.requester_key)]
    return [(dossier_id, holder, keys.digest(key)) for holder, key in holders]


def add_recipient(conn: Connection, dossier_id: str, r: Recipient, key: str | None) -> None:
    conn.execute(
        f"INSERT INTO recipients ({', '.join(RECIPIENT_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in RECIPIENT_COLUMNS)})",
        recipient_row(dossier_id, r),
    )
    if key is not None:
        store_key(conn, dossier_id, r.id, key)


def store_key(conn: Connection, dossier_id: str, holder: str, key: str) -> None:
    conn.execute(
        "INSERT INTO dossier_keys (dossier_id, holder, digest) VALUES (?, ?, ?)",
        (dossier_id, holder, keys.digest(key)),
    )


def issue_key(conn: Connection, dossier_id: str, holder: str) -> str:
    """A fresh key for `holder`, for the link of one mail (the earlier ones stay valid)."""
    key = keys.new_key()
    store_key(conn, dossier_id, holder, key)
    return key


def lock(conn: Connection, dossier_id: str) -> None:
    """Changes to one dossier one at a time, whichever process makes them (two reminder
    passes, two networks declining at once), until the end of the transaction."""
    conn.lock(f"aidess:dossier:{dossier_id}")


def load(conn: Connection, dossier_id: str) -> Loaded | None:
    row = conn.execute(
        "SELECT d.reference, d.created, d.departement, d.besoins, d.follows, d.purged, "
        f"f.reference, {', '.join('r.' + c for c in STORED_COLUMNS)} "
        "FROM dossiers d JOIN requests r ON r.id = d.id "
        "LEFT JOIN dossiers f ON f.id = d.follows WHERE d.id = ?",
        (dossier_id,),
    ).fetchone()
    if row is None:
        return None
    recipients = tuple(
        Recipient(
            rid,
            role,
            slug,
            nom,
            email,
            ts(added),
            via,
            None if needs is None else tuple(json.loads(needs)),
        )
        for rid, role, slug, nom, email, added, via, needs in conn.execute(
            "SELECT id, role, slug, nom, email, added, via, besoins FROM recipients "
            "WHERE dossier_id = ? ORDER BY added, length(id), id",
            (dossier_id,),
        )
    )
    events = tuple(
        Event(ts(at), actor, action, text, value, eid)
        for eid, at, actor, action, text, value in conn.execute(
            "SELECT id, at, actor, action, text, value FROM events WHERE dossier_id = ? "
            "ORDER BY id",
            (dossier_id,),
        )
    )
    digests = tuple(
        (holder, digest)
        for holder, digest in conn.execute(
            "SELECT holder, digest FROM dossier_keys WHERE dossier_id = ?", (dossier_id,)
        )
    )
    dossier = Dossier(
        dossier_id,
        row[0],
        ts(row[1]),
        row[2],
        tuple(json.loads(row[3])),
        recipients,
        events,
        row[4],
    )
    return Loaded(dossier, digests, stored(*row[7:]), row[5] is not None, row[6])


def token_used(conn: Connection, dossier_id: str, token: str) -> bool:
    """Whether an event of this dossier was recorded with this form's token."""
    found = conn.execute(
        "SELECT 1 FROM events WHERE dossier_id = ? AND token = ?", (dossier_id, token)
    ).fetchone()
    return found is not None


def append(conn: Connection, dossier_id: str, event: Event, token: str | None) -> int | None:
    """Record an event; None when `token` was already used on this dossier (the same form
    sent twice: the first one counts)."""
    row = conn.execute(
        "INSERT INTO events (dossier_id, at, actor, action, text, value, token) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dossier_id, token) DO NOTHING RETURNING id",
        (
            dossier_id,
            event.at.timestamp(),
            event.actor,
            event.action,
            event.text,
            event.value,
            token,
        ),
    ).fetchone()
    return None if row is None else int(row[0])


def queue_mail(
    conn: Connection,
    dossier_id: str,
    kind: str,
    recipient: str,
    message_id: str,
    message: bytes,
) -> None:
    """An outbox row rendered now (its event's mail must say what happened then), due at
    once by the wall clock (the event's own time may be a test's moved clock)."""
    # Its message carries the dossier's link (a key): cleared once sent.
    mail = Mail(OWNER, dossier_id, kind, recipient, message_id, message=message, forget=True)
    outbox.queue(conn, [mail], time.time())


def open_ids(conn: Connection, since: float) -> list[str]:
    """Dossiers still within reach of a reminder or of the outcome question (not erased,
    younger than `since`)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT d.id FROM dossiers d WHERE d.purged IS NULL AND d.created >= ? "
            "AND (NOT EXISTS (SELECT 1 FROM events e WHERE e.dossier_id = d.id "
            "AND e.actor = 'service' AND e.action = 'sans-suite') "
            # Closed « sans suite » for its untaken needs, it may still await its question.
            "OR (EXISTS (SELECT 1 FROM events e WHERE e.dossier_id = d.id "
            "AND e.action = 'prendre') AND NOT EXISTS (SELECT 1 FROM events e "
            "WHERE e.dossier_id = d.id AND e.actor = 'service' AND e.action = 'resultat'))) "
            "ORDER BY d.created",
            (since,),
        )
    ]


def erase(conn: Connection, ids: Sequence[str], now: float) -> None:
    """The dossier side of erasing requests' personal data: keys (the links stop working),
    notes and motifs, the follow-up hashes. Statuses and dates stay, for the statistics."""
    params = [(i,) for i in ids]
    conn.executemany("DELETE FROM dossier_keys WHERE dossier_id = ?", params)
    conn.executemany("UPDATE events SET text = NULL WHERE dossier_id = ?", params)
    conn.executemany(
        "UPDATE dossiers SET email_hash = NULL, ident_hash = NULL, purged = ? WHERE id = ?",
        [(now, i) for i in ids],
    )


def all_ids(conn: Connection) -> list[str]:
    """Every dossier, erased ones too (their statuses and dates stay, for the statistics)."""
    return [r[0] for r in conn.execute("SELECT id FROM dossiers ORDER BY created")]


def recent_delays(
    conn: Connection, departements: Sequence[str], since: float, until: float
) -> list[tuple[float, float | None]]:
    """(created, first « prendre ») of the dossiers of these departments created from `since`
    to before `until`, as they stood at `until` (a later « prendre » is not counted)."""
    marks = ", ".join("?" for _ in departements)
    return [
        (float(r[0]), None if r[1] is None else float(r[1]))
        for r in conn.execute(
            "SELECT d.created, (SELECT min(at) FROM events e WHERE e.dossier_id = d.id "
            f"AND e.action = 'prendre' AND e.at <= ?) FROM dossiers d "
            f"WHERE d.departement IN ({marks}) AND d.created >= ? AND d.created < ?",
            (until, *departements, since, until),
        )
    ]
