"""What an event sets off, written in the event's own transaction: its mails (rendered now,
queued in the outbox), new recipients with their keys, routing again, the coordinator.

Re-routing reuses the routing rules of docs/interfaces.md §3 (dispatch.route) without the networks
already on the dossier; nobody left → the coordinator: the networks whose `coordination`
covers the department, most specific first, else the fallback address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from form_service.db.database import Connection
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.mails import MailContext, Public, compose
from form_service.dossiers.model import (
    SERVICE,
    Dossier,
    Event,
    Mail,
    Recipient,
    excluded_networks,
    next_recipient_id,
)
from form_service.requests.dispatch import route
from form_service.requests.queries import Stored
from generator.content.matching import match_level
from generator.content.model import Reseau
from generator.content.territories import Level


@dataclass(frozen=True)
class Env:
    """What the dossiers need from the configuration and the content."""

    site_url: str
    sender: str
    fallback_email: str
    reseaux: Mapping[str, Reseau]
    aide_reseaux: Mapping[str, Sequence[str]]  # aid slug -> its networks (routing order)
    aide_titres: Mapping[str, str] = field(default_factory=dict)  # aid slug -> its title

    def public(self) -> dict[str, Public]:
        return {
            slug: Public(r.telephone, str(r.site) if r.site else None)
            for slug, r in self.reseaux.items()
        }


def send(
    conn: Connection,
    env: Env,
    dossier: Dossier,
    request: Stored,
    mails: Sequence[Mail],
    event: Event,
    event_id: int,
    now: datetime,
) -> int:
    """Render and queue the mails of the event `event_id`, each with a fresh key for its
    link; the Message-ID derives from the event, so a mail is never queued twice."""
    ctx = MailContext(
        dossier,
        request.submission,
        request.snapshot,
        env.site_url,
        env.sender,
        env.fallback_email,
        env.public(),
    )
    domain = env.sender.rpartition("@")[2]
    for n, mail in enumerate(mails, start=1):
        key = dossier_queries.issue_key(conn, dossier.id, mail.to)
        message_id = f"<{dossier.id}.e{event_id}.{n}@{domain}>"
        out = compose(ctx, mail.kind, mail.to, event, key, message_id, now)
        dossier_queries.queue_mail(
            conn, dossier.id, out.kind, out.recipient, out.message_id, out.message
        )
    return len(mails)


def add(
    conn: Connection,
    dossier: Dossier,
    role: str,
    slug: str | None,
    nom: str,
    email: str,
    via: str,
    now: datetime,
    besoins: Sequence[str] | None,
) -> Dossier:
    """The dossier with one more recipient holding `besoins` (its key is issued with its
    first mail)."""
    needs = None if besoins is None else tuple(besoins)
    recipient = Recipient(
        next_recipient_id(dossier.recipients), role, slug, nom, email, now, via, needs
    )
    dossier_queries.add_recipient(conn, dossier.id, recipient, None)
    return dossier.with_recipient(recipient)


def transmit_options(env: Env, departement: str) -> list[tuple[str, str]]:
    """Networks a dossier may be passed to: any with an address covering the department."""
    return [
        (slug, r.nom)
        for slug, r in sorted(env.reseaux.items(), key=lambda item: item[1].nom)
        if r.demandes is not None and match_level(r.territoires, [], departement) is not None
    ]


def coordinators(reseaux: Mapping[str, Reseau], departement: str) -> list[tuple[str, Reseau]]:
    """Networks coordinating the department (with an address), the most specific level only."""
    found: list[tuple[Level, str, Reseau]] = []
    for slug, r in sorted(reseaux.items()):
        if r.demandes is None or not r.coordination:
            continue
        matched = match_level(r.coordination, [], departement)
        if matched is not None:
            found.append((matched[0], slug, r))
    if not found:
        return []
    best = max(level for level, _, _ in found)
    return [(slug, r) for level, slug, r in found if level == best]


def add_coordinator(
    conn: Connection, env: Env, dossier: Dossier, now: datetime, besoins: Sequence[str]
) -> tuple[Dossier, list[str]]:
    """The coordinator(s) as new recipients holding `besoins`, unless already there (a
    coordinator holds every need no network holds any more: needs.py); their ids."""
    added: list[str] = []
    present = excluded_networks(dossier)
    chosen = coordinators(env.reseaux, dossier.departement)
    for slug, r in chosen:
        if slug not in present and r.demandes is not None:
            dossier = add(
                conn, dossier, "coordination", slug, r.nom, r.demandes.email, "coordination",
                now, besoins,
            )  # fmt: skip
            added.append(dossier.recipients[-1].id)
    if not chosen and not any(r.role == "secours" for r in dossier.recipients):
        dossier = add(
            conn,
            dossier,
            "secours",
            None,
            "Équipe AidESS (orientation)",
            env.fallback_email,
            "coordination",
            now,
            besoins,
        )
        added.append(dossier.recipients[-1].id)
    return dossier, added


def reroute(
    conn: Connection,
    env: Env,
    dossier: Dossier,
    request: Stored,
    now: datetime,
    besoins: Sequence[str],
) -> tuple[Dossier, list[str]]:
    """A decline left `besoins` with nobody: route those needs again (§3) without the
    networks already on the dossier; the needs no network covers go to the coordinator."""
    profile = replace(request.submission.profile, besoins=tuple(besoins))
    excluded = excluded_networks(dossier)
    pool = {slug: r for slug, r in env.reseaux.items() if slug not in excluded}
    linked = env.aide_reseaux.get(profile.aide or "", ())
    routing = route(profile, pool, linked)
    added: list[str] = []
    for choice in routing.choices:
        dossier = add(
            conn, dossier, "reseau", choice.slug, choice.nom, choice.email, "reroutage", now,
            choice.besoins,
        )  # fmt: skip
        added.append(dossier.recipients[-1].id)
    left = [b for b in besoins if not any(b in c.besoins for c in routing.choices)]
    if left:
        dossier, more = add_coordinator(conn, env, dossier, now, left)
        added += more
    return dossier, added


def record_service(
    conn: Connection,
    dossier: Dossier,
    action: str,
    now: datetime,
    value: str | None = None,
    token: str | None = None,
) -> tuple[Event, int] | None:
    """An event of the service itself, once per dossier and token (default: the action)."""
    event = Event(now, SERVICE, action, None, value)
    event_id = dossier_queries.append(conn, dossier.id, event, token or f"service:{action}")
    if event_id is None:
        return None
    return Event(now, SERVICE, action, None, value, event_id), event_id
