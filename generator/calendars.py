"""The deadlines as iCalendar feeds (docs/interfaces.md §5): /donnees/echeances.ics for every
aid, /donnees/echeances-<département>.ics for the aids covering each department, so a structure
subscribes its own calendar to them, and /donnees/echeances/<slug>.ics for one aid's deadline
(« Ajouter la date limite à mon agenda » on its page). One all-day event per aid: its
deadline, or the deadline its last known session suggests (« dates à confirmer »,
TENTATIVE). The build's day stamps them, so two builds of the same content on the same day
give the same files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from generator.content import territories, urls
from generator.content.deadlines import Deadline, next_deadline
from generator.content.vocabularies import date_fr
from generator.enrich import AideEntry, Site

PRODID = "-//AidESS//Échéances des aides//FR"
FILE = "echeances.ics"
AIDE_FOLDER = "echeances"


def departement_file(code: str) -> str:
    """echeances-59.ics, echeances-2A.ics."""
    return f"echeances-{code}.ics"


def departement_url(code: str) -> str:
    return urls.DATA_PATH + departement_file(code)


def aide_url(slug: str) -> str:
    """/donnees/echeances/<slug>.ics: one aid's deadline."""
    return f"{urls.DATA_PATH}{AIDE_FOLDER}/{slug}.ics"


def deadline_of(entry: AideEntry, today: date) -> Deadline | None:
    aide = entry.data
    return next_deadline(
        aide.ouverture, aide.cloture, aide.recurrence, aide.derniere_session, today
    )


def deadlines(site: Site) -> list[tuple[AideEntry, Deadline]]:
    """Every aid with a deadline to keep on the build day, by date then slug."""
    found = []
    for entry in site.aides.values():
        deadline = deadline_of(entry, site.today)
        if deadline is not None:
            found.append((entry, deadline))
    return sorted(found, key=lambda item: (item[1].day, item[0].slug))


def _description(entry: AideEntry, deadline: Deadline, link: str) -> str:
    aide = entry.data
    lines = [aide.resume, f"Pour qui : {aide.pour_qui}"]
    if deadline.expected:
        lines.append(f"Session récurrente, dates à confirmer — {aide.periode}")
        assert deadline.known is not None
        known = date_fr(deadline.known)
        lines.append(f"Date estimée d'après la dernière session connue ({known}).")
        if deadline.opening:
            lines.append(f"Ouverture attendue vers le {date_fr(deadline.opening)}.")
    elif deadline.opening:
        lines.append(f"Session du {date_fr(deadline.opening)} au {date_fr(deadline.day)}.")
    lines.append(f"Fiche de l'aide : {link}")
    if aide.demarche:
        lines.append(f"Faire la demande : {aide.demarche}")
    return "\n".join(lines)


def event(entry: AideEntry, deadline: Deadline, site_url: str, stamp: datetime) -> Event:
    """The all-day event of one aid's deadline. Its UID names the aid and the year of the
    deadline: a session's event is updated in place when its dates are confirmed or change,
    and next year's session is another event."""
    link = site_url + urls.aide(entry.slug)
    host = urlsplit(site_url).hostname or "aidess"
    titre = entry.data.titre
    item = Event()
    item.add("uid", f"echeance-{entry.slug}-{deadline.day.year}@{host}")
    item.add("dtstamp", stamp)
    item.add("dtstart", deadline.day)
    item.add("dtend", deadline.day + timedelta(days=1))
    if deadline.expected:
        item.add("summary", f"Clôture attendue (dates à confirmer) : {titre}")
        item.add("status", "TENTATIVE")
    else:
        item.add("summary", f"Clôture : {titre}")
        item.add("status", "CONFIRMED")
    item.add("description", _description(entry, deadline, link))
    item.add("url", link)
    item.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    item.add("last-modified", datetime.combine(entry.data.mise_a_jour, time(), tzinfo=UTC))
    return item


def _empty(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what most calendar apps read
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    return calendar


END = b"END:VCALENDAR\r\n"


def feed_head(name: str) -> bytes:
    """The serialised calendar `name` without its end: what `feed_bytes` puts events after."""
    head: bytes = _empty(name).to_ical()
    assert head.endswith(END)
    return head.removesuffix(END)


def feed_bytes(head: bytes, events: Iterable[bytes]) -> bytes:
    """The calendar `head` opened, with `events` serialised once: each event is in up to
    103 files, and serialising it once is what keeps the stage short at 10,000 aids."""
    return head + b"".join(events) + END


def write_calendars(site: Site, out: Path, site_url: str) -> None:
    """Write echeances.ics and one echeances-<code>.ics per department into `out`."""
    stamp = datetime.combine(site.today, time(), tzinfo=UTC)
    items = [
        (entry, event(entry, deadline, site_url, stamp).to_ical())
        for entry, deadline in deadlines(site)
    ]
    out.mkdir(parents=True, exist_ok=True)
    whole = feed_bytes(feed_head("Échéances des aides (AidESS)"), (e for _, e in items))
    (out / FILE).write_bytes(whole)
    ref = territories.reference()
    by_departement: dict[str, list[bytes]] = {code: [] for code in ref.departments}
    for entry, item in items:
        for code in entry.departements:
            by_departement[code].append(item)
    for code, events in by_departement.items():
        name = f"Échéances des aides : {ref.name(f'DEP-{code}')} (AidESS)"
        (out / departement_file(code)).write_bytes(feed_bytes(feed_head(name), events))
    (out / AIDE_FOLDER).mkdir(exist_ok=True)
    # One name for every one-aid file: imported into a calendar, the event's summary names
    # the aid; and one head serialised instead of one per aid.
    head = feed_head("Échéance d'une aide (AidESS)")
    for entry, item in items:
        (out / AIDE_FOLDER / f"{entry.slug}.ics").write_bytes(feed_bytes(head, [item]))
