"""Alerts end to end with a real database (SQLite file, PostgreSQL) and the real SMTP sink:
subscribe, confirm from the mail, the content changes across a restart, `aidess alertes
envoyer`, the digest in the inbox, one-click unsubscribe
(docs/interfaces.md §8; issue 13's « done when »)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette

from aidess.cli import main
from form_service.alerts import service as alert_service
from form_service.alerts.digest import PARIS, local_day
from form_service.app import create_app
from form_service.devmail import MailSink
from form_service.settings import Settings
from generator.content.vocabularies import date_fr
from tests.form_service.conftest import TestClient
from tests.form_service.db_support import dump, url
from tests.form_service.form_support import SITE, write_aid

ORIGIN = {"Origin": SITE}
ADDRESS = "tresoriere@asso-nord.example"
WEEK = 7 * 86400.0
DAY = 86400.0

pytestmark = pytest.mark.both_backends


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[Starlette, TestClient]]:
    """The service started (content loaded, ledger written), as a deploy does."""
    app = create_app(settings)
    with TestClient(app, follow_redirects=False) as client:
        yield app, client


def deliver(app: Starlette, sink: MailSink, expected: int) -> list[EmailMessage]:
    """Run the outbox once; the mails the sink received since `expected` were counted."""
    before = len(sink.received)
    app.state.worker.run_once()
    mails = sink.received[before:]
    assert len(mails) == expected, [m.message["Subject"] for m in mails]
    return [m.message for m in mails]


def text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def link(msg: EmailMessage, pattern: str) -> str:
    """The path and query of the first link in the mail's text matching `pattern`."""
    found = re.search(rf"<({re.escape(SITE)}{pattern}[^>]*)>", text(msg))
    assert found, text(msg)
    parts = urlsplit(found.group(1))
    return f"{parts.path}?{parts.query}"


def subscribe_and_confirm(
    client: TestClient, app: Starlette, sink: MailSink, **filters: object
) -> str:
    form = {"email": ADDRESS, "consentement": "oui", "site_web": "", **filters}
    answer = client.post("/alertes", data=form, headers=ORIGIN)  # type: ignore[arg-type]
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{SITE}/alertes/envoyee/"
    (confirmation,) = deliver(app, sink, 1)
    assert confirmation["To"] == ADDRESS
    assert confirmation["Subject"] == "Confirmez votre alerte AidESS"
    manage = link(confirmation, "/alertes/")
    page = client.get(manage)
    assert page.status_code == 200
    assert "Confirmer mon alerte" in page.text  # a link scanner's GET confirms nothing
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "strict-origin"
    path, key = urlsplit(manage).path, manage.split("cle=")[1]
    confirmed = client.post(path, data={"cle": key, "confirmer": "1"}, headers=ORIGIN)
    assert confirmed.status_code == 303
    after = urlsplit(confirmed.headers["location"])
    page = client.get(f"{after.path}?{after.query}")
    assert "Votre alerte est confirmée" in page.text
    return manage


