"""« Me prévenir 15 jours avant la clôture »: which deadlines a subscription is reminded of on
a given day, table-tested as the clock moves (docs/interfaces.md §8)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from form_service.alerts.filters import Filters, parse
from form_service.alerts.reminder_store import watching
from form_service.alerts.reminders import due, upcoming
from form_service.alerts.schedule import reminders_due
from form_service.db.connection import Connection, Cursor
from form_service.db.database import Database
from tests.form_service.alerts.test_digest import aid

DEADLINE = date(2027, 1, 20)
NORD = Filters(departement="59", echeances=True)
DAY = timedelta(days=1)

AIDS = [
    aid(slug="du-nord", titre="Aide du Nord", cloture=DEADLINE, recurrence="ponctuelle"),
    aid(
        slug="du-rhone",
        titre="Aide du Rhône",
        territoires=("DEP-69",),
        cloture=DEADLINE,
        recurrence="ponctuelle",
    ),
    aid(slug="permanente", titre="Aide permanente"),
    # A recurring call with no current session: its expected deadline is a guess, never mailed.
    aid(slug="annuelle", titre="Appel annuel", recurrence="recurrente", cloture=date(2026, 1, 20)),
    aid(
        slug="a-venir",
        titre="Session à venir",
        ouverture=DEADLINE - 5 * DAY,
        cloture=DEADLINE + 5 * DAY,
        recurrence="ponctuelle",
    ),
]


# (day, filters, already sent, slugs reminded that day)
CASES: list[tuple[str, date, Filters, frozenset[tuple[str, date]], list[str]]] = [
    ("16 days before: too early", DEADLINE - 16 * DAY, NORD, frozenset(), []),
    ("15 days before", DEADLINE - 15 * DAY, NORD, frozenset(), ["du-nord"]),
    ("already sent", DEADLINE - 14 * DAY, NORD, frozenset({("du-nord", DEADLINE)}), []),
    ("late subscriber, 3 days before", DEADLINE - 3 * DAY, NORD, frozenset(),
     ["du-nord", "a-venir"]),
    ("deadline day", DEADLINE, NORD, frozenset(), ["du-nord", "a-venir"]),
    ("the day after: closed", DEADLINE + DAY, NORD, frozenset(), ["a-venir"]),
    ("an upcoming session's deadline", DEADLINE - 10 * DAY, NORD, frozenset(),
     ["du-nord", "a-venir"]),
    ("the deadline moved: reminded again", DEADLINE - 3 * DAY, NORD,
     frozenset({("du-nord", DEADLINE + 30 * DAY)}), ["du-nord", "a-venir"]),
    ("other department", DEADLINE - 5 * DAY, Filters(departement="69", echeances=True),
     frozenset(), ["du-rhone"]),
    ("no deadlines asked", DEADLINE - 5 * DAY, Filters(departement="59"), frozenset(), []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("today", "filters", "sent", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_which_deadlines_are_reminded(
    today: date, filters: Filters, sent: frozenset[tuple[str, date]], expected: list[str]
) -> None:
    assert [r.aid.slug for r in due(filters, upcoming(AIDS, today), sent)] == expected


def test_days_left_moves_with_the_clock() -> None:
    (reminder,) = due(NORD, upcoming(AIDS[:1], DEADLINE - 15 * DAY), frozenset())
    assert reminder.days_left(DEADLINE - 15 * DAY) == 15
    assert reminder.days_left(DEADLINE) == 0


# Paris is UTC+1 in winter.
REMIND = [
    (datetime(2026, 12, 7, 6, 59, tzinfo=UTC), None, False),  # 07:59 in Paris
    (datetime(2026, 12, 7, 7, 0, tzinfo=UTC), None, True),
    (datetime(2026, 12, 7, 22, 0, tzinfo=UTC), date(2026, 12, 7), False),  # done today
    (datetime(2026, 12, 7, 23, 30, tzinfo=UTC), date(2026, 12, 7), False),  # 00:30, too early
    (datetime(2026, 12, 8, 7, 30, tzinfo=UTC), date(2026, 12, 7), True),  # the next morning
]


@pytest.mark.parametrize(("now", "done", "expected"), REMIND)
def test_reminders_go_out_each_morning_once(
    now: datetime, done: date | None, expected: bool
) -> None:
    assert reminders_due(now, done) is expected


@pytest.mark.parametrize(
    ("raw", "echeances"),
    [
        ({"departement": "59", "echeances": "oui"}, True),
        ({"departement": "59", "echeances": ""}, False),
        ({"departement": "59"}, False),
    ],
)
def test_the_choice_is_kept_but_is_not_a_filter(raw: dict[str, str], echeances: bool) -> None:
    filters, errors = parse(raw)
    assert filters is not None and not errors
    assert filters.echeances is echeances
    assert Filters.from_json(filters.to_json()) == filters
    # The same address and filters are one subscription, with or without the deadlines.
    assert filters.identity() == Filters(departement="59").identity()
    assert "echeances" not in filters.search_path()


def _subscribe(db: Database, n: int, filters: Filters, confirmed: bool = True) -> None:
    sub = f"s{n:03d}"
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO alert_subscriptions (id, email, filters, fingerprint, created, "
            "confirmed, last_confirmation) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sub, f"p{n}@asso.fr", filters.to_json(), sub, float(n), 1.0 if confirmed else None,
             float(n)),
        )  # fmt: skip


@pytest.mark.both_backends
def test_who_watches_the_deadlines_is_read_in_one_query(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However many subscriptions: each with the deadlines still to come it was reminded of
    (a passed one can never be due again)."""
    today = DEADLINE - 3 * DAY
    for n in range(30):
        _subscribe(db, n, NORD)
    _subscribe(db, 30, Filters(departement="59"))  # no deadlines asked
    _subscribe(db, 31, NORD, confirmed=False)
    reminded = [("s001", "du-nord", DEADLINE), ("s001", "a-venir", DEADLINE + 5 * DAY),
                ("s002", "du-nord", DEADLINE - 30 * DAY), ("s003", "du-nord", today)]  # fmt: skip
    with db.transaction() as conn:
        for sub, slug, day in reminded:
            conn.execute(
                "INSERT INTO alert_reminders (subscription, slug, cloture, created) "
                "VALUES (?, ?, ?, 0)",
                (sub, slug, day.isoformat()),
            )
    statements: list[str] = []
    opened = db.open

    def counting() -> Connection:
        conn = opened()
        execute = conn.execute

        def counted(sql: str, params: Sequence[object] = ()) -> Cursor:
            statements.append(sql)
            return execute(sql, params)

        monkeypatch.setattr(conn, "execute", counted)
        return conn

    monkeypatch.setattr(db, "open", counting)
    found = {sub.id: sent for sub, sent in watching(db, today)}
    assert len([s for s in statements if "alert_" in s]) == 1
    assert sorted(found) == [f"s{n:03d}" for n in range(30)]
    assert found["s001"] == {("du-nord", DEADLINE), ("a-venir", DEADLINE + 5 * DAY)}
    assert found["s002"] == frozenset()  # reminded of a deadline now passed
    assert found["s003"] == {("du-nord", today)}
    assert found["s004"] == frozenset()
