"""When digests go out: Monday morning in Paris, once per ISO week; deadline reminders: every
morning (docs/interfaces.md §8).

Pure functions of the clock (aware datetimes). The ISO week is the one of the Paris day, so a
run just after midnight on Monday in Paris (still Sunday in UTC) is already the new week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from form_service.alerts.digest import PARIS

START = time(8, 0)  # Monday, Paris time: digests are queued from then…
END = time(12, 0)  # …until noon; a service down all morning leaves it to `aidess alertes envoyer`


def iso_week(now: datetime) -> str:
    """« 2026-W49 »: the ISO week of the Paris day at `now`."""
    year, week, _ = now.astimezone(PARIS).isocalendar()
    return f"{year}-W{week:02d}"


def next_run(now: datetime, done: str | None = None) -> datetime:
    """The first instant at or after `now` when this process should queue the digests: now
    if it is Monday morning in Paris and week `done` (already run here) is another one, else
    the start of the next Monday morning. DST-safe: each Monday is placed in Paris time."""
    if now.tzinfo is None:
        raise ValueError("heure sans fuseau")
    local = now.astimezone(PARIS)
    monday = local.date() - timedelta(days=local.weekday())
    while True:
        start = datetime.combine(monday, START, PARIS)
        end = datetime.combine(monday, END, PARIS)
        if iso_week(start) != done:
            if now < start:
                return start
            if now < end:
                return now
        monday += timedelta(days=7)


def reminders_due(now: datetime, done: date | None = None) -> bool:
    """Whether this process should queue the deadline reminders at `now`: from 08:00 in
    Paris, once per Paris day (`done`: the day it last did)."""
    if now.tzinfo is None:
        raise ValueError("heure sans fuseau")
    local = now.astimezone(PARIS)
    return local.time() >= START and local.date() != done
