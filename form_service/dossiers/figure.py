"""The measured figure said after the promise (docs/interfaces.md §7, « The requester's
side »): how many of the region's requests of the last 90 days a network took within 2
working days, once there are enough of them. The requester's page says it as of now; the
acknowledgment as of its request, so that a resend is the same mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from form_service.db.connection import Connection
from form_service.dossiers import queries as dossier_queries
from form_service.dossiers.workdays import add_workdays
from generator.content.forms.promise import MEASURED_DAYS, measured
from generator.content.territories import reference


def fast(created: float, taken: float | None) -> bool:
    """Taken within 2 working days of its request."""
    return taken is not None and (
        taken <= add_workdays(datetime.fromtimestamp(created, UTC), 2).timestamp()
    )


def region_figure(conn: Connection, departement: str, at: float) -> str | None:
    """The figure of the department's region over the MEASURED_DAYS before `at` (Unix time:
    the acknowledgment's is its request's, to the digit), from what
    the database held then (the dossiers created and taken before it); None under
    MEASURED_MIN dossiers, or for an unknown department."""
    ref = reference()
    found = ref.departments.get(departement)
    if found is None:
        return None
    deps = [dep.code for dep in ref.departments_of_region(found.region)]
    since = at - timedelta(days=MEASURED_DAYS).total_seconds()
    facts = dossier_queries.recent_delays(conn, deps, since, at)
    return measured(len(facts), sum(1 for created, taken in facts if fast(created, taken)))
