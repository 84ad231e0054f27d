"""The alert mails: French, text + HTML, a link per aid, the filters recalled, the links to
change them and to unsubscribe, and the RFC 8058 headers."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from form_service.alerts.digest import Digest, Item
from form_service.alerts.filters import Aid, Filters
from form_service.alerts.mails import Envelope, Links, confirmation, digest
from form_service.alerts.pages import confirm_page, manage

SITE = "https://aides.example.org"
LINKS = Links(SITE, "0123abcd", "k3y_-Secret")
ENV = Envelope(
    sender="ne-pas-repondre@aidess.example",
    recipient="tresorier@asso.example",
    message_id="<alerte-0123abcd-2026-W50@aidess.example>",
    created=1_796_000_000.0,
    unsubscribe_mailto="orientation@aidess.example",
)
FILTERS = Filters(departement="59", besoin=("emploi",))


def _aid(slug: str, titre: str, **dates: object) -> Aid:
    return Aid(
        slug=slug, titre=titre, territoires=("DEP-59",), exclusions=(), secteurs=("tous",),
        besoins=("emploi",), structures=("association",), effectifs=("1-3",),
        ouverture=dates.get("ouverture"), cloture=dates.get("cloture"),  # type: ignore[arg-type]
        recurrence=str(dates.get("recurrence", "ponctuelle")),
        periode=dates.get("periode"),  # type: ignore[arg-type]
    )  # fmt: skip


def parse(data: bytes) -> EmailMessage:
    parsed: EmailMessage = message_from_bytes(data, policy=policy.default)
    return parsed


def bodies(msg: EmailMessage) -> tuple[str, str]:
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()  # type: ignore[attr-defined]


def test_digest_lists_each_aid_with_its_link_and_the_unsubscribe_headers() -> None:
    items = (
        Item(_aid("fonds-nord", "Fonds <emploi> du Nord", cloture=date(2026, 12, 20)),
             "nouvelle", True),
        Item(_aid("session-nord", "Appel annuel", recurrence="recurrente",
                  ouverture=date(2026, 12, 1), cloture=date(2027, 2, 1),
                  periode="chaque hiver"), "session", False),
    )  # fmt: skip
    msg = parse(digest(ENV, LINKS, FILTERS, Digest(items)))
    assert msg["Subject"] == "AidESS : 2 aides pour votre veille"
    assert msg["To"] == "tresorier@asso.example"
    unsubscribe = f"{SITE}/alertes/0123abcd/desabonnement?cle=k3y_-Secret"
    assert msg["List-Unsubscribe"] == (
        f"<{unsubscribe}>, <mailto:orientation@aidess.example?subject=desabonnement%200123abcd>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = bodies(msg)
    assert "Nouvelles aides" in text and "Nouvelle session ouverte" in text
    assert (
        f"Fonds <emploi> du Nord (clôture le 20 décembre 2026) <{SITE}/aides/fonds-nord/>" in text
    )
    assert "Appel annuel (ouverture le 1er décembre 2026, clôture le 1er février 2027)" in text
    assert "Département : Nord (59)" in text
    assert "Besoins : Recruter, pérenniser un emploi" in text
    assert f"Modifier mes critères <{SITE}/alertes/0123abcd?cle=k3y_-Secret>" in text
    assert f"Se désabonner <{unsubscribe}>" in text
    assert f"{SITE}/?departement=59&besoin=emploi" in text
    # HTML: escaped titles, one link per aid, the same links.
    assert "Fonds &lt;emploi&gt; du Nord" in html and "<emploi>" not in html
    assert f'href="{SITE}/aides/fonds-nord/"' in html
    assert f'href="{SITE}/aides/session-nord/"' in html
    assert unsubscribe.replace("?", "?") in html
    assert '<html lang="fr">' in html


def test_digest_counts_the_aids_left_out() -> None:
    items = (Item(_aid("a", "A"), "nouvelle", False),)
    msg = parse(digest(ENV, LINKS, FILTERS, Digest(items, more=3)))
    assert msg["Subject"] == "AidESS : 4 aides pour votre veille"
    assert "… et 3 autres sur le site" in bodies(msg)[0]


def test_confirmation_links_to_the_confirmation_and_says_what_happens_otherwise() -> None:
    msg = parse(confirmation(ENV, LINKS, FILTERS))
    assert msg["Subject"] == "Confirmez votre alerte AidESS"
    assert msg["List-Unsubscribe"] is None  # not a list mail: nothing to leave yet
    text, html = bodies(msg)
    assert f"Confirmer mon alerte <{SITE}/alertes/0123abcd?cle=k3y_-Secret>" in text
    assert "Sans confirmation sous 7 jours, votre adresse est effacée" in text
    assert "Département : Nord (59)" in text
    assert f'href="{SITE}/alertes/0123abcd?cle=k3y_-Secret"' in html


def test_asking_again_for_an_active_alert_sends_its_links() -> None:
    text, _ = bodies(parse(confirmation(ENV, LINKS, FILTERS, already_confirmed=True)))
    assert "déjà active" in text
    assert f"Me désabonner <{SITE}/alertes/0123abcd/desabonnement?cle=k3y_-Secret>" in text


REMINDED = "un rappel 15 jours avant la clôture de chaque aide qui y correspond"
# (the deadlines asked, already confirmed, what the mail says it sends)
WHAT_IS_SENT = [
    (False, False, "chaque lundi, les nouvelles aides d'AidESS qui correspondent à ces critères :"),
    (True, False, "chaque lundi, les nouvelles aides d'AidESS qui correspondent à ces critères, "
                  f"et {REMINDED} :"),
    (False, True, "recevez chaque lundi les nouvelles aides qui y correspondent."),
    (True, True, f"recevez chaque lundi les nouvelles aides qui y correspondent, et {REMINDED}."),
]  # fmt: skip


@pytest.mark.parametrize(("echeances", "already", "said"), WHAT_IS_SENT)
def test_the_confirmation_says_what_will_be_sent(echeances: bool, already: bool, said: str) -> None:
    filters = Filters(departement="59", besoin=("emploi",), echeances=echeances)
    text, _ = bodies(parse(confirmation(ENV, LINKS, filters, already_confirmed=already)))
    assert said in " ".join(text.split())
    assert ("rappel" in text) is echeances


@pytest.mark.parametrize("echeances", [False, True])
def test_the_subscriptions_pages_say_what_will_be_sent(echeances: bool) -> None:
    filters = Filters(departement="59", echeances=echeances)
    for page in (confirm_page("0123abcd", "k3y", filters),
                 manage("0123abcd", "k3y", filters, None)):  # fmt: skip
        assert "lundi" in page
        assert (f" ; et {REMINDED}.</p>" in page) is echeances
