"""A new request's dossier: one recipient per chosen network (or the fallback address), a
key for each and one for the requester, and the key each first mail carries."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from form_service.dossiers import keys
from form_service.dossiers.model import Recipient
from form_service.requests.mail_plan import Queued, Snapshot
from form_service.requests.schema import Submission


@dataclass(frozen=True)
class NewRecipient:
    recipient: Recipient
    key: str  # raw: only its digest is stored; it travels in the recipient's mail


@dataclass(frozen=True)
class NewDossier:
    """What a stored request adds: its recipients and keys, and how to spot a follow-up."""

    recipients: tuple[NewRecipient, ...]
    requester_key: str
    email_hash: str
    ident_hash: str | None


def identity_hash(value: str) -> str:
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()


def new_dossier(
    submission: Submission, snap: Snapshot, fallback_email: str, created: float
) -> NewDossier:
    added = datetime.fromtimestamp(created, UTC)
    recipients: list[NewRecipient] = []
    for n, contact in enumerate(snap.contacts, start=1):
        r = Recipient(
            f"r{n}", "reseau", contact.slug, contact.nom, contact.email, added, "routage",
            contact.besoins,
        )  # fmt: skip
        recipients.append(NewRecipient(r, keys.new_key()))
    if not recipients:
        r = Recipient(
            "r1", "secours", None, "Équipe AidESS (orientation)", fallback_email, added, "routage"
        )
        recipients.append(NewRecipient(r, keys.new_key()))
    return NewDossier(
        recipients=tuple(recipients),
        requester_key=keys.new_key(),
        email_hash=identity_hash(submission.email),
        ident_hash=identity_hash(submission.identifiant) if submission.identifiant else None,
    )


def with_keys(mails: Sequence[Queued], new: NewDossier) -> list[Queued]:
    """The first mails, each with the key of the dossier link it carries."""
    by_slug = {n.recipient.slug: n.key for n in new.recipients}
    out = []
    for mail in mails:
        if mail.kind == "accuse":
            key: str | None = new.requester_key
        elif mail.kind == "reseau":
            key = by_slug.get(mail.reseau)
        else:
            key = by_slug.get(None)
        # Not dataclasses.replace, which costs more than the rest of this function.
        out.append(
            Queued(
                kind=mail.kind,
                recipient=mail.recipient,
                reseau=mail.reseau,
                message_id=mail.message_id,
                key=key,
            )
        )
    return out