def send_digests(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """`aidess alertes envoyer`, configured like the service."""
    env = {
        "AIDESS_SITE_URL": settings.site_url,
        "AIDESS_MAIL_FROM": settings.mail_from,
        "AIDESS_FALLBACK_EMAIL": settings.fallback_email,
        "AIDESS_SMTP_HOST": settings.smtp_host,
        "AIDESS_CONTENT": str(settings.content),
        "AIDESS_DATABASE": url(settings.database),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["alertes", "envoyer"]) == 0
    return capsys.readouterr().out


def everything_stored(settings: Settings) -> str:
    return dump(settings.database)


def test_subscribe_confirm_digest_once_and_one_click_unsubscribe(
    settings: Settings,
    content: Path,
    sink: MailSink,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with serving(settings) as (app, client):
        subscribe_and_confirm(client, app, sink, departement="59", besoin="emploi")

    # A deploy: the content gains an aid for the Nord and one for the Finistère.
    write_aid(content, "emploi-lille", titre="Emploi associatif à Lille", besoins=["emploi"],
              territoires=["DEP-59"])  # fmt: skip
    write_aid(content, "emploi-brest", titre="Emploi associatif à Brest", besoins=["emploi"],
              territoires=["DEP-29"])  # fmt: skip
    with serving(settings) as (app, client):
        assert "1 résumé(s) mis en file" in send_digests(settings, monkeypatch, capsys)
        (digest,) = deliver(app, sink, 1)
        body = text(digest)
        assert digest["To"] == ADDRESS
        assert digest["Subject"] == "AidESS : 1 aide pour votre veille"
        assert (
            f"- Emploi associatif à Lille (sans date limite) <{SITE}/aides/emploi-lille/>" in body
        )
        assert "Brest" not in body
        # Already known aids are not news.
        assert "Fonds emploi associatif du Nord" not in body
        assert "Département : Nord (59)" in body
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        https, mailto = digest["List-Unsubscribe"].split(", ")
        assert https.startswith(f"<{SITE}/alertes/") and "/desabonnement?cle=" in https
        assert mailto.startswith("<mailto:orientation@aidess.example?subject=")

        # A second run the same week sends nothing.
        assert "0 résumé(s) mis en file" in send_digests(settings, monkeypatch, capsys)
        deliver(app, sink, 0)

        # One-click (RFC 8058): a bare POST to the List-Unsubscribe address, no Origin.
        unsubscribe = urlsplit(https.strip("<>"))
        answer = client.post(f"{unsubscribe.path}?{unsubscribe.query}")
        assert answer.status_code == 200
        assert "Vous êtes désabonné" in answer.text
    assert ADDRESS not in everything_stored(settings)
    # The links of the mails lead nowhere now.
    with serving(settings) as (app, client):
        assert client.get(link(digest, "/alertes/")).status_code == 404


def test_a_deadline_within_30_days_is_announced_once(
    settings: Settings, content: Path, sink: MailSink
) -> None:
    soon = date.today() + timedelta(days=12)
    write_aid(content, "appel-nord", titre="Appel à projets du Nord", besoins=["emploi"],
              territoires=["REG-32"], cloture=soon.isoformat())  # fmt: skip
    with serving(settings) as (app, client):
        subscribe_and_confirm(client, app, sink, departement="59", besoin="emploi")
        alerts = app.state.alerts
        now = time.time()
        assert alerts.send_now(now).queued == 1
        (digest,) = deliver(app, sink, 1)
        assert "Clôture dans moins de 30 jours" in text(digest)
        assert f"<{SITE}/aides/appel-nord/>" in text(digest)
        # Next week, the deadline is still within 30 days: it was announced, not again.
        report = alerts.send_now(now + WEEK)
        assert (report.subscriptions, report.queued, report.empty) == (1, 0, 1)
        deliver(app, sink, 0)


def test_unsubscribing_by_the_link_asks_first_then_erases(
    settings: Settings, sink: MailSink
) -> None:
    with serving(settings) as (app, client):
        manage = subscribe_and_confirm(client, app, sink, region="32")
        page = client.get(manage)
        pattern = r'action="(/alertes/[0-9a-f]+/desabonnement)".*?name="cle" value="([^"]+)"'
        form = re.search(pattern, page.text, re.S)
        assert form
        # Opening the page (mail filters open links) erases nothing.
        unsubscribe_page = client.get(f"{form.group(1)}?cle={form.group(2)}")
        assert unsubscribe_page.status_code == 200
        assert "Me désabonner" in unsubscribe_page.text
        assert ADDRESS in everything_stored(settings)
        answer = client.post(form.group(1), data={"cle": form.group(2)}, headers=ORIGIN)
        assert answer.status_code == 200 and "adresse a été effacée" in answer.text
        assert ADDRESS not in everything_stored(settings)
        again = client.post(form.group(1), data={"cle": form.group(2)}, headers=ORIGIN)
        assert again.status_code == 404


def test_deadlines_are_reminded_15_days_before_once_each(
    settings: Settings,
    content: Path,
    sink: MailSink,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = time.time()
    today = local_day(now)
    later, soon = today + timedelta(days=20), today + timedelta(days=10)
    common = {"besoins": ["emploi"], "recurrence": "ponctuelle"}
    write_aid(content, "appel-nord", titre="Appel à projets du Nord", territoires=["REG-32"],
              cloture=later.isoformat(), **common)  # fmt: skip
    write_aid(content, "appel-proche", titre="Appel qui ferme bientôt", territoires=["FR"],
              cloture=soon.isoformat(), **common)  # fmt: skip
    with serving(settings) as (app, client):
        manage = subscribe_and_confirm(
            client, app, sink, departement="59", besoin="emploi", echeances="oui"
        )
        assert re.search(r'id="alerte-echeances"[^>]*checked', client.get(manage).text)
        # `aidess alertes envoyer`: this week's digest, and the deadline already within 15 days.
        out = send_digests(settings, monkeypatch, capsys)
        assert "1 résumé(s)" in out and "1 rappel(s) de date limite" in out
        digest, first = sorted(deliver(app, sink, 2), key=lambda m: str(m["Subject"]))
        assert digest["Subject"] == "AidESS : 2 aides pour votre veille"
        assert first["Subject"] == "Clôture dans 10 jours : Appel qui ferme bientôt"

        alerts = app.state.alerts
        assert alerts.remind_now(now) == 0  # the other deadline is 20 days away
        assert alerts.remind_now(now + 4 * DAY) == 0  # 16 days
        assert alerts.remind_now(now + 5 * DAY) == 1  # 15 days
        app.state.worker.clock = lambda: now + 5 * DAY  # the outbox lives on that day too
        (reminder,) = deliver(app, sink, 1)
        assert reminder["To"] == ADDRESS
        assert reminder["Subject"] == "Clôture dans 15 jours : Appel à projets du Nord"
        body = text(reminder)
        assert f"clôture le {date_fr(later)} (dans 15 jours)" in body
        assert f"<{SITE}/aides/appel-nord/>" in body
        assert "Avant chaque clôture : un courriel 15 jours avant" in body
        assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Once: again the same day, the next day, or from the command.
        assert alerts.remind_now(now + 5 * DAY) == 0
        assert alerts.remind_now(now + 6 * DAY) == 0
        assert "0 rappel(s)" in send_digests(settings, monkeypatch, capsys)
        deliver(app, sink, 0)

        # Unsubscribing from the reminder erases the address and what it was reminded of.
        https = reminder["List-Unsubscribe"].split(", ")[0].strip("<>")
        unsubscribe = urlsplit(https)
        assert client.post(f"{unsubscribe.path}?{unsubscribe.query}").status_code == 200
    stored = everything_stored(settings)
    assert ADDRESS not in stored and "alert_reminders" not in reminders_left(settings)


def test_without_the_choice_no_reminder_and_it_can_be_ticked_later(
    settings: Settings, content: Path, sink: MailSink
) -> None:
    now = time.time()
    soon = local_day(now) + timedelta(days=15)
    write_aid(content, "appel-nord", titre="Appel à projets du Nord", besoins=["emploi"],
              territoires=["DEP-59"], recurrence="ponctuelle",
              cloture=soon.isoformat())  # fmt: skip
    with serving(settings) as (app, client):
        manage = subscribe_and_confirm(client, app, sink, departement="59")
        assert not re.search(r'id="alerte-echeances"[^>]*checked', client.get(manage).text)
        alerts = app.state.alerts
        assert alerts.remind_now(now) == 0
        path, key = urlsplit(manage).path, manage.split("cle=")[1]
        changed = client.post(
            path, data={"cle": key, "departement": "59", "echeances": "oui"}, headers=ORIGIN
        )
        assert changed.status_code == 303
        after = urlsplit(changed.headers["location"])
        page = client.get(f"{after.path}?{after.query}").text
        assert "Avant chaque clôture" in page
        assert alerts.remind_now(now) == 1
        (reminder,) = deliver(app, sink, 1)
        assert reminder["Subject"] == "Clôture dans 15 jours : Appel à projets du Nord"


def reminders_left(settings: Settings) -> str:
    """The reminder rows still stored, as text (empty when none)."""
    from form_service.db.database import Database

    with Database(settings.database).connect() as conn:
        rows = conn.execute("SELECT subscription, slug FROM alert_reminders").fetchall()
    return f"alert_reminders {rows}" if rows else ""


def test_the_service_reminds_each_morning_from_8(
    settings: Settings, content: Path, sink: MailSink
) -> None:
    """The service's own schedule (alerts/service.py `weekly`), on a clock set to a Tuesday:
    nothing at 07:30 in Paris, the reminder at 08:30."""
    tuesday = date(2027, 3, 2)
    deadline = tuesday + timedelta(days=15)
    write_aid(content, "appel-nord", titre="Appel à projets du Nord", territoires=["DEP-59"],
              besoins=["benevolat"], recurrence="ponctuelle",
              cloture=deadline.isoformat())  # fmt: skip
    with serving(settings) as (app, client):
        subscribe_and_confirm(
            client, app, sink, departement="59", besoin="benevolat", echeances="oui"
        )
        alerts = app.state.alerts

        def run_once(hour: int, minute: int) -> None:
            moment = datetime.combine(tuesday, dtime(hour, minute), PARIS)

            async def one_round() -> None:
                task = asyncio.create_task(alert_service.weekly(alerts, lambda: moment))
                await asyncio.sleep(0.5)  # one round of the loop; it then sleeps
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

            # its own thread: a browser test's event loop may be running in this one
            with ThreadPoolExecutor(1) as pool:
                pool.submit(lambda: asyncio.run(one_round())).result()
            app.state.worker.clock = moment.timestamp

        run_once(7, 30)
        deliver(app, sink, 0)
        run_once(8, 30)
        (reminder,) = deliver(app, sink, 1)
        assert reminder["Subject"] == "Clôture dans 15 jours : Appel à projets du Nord"
