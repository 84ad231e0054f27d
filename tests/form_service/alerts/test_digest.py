"""What a weekly digest holds: table tests of the selection rules (docs/interfaces.md §8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from form_service.alerts.digest import MAX_ITEMS, Previous, local_day, select
from form_service.alerts.filters import Aid, Filters
from form_service.alerts.ledger import Seen, date_hash, reconcile

TODAY = date(2026, 12, 7)  # a Monday
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC).timestamp()  # 08:00 in Paris
LAST_WEEK = datetime(2026, 11, 30, 7, 0, tzinfo=UTC).timestamp()
LONG_AGO = datetime(2026, 1, 5, tzinfo=UTC).timestamp()
BETWEEN = datetime(2026, 12, 3, 15, 0, tzinfo=UTC).timestamp()
NORD = Filters(departement="59")

BASE = Aid(
    slug="aide",
    titre="Aide",
    territoires=("DEP-59",),
    exclusions=(),
    secteurs=("tous",),
    besoins=("emploi",),
    structures=("association",),
    effectifs=("0", "1-3", "4-10", "11-49", "50+"),
    ouverture=None,
    cloture=None,
    recurrence="permanente",
)


def aid(**changes: object) -> Aid:
    return replace(BASE, **changes)  # type: ignore[arg-type]


def seen(a: Aid, first: float = LONG_AGO, changed: float | None = None) -> Seen:
    return Seen(a.slug, first, date_hash(a), changed)


def reasons(aids: list[Aid], ledger: list[Seen], previous: Previous) -> dict[str, str]:
    digest = select(NORD, aids, {s.slug: s for s in ledger}, previous, TODAY)
    return {item.aid.slug: item.reason for item in digest.items}


PREVIOUS = Previous(LAST_WEEK)


@pytest.mark.parametrize(
    ("the_aid", "first", "changed", "previous", "expected"),
    [
        # New since the previous digest, or not.
        (aid(), BETWEEN, None, PREVIOUS, "nouvelle"),
        (aid(), LONG_AGO, None, PREVIOUS, None),
        (aid(), LAST_WEEK, None, PREVIOUS, None),  # seen by the previous run itself
        # New but closed, or elsewhere: never listed.
        (aid(cloture=date(2026, 12, 1), recurrence="ponctuelle"), BETWEEN, None, PREVIOUS, None),
        (aid(territoires=("DEP-29",)), BETWEEN, None, PREVIOUS, None),
        # A region-wide aid is listed for a department of that region (two-way rules).
        (aid(territoires=("REG-32",)), BETWEEN, None, PREVIOUS, "nouvelle"),
        # Dates changed since the previous digest.
        (aid(cloture=date(2027, 6, 1)), LONG_AGO, BETWEEN, PREVIOUS, "dates"),
        (aid(cloture=date(2027, 6, 1)), LONG_AGO, LONG_AGO, PREVIOUS, None),
        # A recurring aid whose session opened since the previous digest.
        (
            aid(recurrence="recurrente", ouverture=date(2026, 12, 4), cloture=date(2027, 3, 1)),
            LONG_AGO,
            None,
            PREVIOUS,
            "session",
        ),
        (
            aid(recurrence="recurrente", ouverture=TODAY, cloture=date(2027, 3, 1)),
            LONG_AGO,
            None,
            PREVIOUS,
            "session",
        ),
        (
            aid(recurrence="recurrente", ouverture=date(2026, 11, 30), cloture=date(2027, 3, 1)),
            LONG_AGO,
            None,
            PREVIOUS,
            None,  # opened the day of the previous digest: said then
        ),
        (
            aid(recurrence="recurrente", ouverture=date(2026, 12, 20), cloture=date(2027, 3, 1)),
            LONG_AGO,
            None,
            PREVIOUS,
            None,  # not open yet
        ),
        # A one-off aid opening is not a « session ».
        (
            aid(recurrence="ponctuelle", ouverture=date(2026, 12, 4), cloture=date(2027, 3, 1)),
            LONG_AGO,
            None,
            PREVIOUS,
            None,
        ),
        # A recurring aid past its session is « à confirmer », not closed: a new one is listed.
        (
            aid(recurrence="recurrente", periode="chaque printemps", cloture=date(2026, 4, 1)),
            BETWEEN,
            None,
            PREVIOUS,
            "nouvelle",
        ),
        # Deadline within 30 days: announced once.
        (
            aid(recurrence="ponctuelle", cloture=date(2026, 12, 20)),
            LONG_AGO,
            None,
            PREVIOUS,
            "cloture",
        ),
        (
            aid(recurrence="ponctuelle", cloture=date(2027, 1, 6)),
            LONG_AGO,
            None,
            PREVIOUS,
            "cloture",
        ),  # the 30th day
        (aid(recurrence="ponctuelle", cloture=date(2027, 1, 7)), LONG_AGO, None, PREVIOUS, None),
        (aid(recurrence="ponctuelle", cloture=TODAY), LONG_AGO, None, PREVIOUS, "cloture"),
        (
            aid(recurrence="ponctuelle", cloture=date(2026, 12, 20)),
            LONG_AGO,
            None,
            Previous(LAST_WEEK, frozenset({("aide", date(2026, 12, 20))})),
            None,
        ),
        (
            # Postponed: the new deadline is news again.
            aid(recurrence="ponctuelle", cloture=date(2026, 12, 28)),
            LONG_AGO,
            None,
            Previous(LAST_WEEK, frozenset({("aide", date(2026, 12, 20))})),
            "cloture",
        ),
    ],
)
def test_reason(
    the_aid: Aid, first: float, changed: float | None, previous: Previous, expected: str | None
) -> None:
    found = reasons([the_aid], [seen(the_aid, first, changed)], previous)
    assert found.get(the_aid.slug) == expected


def test_each_aid_once_and_its_near_deadline_counts_as_announced() -> None:
    new_soon = aid(slug="nouvelle-proche", titre="B", cloture=date(2026, 12, 15))
    old_soon = aid(slug="ancienne-proche", titre="A", cloture=date(2026, 12, 10))
    new_later = aid(slug="nouvelle-tard", titre="C", cloture=date(2027, 5, 1))
    ledger = {
        "nouvelle-proche": seen(new_soon, BETWEEN),
        "ancienne-proche": seen(old_soon),
        "nouvelle-tard": seen(new_later, BETWEEN),
    }
    digest = select(NORD, [new_later, old_soon, new_soon], ledger, PREVIOUS, TODAY)
    assert [(i.aid.slug, i.reason, i.closing_soon) for i in digest.items] == [
        ("nouvelle-proche", "nouvelle", True),  # by deadline inside a section
        ("nouvelle-tard", "nouvelle", False),
        ("ancienne-proche", "cloture", True),
    ]
    assert digest.deadlines == {
        ("nouvelle-proche", date(2026, 12, 15)),
        ("ancienne-proche", date(2026, 12, 10)),
    }
    # Next week, with what this digest announced: nothing left to say.
    after = Previous(NOW, digest.deadlines)
    next_week = date(2026, 12, 14)
    assert not select(NORD, [new_later, old_soon, new_soon], ledger, after, next_week)
    assert [s for s, _ in digest.sections()] == [
        "Nouvelles aides",
        "Clôture dans moins de 30 jours",
    ]


def test_nothing_matching_is_an_empty_digest() -> None:
    elsewhere = aid(territoires=("DEP-29",))
    assert not select(NORD, [elsewhere], {"aide": seen(elsewhere, BETWEEN)}, PREVIOUS, TODAY)


def test_an_aid_missing_from_the_ledger_is_not_new() -> None:
    # The ledger is written before any selection; an unknown slug is a race, not news.
    assert not select(NORD, [aid()], {}, PREVIOUS, TODAY)


def test_long_digests_are_cut_and_count_the_rest() -> None:
    aids = [aid(slug=f"aide-{n:03d}", titre=f"Aide {n:03d}") for n in range(MAX_ITEMS + 5)]
    ledger = {a.slug: seen(a, BETWEEN) for a in aids}
    digest = select(NORD, aids, ledger, PREVIOUS, TODAY)
    assert len(digest.items) == MAX_ITEMS and digest.more == 5


def test_paris_day_of_a_timestamp() -> None:
    # 23:30 UTC on Sunday is already Monday in Paris.
    assert local_day(datetime(2026, 12, 6, 23, 30, tzinfo=UTC).timestamp()) == TODAY


def test_ledger_records_new_aids_and_date_changes_only() -> None:
    kept, moved, fresh = aid(slug="kept"), aid(slug="moved"), aid(slug="fresh")
    ledger = {"kept": seen(kept), "moved": seen(moved)}
    moved_later = replace(moved, cloture=date(2027, 2, 1))
    assert reconcile(ledger, [kept, moved_later, fresh], NOW) == [
        Seen("moved", LONG_AGO, date_hash(moved_later), NOW),
        Seen("fresh", NOW, date_hash(fresh)),
    ]
    # Rewording the period or adding the recurrence is not a date change.
    assert date_hash(replace(kept, periode="au printemps", recurrence="recurrente")) == (
        date_hash(kept)
    )
