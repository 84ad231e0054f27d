"""The key of a dossier leaves the URL on arrival (issue: keys in access logs and Referer): a
mail's link sets a cookie scoped to its dossier and shows the page at a URL without the key;
an action answers with a URL without it too."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from starlette.applications import Starlette

from form_service.devmail import MailSink
from tests.form_service.conftest import TestClient
from tests.form_service.dossier_support import dossier_content, forms, link, mails_since, request
from tests.form_service.form_support import SITE

pytestmark = pytest.mark.both_backends
REQUESTER = "marie.dupont@asso-theatre.fr"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return dossier_content(tmp_path / "content")


def test_a_mail_link_puts_the_key_in_a_cookie_and_the_page_has_none_in_its_url(
    client: TestClient, app: Starlette, sink: MailSink
) -> None:
    before = len(sink.received)
    request(client)
    app.state.worker.run_once()
    mails = mails_since(sink, before, 4)
    dossier_link = link(mails[REQUESTER][0])
    dossier, _, key = dossier_link.partition("?cle=")

    arrival = client.get(dossier_link + "&reponse=oui")
    assert arrival.status_code == 303
    assert arrival.headers["location"] == f"{dossier}?reponse=oui"  # the rest of the query stays
    cookie = arrival.headers["set-cookie"]
    assert f"aidess_cle={key}" in cookie
    for attribute in (f"Path={dossier}", "HttpOnly", "SameSite=lax", "Max-Age="):
        assert attribute in cookie, cookie
    assert arrival.headers["referrer-policy"] == "same-origin"

    shown = client.get(dossier)
    assert shown.status_code == 200
    assert "AID-20" in shown.text and "introuvable" not in shown.text  # the dossier itself
    assert key in shown.text  # the page's forms carry it in their body, not in a URL

    # A network's action answers with a URL without the key; its page opens from the cookie.
    network = link(mails["culture-hdf@reseaux.example"][0])
    network_dossier = network.partition("?cle=")[0]
    fields = forms(client.get(network, follow_redirects=True).text)["prendre"]
    after = client.post(f"{network_dossier}/actions", data=fields, headers={"Origin": SITE})
    assert after.status_code == 303
    assert after.headers["location"] == f"{network_dossier}?fait=prendre"
    assert "aidess_cle=" in after.headers["set-cookie"]
    taken = client.get(after.headers["location"])
    assert taken.status_code == 200 and "Les Amis du Théâtre" in unescape(taken.text)

    # Another browser (no cookie) gets the same 404 as for a wrong key.
    with TestClient(app, follow_redirects=False) as stranger:
        assert stranger.get(dossier).status_code == 404
