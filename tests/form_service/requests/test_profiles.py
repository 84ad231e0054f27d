"""The plan of a profile (routing and matching aids) is computed once, however many
visitors with that new profile arrive together."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from form_service.app import load_catalog
from form_service.requests.dispatch import Profile
from form_service.requests.profiles import Plan, Planner
from form_service.settings import Settings

PROFILE = Profile("59", "association", "1-3", "culture", ("tresorerie", "emploi"))


class CountingPlanner(Planner):
    """Counts computations, each made slow enough for the visitors to overlap."""

    computed = 0

    def _compute(self, profile: Profile, today: date) -> Plan:
        type(self).computed += 1
        time.sleep(0.05)
        return super()._compute(profile, today)


def test_fifty_visitors_with_a_new_profile_compute_its_plan_once(settings: Settings) -> None:
    planner = CountingPlanner(load_catalog(settings), settings)
    start = threading.Barrier(50)
    today = date(2026, 12, 1)

    def visit() -> Plan:
        start.wait()
        return planner.plan(PROFILE, today)

    with ThreadPoolExecutor(50) as pool:
        plans = list(pool.map(lambda _: visit(), range(50)))
    assert CountingPlanner.computed == 1
    assert all(plan is plans[0] for plan in plans)
    assert plans[0].reseaux  # a real routing, to the test content's networks
    assert planner.plan(PROFILE, date(2026, 12, 2)) is not plans[0]  # a new day, a new plan
    assert CountingPlanner.computed == 2
