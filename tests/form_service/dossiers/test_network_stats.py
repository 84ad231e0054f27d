"""The per-network view as a table: refusal rate, share taken within 2 working days, the flag."""

from __future__ import annotations

from datetime import timedelta

from form_service.dossiers.model import Dossier, Event, Recipient
from form_service.dossiers.network_stats import as_csv, by_network
from tests.form_service.dossiers.test_model import T0  # Tuesday 1 December 2026, 10 h


def dossier(n: int, events: tuple[tuple[str, str, int], ...]) -> Dossier:
    """Two networks on each dossier; each event (actor, action, working hours later)."""
    recipients = tuple(
        Recipient(rid, "reseau", slug, slug.upper(), f"{slug}@x.example", T0, "routage")
        for rid, slug in (("r1", "dla"), ("r2", "fa"))
    )
    recorded = tuple(
        Event(T0 + timedelta(hours=h), actor, action, id=i)
        for i, (actor, action, h) in enumerate(events)
    )
    return Dossier(f"d{n}", f"AID-2026-{n:05d}", T0, "59", ("emploi",), recipients, recorded)


def test_refusals_and_delays_per_network() -> None:
    dossiers = [dossier(1, (("r1", "prendre", 2), ("r2", "decliner", 3)))]
    dossiers += [dossier(2, (("r1", "prendre", 24 * 8),))]  # a week later: not within 2 days
    dossiers += [dossier(n, (("r2", "decliner", 1),)) for n in range(3, 22)]
    lines = {line.reseau: line for line in by_network(dossiers)}
    dla, fa = lines["dla"], lines["fa"]
    assert (dla.dossiers, dla.pris, dla.declines, dla.pris_en_2_jours) == (21, 2, 0, 0.048)
    assert not dla.alerte_refus
    assert (fa.dossiers, fa.declines, fa.taux_refus) == (21, 20, 0.952)
    assert fa.alerte_refus  # past 30 % over at least 20 dossiers
    few = {line.reseau: line for line in by_network(dossiers[:19])}
    assert few["fa"].taux_refus > 0.3 and not few["fa"].alerte_refus  # 19 dossiers: too few
    assert as_csv(by_network(dossiers)).splitlines()[2].endswith(",oui")
