"""Recording what a person does on a dossier (POST /dossiers/<id>/actions), in one
transaction with everything it sets off: the event, its mails, new recipients, erasure.

A double submit of the same form (same token) records one event and answers the same; a
wrong key answers exactly like an unknown dossier. Every action, even refused, takes a slot of
its quotas first (form_service/db/quotas.py), in the same transaction; past one, RateLimited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from form_service.db import quotas
from form_service.db.database import Database
from form_service.dossiers import keys
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.consequences import effects
from form_service.dossiers.effects import (
    Env,
    add,
    add_coordinator,
    reroute,
    send,
    transmit_options,
)
from form_service.dossiers.model import Event, Mail, Refused, check, outcome_parts
from form_service.dossiers.needs import given, untaken
from form_service.requests import queries as request_queries


@dataclass(frozen=True)
class Outcome:
    kind: str  # "inconnu", "refuse", "fait", "efface"
    holder: str | None = None
    message: str | None = None  # the French reason of a refusal
    duplicate: bool = False


NOT_FOUND = Outcome("inconnu")


def act(
    db: Database,
    env: Env,
    dossier_id: str,
    key: str,
    action: str,
    text: str | None,
    value: str | None,
    token: str | None,
    now: datetime | None = None,
    quota: Sequence[quotas.RateSlot] = (),
) -> Outcome:
    moment = now or datetime.now(UTC)
    with db.transaction() as conn:
        quotas.reserve(conn, quota, moment.timestamp())
        dossier_queries.lock(conn, dossier_id)
        loaded = dossier_queries.load(conn, dossier_id)
        usable = loaded is not None and not loaded.purged and loaded.request is not None
        holder = keys.match(key, loaded.digests if loaded is not None and usable else keys.DECOYS)
        if loaded is None or not usable or holder is None or loaded.request is None:
            return NOT_FOUND
        dossier, request = loaded.dossier, loaded.request
        # A double submit (the same form's token) is answered as the first was, before any
        # rule is checked again: the first click may have changed what the rules allow.
        if token and dossier_queries.token_used(conn, dossier_id, token):
            return Outcome("efface" if action == "effacer" else "fait", holder, duplicate=True)
        try:
            options = dict(transmit_options(env, dossier.departement))
            if action == "transmettre" and (value or "").strip() not in options:
                raise Refused("Choisissez un réseau de la liste.")
            aide = outcome_parts(value)[1] if action == "terminer" else None
            if aide is not None and aide not in env.aide_reseaux:
                raise Refused("Choisissez l'aide obtenue dans la liste, ou laissez-la vide.")
            text, value = check(dossier, holder, action, text, value)
        except Refused as exc:
            return Outcome("refuse", holder, str(exc))
        event = Event(moment, holder, action, text, value)
        event_id = dossier_queries.append(conn, dossier_id, event, token)
        if event_id is None:
            return Outcome("efface" if action == "effacer" else "fait", holder, duplicate=True)
        event = replace(event, id=event_id)
        consequences = effects(dossier, event)
        if consequences.erase:
            dossier_queries.erase(conn, [dossier_id], moment.timestamp())
            request_queries.erase(conn, [dossier_id], moment.timestamp())
            return Outcome("efface", holder)
        dossier = dossier.with_event(event)
        mails = list(consequences.mails)
        if action == "transmettre" and value is not None:
            target = env.reseaux[value]
            email = target.demandes.email if target.demandes else env.fallback_email
            # Every need nobody took yet; once all are taken, the share of the one passing it.
            sender = dossier.recipient(holder)
            needs = untaken(dossier) or (given(dossier, sender) if sender else dossier.besoins)
            dossier = add(
                conn, dossier, "reseau", value, target.nom, email, "transmission", moment, needs
            )
            mails.append(Mail("nouveau-destinataire", dossier.recipients[-1].id))
        if consequences.reroute:
            dossier, added = reroute(conn, env, dossier, request, moment, consequences.reroute)
            mails += [Mail("nouveau-destinataire", rid) for rid in added]
        if consequences.reopen:
            dossier, added = add_coordinator(conn, env, dossier, moment, dossier.besoins)
            mails += [Mail("nouveau-destinataire", rid) for rid in added]
        send(conn, env, dossier, request, mails, event, event_id, moment)
    return Outcome("fait", holder)
