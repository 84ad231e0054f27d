"""POST /alertes and the subscription pages: French errors, the abuse limits of /demandes,
no second confirmation within 24 hours, changing the filters, erasure of the unconfirmed."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from aidess.cli import main
from form_service.alerts import run, store
from form_service.alerts.filters import Filters
from form_service.app import create_app
from form_service.devmail import MailSink
from form_service.devserver import running
from form_service.settings import RateLimit, Settings
from tests.form_service import db_support
from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE

ORIGIN = {"Origin": SITE}
FORM = {"email": "benevole@asso.example", "consentement": "oui", "departement": "59"}


pytestmark = pytest.mark.both_backends


def rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    return db_support.rows(settings.database, sql)


def delivered(app: Starlette, sink: MailSink) -> list[EmailMessage]:
    before = len(sink.received)
    app.state.worker.run_once()
    return [m.message for m in sink.received[before:]]


def manage_link(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    found = re.search(rf"<{re.escape(SITE)}(/alertes/[0-9a-f]+\?cle=[^>]+)>", part.get_content())
    assert found
    return found.group(1)


def test_errors_are_french_next_to_their_field_and_values_are_kept(client: TestClient) -> None:
    answer = client.post(
        "/alertes",
        data={"email": "pas-une-adresse", "departement": "29", "region": "32", "besoin": "x"},
        headers=ORIGIN,
    )
    assert answer.status_code == 422
    page = answer.text
    assert "Le formulaire contient 4 erreurs" in page
    assert "adresse électronique invalide" in page
    assert "pas dans la région choisie" in page
    assert "cochez cette case pour recevoir les alertes" in page
    assert 'value="pas-une-adresse"' in page
    assert 'aria-invalid="true"' in page and 'id="alerte-email-erreur"' in page
    assert '<option value="29" selected>' in page


def test_json_answers_202_or_422_with_the_errors(client: TestClient, sink: MailSink) -> None:
    ok = client.post(
        "/alertes",
        json={"email": "a@asso.example", "departement": "59", "besoin": ["emploi", "locaux"],
              "consentement": True},
    )  # fmt: skip
    assert ok.status_code == 202 and ok.json()["etat"] == "a-confirmer"
    bad = client.post("/alertes", json={"email": "a@asso.example", "secteur": "cuisine"})
    assert bad.status_code == 422
    assert set(bad.json()["erreurs"]) == {"secteur", "consentement"}
    # An unknown field is a field error, as on /demandes.
    unknown = client.post("/alertes", json={"email": "a@asso.example", "telephone": "x"})
    assert unknown.status_code == 422
    assert unknown.json() == {"erreurs": {"telephone": "champ inconnu"}}


def test_limits_of_demandes_apply(settings: Settings, sink: MailSink) -> None:
    app = create_app(replace(settings, rate_limit=RateLimit(2, 3600)))
    with TestClient(app, follow_redirects=False) as client:
        refused = client.post("/alertes", data=FORM, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403
        huge = client.post("/alertes", data={**FORM, "email": "x" * 70_000}, headers=ORIGIN)
        assert huge.status_code == 413
        # The honeypot: the normal answer, nothing stored, nothing sent.
        trap = client.post("/alertes", data={**FORM, "site_web": "https://spam.example"})
        assert trap.status_code == 303
        assert rows(settings, "SELECT count(*) FROM alert_subscriptions") == [(0,)]
        assert delivered(app, sink) == []
        ok = client.post("/alertes", data={**FORM, "email": "autre@asso.example"}, headers=ORIGIN)
        assert ok.status_code == 303
        # Two stored (honeypot included) out of 2 per hour: the third is refused.
        third = client.post("/alertes", data={**FORM, "email": "trois@asso.example"})
        assert third.status_code == 429 and int(third.headers["retry-after"]) > 0


def test_the_same_address_and_filters_get_one_mail_a_day(
    settings: Settings, client: TestClient, app: Starlette, sink: MailSink
) -> None:
    for _ in range(3):
        assert client.post("/alertes", data=FORM, headers=ORIGIN).status_code == 303
    assert len(delivered(app, sink)) == 1
    assert rows(settings, "SELECT count(*) FROM alert_subscriptions") == [(1,)]
    # Other filters for the same address are another subscription, up to 3 mails a day.
    for besoin in ("emploi", "locaux", "numerique", "formation"):
        client.post("/alertes", data={**FORM, "besoin": besoin}, headers=ORIGIN)
    assert len(delivered(app, sink)) == 2


def test_asking_again_after_a_day_sends_the_links_of_the_active_alert(
    settings: Settings, app: Starlette, sink: MailSink
) -> None:
    alerts = app.state.alerts
    filters = Filters(departement="59")
    now = time.time() - 3 * 86400
    compose = alerts.mailing.confirmation(now, already=False)
    sub = store.subscribe(alerts.storage, FORM["email"], filters, now, compose)
    assert sub is not None
    (first,) = delivered(app, sink)
    assert store.open_with_key(alerts.storage, sub.id, manage_link(first).split("cle=")[1], now)
    with TestClient(app, follow_redirects=False) as client:
        path, key = urlsplit(manage_link(first)).path, manage_link(first).split("cle=")[1]
        confirm = client.post(path, data={"cle": key, "confirmer": "1"}, headers=ORIGIN)
        assert confirm.status_code == 303
        assert client.post("/alertes", data=FORM, headers=ORIGIN).status_code == 303
    (again,) = delivered(app, sink)
    assert again["Subject"] == "Votre alerte AidESS est déjà active"
    assert rows(settings, "SELECT count(*) FROM alert_subscriptions") == [(1,)]


def test_filters_are_changed_with_the_key_only(
    settings: Settings, client: TestClient, app: Starlette, sink: MailSink
) -> None:
    client.post("/alertes", data=FORM, headers=ORIGIN)
    (mail,) = delivered(app, sink)
    link = manage_link(mail)
    page = client.get(link)
    assert page.status_code == 200 and "Nord (59)" in page.text
    path, key = urlsplit(link).path, link.split("cle=")[1]
    wrong = client.post(path, data={"cle": "faux", "region": "53"}, headers=ORIGIN)
    assert wrong.status_code == 404
    changed = client.post(
        path, data={"cle": key, "region": "53", "besoin": ["emploi", "locaux"]}, headers=ORIGIN
    )
    assert changed.status_code == 303
    assert changed.headers["location"].startswith(f"{SITE}{path}?cle=")
    after = client.get(urlsplit(changed.headers["location"]).path + "?"
                       + urlsplit(changed.headers["location"]).query)  # fmt: skip
    assert "Vos critères sont enregistrés" in after.text
    assert "Bretagne" in after.text and "Locaux, matériel" in after.text
    invalid = client.post(path, data={"cle": key, "region": "99"}, headers=ORIGIN)
    assert invalid.status_code == 422 and "code inconnu" in invalid.text


def test_unknown_ids_and_wrong_keys_look_the_same(client: TestClient) -> None:
    for path in ("/alertes/0123456789abcdef0123456789abcdef?cle=x", "/alertes/pas-un-id?cle=x",
                 "/alertes/0123456789abcdef0123456789abcdef/desabonnement?cle=x"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 404 and "Lien inconnu" in answer.text
        assert answer.headers["x-robots-tag"] == "noindex, nofollow"


def test_unconfirmed_subscriptions_are_erased_after_seven_days(
    settings: Settings, client: TestClient, app: Starlette
) -> None:
    client.post("/alertes", data=FORM, headers=ORIGIN)
    alerts = app.state.alerts
    assert run.purge(alerts.storage, time.time() + 6 * 86400) == 0
    assert run.purge(alerts.storage, time.time() + 8 * 86400) == 1
    assert rows(settings, "SELECT count(*) FROM alert_subscriptions") == [(0,)]
    assert rows(settings, "SELECT count(*) FROM outbox WHERE owner = 'alerte'") == [(0,)]


def test_aidess_purge_erases_unconfirmed_alerts_after_seven_days(
    settings: Settings,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.post("/alertes", data=FORM, headers=ORIGIN)
    client.post("/alertes", data={**FORM, "email": "recente@asso.example"}, headers=ORIGIN)
    db_support.run(
        settings.database,
        "UPDATE alert_subscriptions SET created = ? WHERE email = ?",
        (time.time() - 8 * 86400, FORM["email"]),
    )
    monkeypatch.setenv("AIDESS_DATABASE", db_support.url(settings.database))
    assert main(["purge"]) == 0
    assert "1 alerte(s) non confirmée(s) sous 7 jours effacée(s)" in capsys.readouterr().out
    assert rows(settings, "SELECT email FROM alert_subscriptions") == [("recente@asso.example",)]


def test_dev_inbox_sends_the_digests_on_demand(tmp_path: Path, content: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with (
        running(content, site, tmp_path / "var", env={}) as stack,
        httpx.Client(base_url=stack.url) as browser,
    ):
        listing = browser.get("/dev/courriels").text
        assert 'action="/dev/alertes"' in listing
        assert "Envoyer maintenant le résumé des alertes" in listing
        refused = browser.post("/dev/alertes", headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403
        sent = browser.post("/dev/alertes", headers={"Origin": stack.url}, follow_redirects=True)
        assert "Alertes : 0 résumé(s) mis en file, 0 sans nouveauté" in sent.text


def test_addresses_are_checked_as_for_a_callback_request(
    client: TestClient, sink: MailSink, settings: Settings
) -> None:
    """Accents before the @ are refused (not every relay takes SMTPUTF8); an international
    domain is kept in its ASCII form, which every server accepts."""
    accents = client.post(
        "/alertes", json={"email": "trésorière@asso.example", "departement": "59",
                          "consentement": True},
    )  # fmt: skip
    assert accents.status_code == 422
    assert accents.json()["erreurs"]["email"].startswith("adresse électronique non acceptée")
    idn = client.post(
        "/alertes", json={"email": "benevole@café.example", "departement": "59",
                          "consentement": True},
    )  # fmt: skip
    assert idn.status_code == 202
    stored = rows(settings, "SELECT email FROM alert_subscriptions")
    assert stored == [("benevole@xn--caf-dma.example",)]


def test_head_and_get_on_the_links_change_nothing(
    settings: Settings, client: TestClient, app: Starlette, sink: MailSink
) -> None:
    """Mail scanners follow links, some with HEAD: neither confirms, changes or erases."""
    client.post("/alertes", data=FORM, headers=ORIGIN)
    (mail,) = delivered(app, sink)
    link = manage_link(mail)
    path, key = urlsplit(link).path, link.split("cle=")[1]
    assert client.head(link).status_code == 200
    assert client.get(link).status_code == 200
    assert client.head(f"{path}/desabonnement?cle={key}").status_code == 200
    assert client.get(f"{path}/desabonnement?cle={key}").status_code == 200
    found = rows(settings, "SELECT confirmed, filters FROM alert_subscriptions")
    assert len(found) == 1 and found[0][0] is None  # still there, still unconfirmed
    assert "59" in str(found[0][1])  # the filters untouched
    confirm = client.post(path, data={"cle": key, "confirmer": "1"}, headers=ORIGIN)
    assert confirm.status_code == 303
    assert rows(settings, "SELECT confirmed IS NOT NULL FROM alert_subscriptions") == [(1,)]


def test_letter_case_does_not_make_another_mailbox(
    settings: Settings, client: TestClient, app: Starlette, sink: MailSink
) -> None:
    """At most 3 confirmation mails a day to one address, however its letters are cased."""
    for n, address in enumerate(["Marie@Asso.example", "MARIE@ASSO.EXAMPLE", "marie@asso.example",
                                 "mArIe@aSsO.example", "MaRiE@AsSo.example"]):  # fmt: skip
        form = {**FORM, "email": address, "departement": f"{59 + n % 2}"}
        form["besoin"] = ["emploi", "locaux", "tresorerie", "numerique", "formation"][n]
        client.post("/alertes", data=form, headers={**ORIGIN, "X-Forwarded-For": f"10.0.0.{n}"})
    assert len(delivered(app, sink)) == 3
