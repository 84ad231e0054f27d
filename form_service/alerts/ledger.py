"""The content ledger: when the service first saw each aid, and a hash of its dates, so a
digest knows what is new and what changed across deploys (docs/interfaces.md §8). Pure rules; the
table lives in the database (form_service/alerts/store.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from form_service.alerts.filters import Aid


@dataclass(frozen=True)
class Seen:
    """One aid as the ledger remembers it."""

    slug: str
    first_seen: float  # Unix time the service first loaded it
    date_hash: str
    dates_changed: float | None = None  # when its dates last changed; None: never since


def date_hash(aid: Aid) -> str:
    """Hash of the dates a visitor plans with. The recurrence and the period are left out:
    rewording a period, or a content migration that adds the field, is not news."""
    dates = [
        aid.ouverture.isoformat() if aid.ouverture else None,
        aid.cloture.isoformat() if aid.cloture else None,
    ]
    return hashlib.sha256(json.dumps(dates).encode()).hexdigest()[:16]


def reconcile(ledger: Mapping[str, Seen], aids: Iterable[Aid], now: float) -> list[Seen]:
    """The entries to write after loading `aids`: those never seen, and those whose dates
    changed. Aids gone from the content keep their entry (they may come back: not new)."""
    changes = []
    for aid in aids:
        digest = date_hash(aid)
        known = ledger.get(aid.slug)
        if known is None:
            changes.append(Seen(aid.slug, now, digest))
        elif known.date_hash != digest:
            changes.append(Seen(aid.slug, known.first_seen, digest, now))
    return changes
