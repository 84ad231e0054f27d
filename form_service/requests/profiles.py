"""Who receives a request and what its emails say, per profile, memoised.

Routing and aid matching are pure functions of the profile (and of the day, for the aids'
deadlines), and the content is loaded once at start-up: the answer for a profile is computed
once, then reused by every request with that profile.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from form_service.requests import mail_plan
from form_service.requests.aids import AidIndex, search_url
from form_service.requests.dispatch import Networks, Profile, Routing, route
from form_service.settings import Settings
from generator.content import urls
from generator.content.catalog import Catalog

CACHE_SIZE = 4096  # profiles kept; a plan is a few kilobytes


@dataclass(frozen=True)
class Plan:
    """The routing of a profile and what its emails need, ready to store."""

    routing: Routing
    snapshot: mail_plan.Snapshot
    snapshot_json: str
    reseaux: tuple[str, ...]  # chosen networks' slugs


class Planner:
    def __init__(self, catalog: Catalog, settings: Settings, size: int = CACHE_SIZE) -> None:
        self.catalog, self.settings, self.size = catalog, settings, size
        self.reseaux = {slug: record.data for slug, record in catalog.reseaux.items()}
        self.networks = Networks(self.reseaux)
        self.aids = AidIndex(catalog.aides)
        self._cache: OrderedDict[tuple[Profile, date], Plan] = OrderedDict()
        self._lock = threading.Lock()
        # One computation at a time: when fifty clients arrive with a new profile, one
        # computes it and the others wait for it, instead of fifty computing it at once
        # (they would share one core through the GIL, each as slow as all of them).
        self._computing = threading.Lock()

    def cached(self, profile: Profile, today: date) -> Plan | None:
        """The plan if it was already computed (cheap: call it from the event loop)."""
        key = (profile, today)
        with self._lock:
            plan = self._cache.get(key)
            if plan is not None:
                self._cache.move_to_end(key)
            return plan

    def plan(self, profile: Profile, today: date) -> Plan:
        """The plan, computed on first use (up to tens of ms on a large catalogue)."""
        plan = self.cached(profile, today)
        if plan is not None:
            return plan
        with self._computing:
            plan = self.cached(profile, today)  # computed while this thread waited
            if plan is not None:
                return plan
            plan = self._compute(profile, today)
            with self._lock:
                self._cache[(profile, today)] = plan
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        return plan

    def _compute(self, profile: Profile, today: date) -> Plan:
        site = self.settings.site_url
        aide = self.catalog.aides.get(profile.aide) if profile.aide else None
        routing = route(profile, self.networks, aide.data.reseaux if aide else ())
        snapshot = mail_plan.snapshot(
            routing,
            self.reseaux,
            aide=(aide.data.titre, site + urls.aide(aide.slug)) if aide else None,
            matches=self.aids.matching(profile, today, site),
            search_url=search_url(site, profile),
            retention_days=self.settings.retention_days,
        )
        reseaux = tuple(c.slug for c in routing.choices)
        return Plan(routing, snapshot, snapshot.to_json(), reseaux)
