"""Helpers for the dossier tests: a request routed to three networks, the links in the mails,
the networks' actions as their browser would post them."""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from form_service.devmail import MailSink
from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE, valid_form, write_content, write_network

# Nord, culture: culture-hdf (trésorerie, emploi), dla-nord (gouvernance), numerique-national.
THREE = ["tresorerie", "emploi", "numerique", "gouvernance"]
LINK = re.compile(re.escape(SITE) + r"(/dossiers/[0-9a-f]+)\?cle=([A-Za-z0-9_-]+)")


def dossier_content(root: Path) -> Path:
    content = write_content(root)
    write_network(
        content, "cress-hdf", nom="CRESS Hauts-de-France", territoires=["REG-32"],
        besoins=["cooperation"], coordination=["REG-32"], telephone="03 20 99 99 99",
    )  # fmt: skip
    return content


def request(client: TestClient, **changes: str | list[str]) -> str:
    answer = client.post("/demandes", json=valid_form(besoins=THREE, **changes))
    assert answer.status_code == 201, answer.text
    dossier_id: str = answer.json()["id"]
    return dossier_id


def text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def link(msg: EmailMessage) -> str:
    """The dossier link of a mail, as a path with its key."""
    found = LINK.search(text(msg))
    assert found, text(msg)
    return f"{found.group(1)}?cle={found.group(2)}"


def key_of(path: str) -> str:
    return path.partition("?cle=")[2]


def mails_since(sink: MailSink, before: int, count: int) -> dict[str, list[EmailMessage]]:
    mails = sink.wait_for(before + count)[before:]
    assert len(mails) == count, [m.recipients for m in mails]
    out: dict[str, list[EmailMessage]] = {}
    for m in mails:
        out.setdefault(m.recipients[0], []).append(m.message)
    return out


class _Forms(HTMLParser):
    """The action forms of a page: action name -> its hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {}
        elif tag == "input" and self._current is not None and a.get("type") == "hidden":
            self._current[a["name"]] = a.get("value", "")
            if a["name"] == "action":
                self.forms[a["value"]] = self._current

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms(page: str) -> dict[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


TEXT_FIELD = {"decliner": "motif", "noter": "note"}
VALUE_FIELD = {"terminer": "issue", "transmettre": "reseau"}


def post_action(
    client: TestClient, path: str, action: str, texte: str = "", valeur: str = ""
) -> tuple[int, str]:
    """Open the page, post the action's form as a browser would; (status, page after)."""
    page = client.get(path, follow_redirects=True)
    assert page.status_code == 200, page.text
    fields = forms(page.text)[action]
    # The interface's field names (docs/interfaces.md §7), as the page's forms name them.
    text, value = TEXT_FIELD.get(action), VALUE_FIELD.get(action)
    extra = {**({text: texte} if text else {}), **({value: valeur} if value else {})}
    answer = client.post(
        path.partition("?")[0] + "/actions",
        data={**fields, **extra},
        headers={"Origin": SITE},
    )
    if answer.status_code == 303:
        return 303, client.get(answer.headers["location"], follow_redirects=True).text
    return answer.status_code, answer.text


def confirmed(client: TestClient, path: str, action: str) -> tuple[str, int, str]:
    """The requester's irreversible button: its first step (the confirmation page, nothing
    done yet), then the confirm button; (the confirmation page, status, page after)."""
    status, asked = post_action(client, path, action)
    assert status == 200, asked
    fields = forms(asked)[action]
    assert fields["confirmer"] == "oui"
    answer = client.post(path.partition("?")[0] + "/actions", data=fields, headers={"Origin": SITE})
    if answer.status_code == 303:
        return asked, 303, client.get(answer.headers["location"], follow_redirects=True).text
    return asked, answer.status_code, answer.text
