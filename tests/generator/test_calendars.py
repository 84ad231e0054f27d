"""/donnees/echeances.ics and /donnees/echeances-<département>.ics: which deadlines each feed
holds, and that every file parses and carries what RFC 5545 requires, read back with the
`icalendar` library as a calendar application would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from generator.calendars import write_calendars
from generator.content import territories
from generator.enrich import enrich
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 12, 6)
SITE_URL = "https://aides.example.org"

AIDS = {
    "nationale": aide(titre="Aide nationale", recurrence="ponctuelle", cloture="2027-01-31"),
    "du-nord": aide(
        titre="Aide du Nord",
        territoires=["DEP-59"],
        recurrence="ponctuelle",
        ouverture="2026-11-01",
        cloture="2026-12-20",
        demarche="https://lecompteasso.associations.gouv.fr/",
    ),
    "roubaix": aide(
        titre="Aide de Roubaix",
        territoires=["COM-59512"],
        recurrence="ponctuelle",
        cloture="2027-02-01",
    ),
    "du-rhone": aide(
        titre="Aide du Rhône",
        territoires=["DEP-69"],
        recurrence="ponctuelle",
        cloture="2027-03-01",
    ),
    "fermee": aide(titre="Aide fermée", recurrence="ponctuelle", cloture="2026-11-30"),
    "permanente": aide(titre="Aide permanente"),
    "annuelle": aide(
        titre="Appel annuel",
        territoires=["REG-32"],
        recurrence="recurrente",
        periode="chaque année, de décembre à mars",
        derniere_session={"ouverture": "2025-12-01", "cloture": "2026-03-15"},
    ),
    "sans-date": aide(
        titre="Appel sans date",
        recurrence="recurrente",
        periode="chaque année",
        derniere_session="inconnue",
    ),
    "hors-nord": aide(
        titre="Aide de France sauf le Nord",
        territoires=["FR"],
        exclusions=["DEP-59"],
        recurrence="ponctuelle",
        cloture="2027-01-10",
    ),
}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("donnees")
    write_calendars(enrich(catalog(AIDS), TODAY), out, SITE_URL)
    return out


def events(path: Path) -> dict[str, Event]:
    """The events of one file, by the aid slug their URL names."""
    calendar = Calendar.from_ical(path.read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        slug = str(event["url"]).removeprefix(f"{SITE_URL}/aides/").strip("/")
        found[slug] = event
    return found


def check_feed(path: Path) -> Calendar:
    """What a calendar application needs of the file (RFC 5545 §3.6.1, §3.7)."""
    calendar = Calendar.from_ical(path.read_bytes())
    assert isinstance(calendar, Calendar)
    assert calendar.errors == []
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    uids = []
    for event in calendar.walk("VEVENT"):
        assert event.errors == []
        for required in ("uid", "dtstamp", "dtstart", "dtend", "summary", "url"):
            assert required in event, f"{path.name}: {required} manquant"
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        # All-day events: dates, not times, one day long.
        assert type(start) is date and type(end) is date
        assert (end - start).days == 1
        assert event.decoded("dtstamp").tzinfo is not None
        uids.append(str(event["uid"]))
    assert len(uids) == len(set(uids))
    # The file reads back as it was written.
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
    return calendar


# (feed, aids it must hold, aids it must not hold)
TABLE = [
    (
        "echeances.ics",
        {"nationale", "du-nord", "roubaix", "du-rhone", "annuelle", "hors-nord"},
        {"fermee", "permanente", "sans-date"},
    ),
    (
        "echeances-59.ics",
        {"nationale", "du-nord", "roubaix", "annuelle"},
        {"du-rhone", "hors-nord"},
    ),
    (
        "echeances-69.ics",
        {"nationale", "du-rhone", "hors-nord"},
        {"du-nord", "roubaix", "annuelle"},
    ),
    (
        "echeances-62.ics",
        {"nationale", "annuelle", "hors-nord"},
        {"du-nord", "roubaix", "du-rhone"},
    ),
]


@pytest.mark.parametrize(("name", "present", "absent"), TABLE, ids=[t[0] for t in TABLE])
def test_which_deadlines_each_feed_holds(
    feeds: Path, name: str, present: set[str], absent: set[str]
) -> None:
    found = set(events(feeds / name))
    assert present <= found
    assert not absent & found
    assert found == present  # nothing else either


def test_a_feed_per_department_and_all_valid(feeds: Path) -> None:
    codes = territories.reference().departments
    assert {p.name for p in feeds.glob("*.ics")} == {
        "echeances.ics",
        *(f"echeances-{code}.ics" for code in codes),
    }
    for path in feeds.glob("*.ics"):
        check_feed(path)


def test_a_file_per_aid_with_a_deadline(feeds: Path) -> None:
    whole = set(events(feeds / "echeances.ics"))
    assert {p.stem for p in (feeds / "echeances").iterdir()} == whole
    for slug in whole:
        calendar = check_feed(feeds / "echeances" / f"{slug}.ics")
        assert list(events(feeds / "echeances" / f"{slug}.ics")) == [slug]
        assert str(calendar["x-wr-calname"]) == "Échéance d'une aide (AidESS)"


def test_a_deadline_is_an_all_day_confirmed_event_in_french(feeds: Path) -> None:
    event = events(feeds / "echeances-59.ics")["du-nord"]
    assert event.decoded("dtstart") == date(2026, 12, 20)
    assert str(event["summary"]) == "Clôture : Aide du Nord"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == f"{SITE_URL}/aides/du-nord/"
    description = str(event["description"])
    assert "Session du 1er novembre 2026 au 20 décembre 2026." in description
    assert f"Fiche de l'aide : {SITE_URL}/aides/du-nord/" in description
    assert "Faire la demande : https://lecompteasso.associations.gouv.fr/" in description
    # The build's day, not the wall clock.
    assert event.decoded("dtstamp") == datetime(2026, 12, 6, tzinfo=UTC)


def test_a_recurring_aids_expected_session_is_tentative(feeds: Path) -> None:
    event = events(feeds / "echeances.ics")["annuelle"]
    assert event.decoded("dtstart") == date(2027, 3, 15)
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["summary"]) == "Clôture attendue (dates à confirmer) : Appel annuel"
    description = str(event["description"])
    assert "dates à confirmer — chaque année, de décembre à mars" in description
    assert "dernière session connue (15 mars 2026)" in description


def test_uids_are_stable_from_one_build_to_the_next(feeds: Path, tmp_path: Path) -> None:
    write_calendars(enrich(catalog(AIDS), date(2026, 12, 7)), tmp_path, SITE_URL)
    before = {s: str(e["uid"]) for s, e in events(feeds / "echeances.ics").items()}
    after = {s: str(e["uid"]) for s, e in events(tmp_path / "echeances.ics").items()}
    assert before == after
    assert before["du-nord"] == "echeance-du-nord-2026@aides.example.org"


def test_built_site_feeds_are_valid(real_site: Path) -> None:
    data = real_site / "donnees"
    whole = check_feed(data / "echeances.ics")
    assert len(whole.walk("VEVENT")) > 0
    for code in territories.reference().departments:
        check_feed(data / f"echeances-{code}.ics")
