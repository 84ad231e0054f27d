"""The envelope every mail of the service shares (form_service/outbox/envelope.py): what a mail
client reads of it, the same bytes when it is rendered again, and no forged header."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from form_service.outbox.blocks import Block, UnsafeHeader
from form_service.outbox.envelope import as_bytes, envelope

BLOCKS = [Block("h", "Votre demande"), Block("p", "Un réseau vous rappelle « bientôt ».")]
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _mail(message_id: str = "<a1@aidess.fr>", **extra: object) -> bytes:
    fields: dict[str, object] = {
        "message_id": message_id, "date": WHEN, "sender": "ne-pas-repondre@aidess.fr",
        "to": "contact@reseau.fr", "subject": "Votre demande\nde rappel", "blocks": BLOCKS,
        **extra,
    }  # fmt: skip
    return as_bytes(envelope(**fields))  # type: ignore[arg-type]


def test_what_a_mail_client_reads() -> None:
    raw = _mail(reply_to="lea@asso.fr", headers=[("References", "<d1@aidess.fr>")])
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["From"] == "AidESS <ne-pas-repondre@aidess.fr>"
    assert (msg["To"], msg["Reply-To"]) == ("contact@reseau.fr", "lea@asso.fr")
    assert msg["Subject"] == "Votre demande de rappel"  # one line
    assert (msg["Auto-Submitted"], msg["References"]) == ("auto-generated", "<d1@aidess.fr>")
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and "Un réseau vous rappelle « bientôt »." in text.get_content()
    assert html is not None and "<h2>Votre demande</h2>" in html.get_content()


def test_the_same_mail_rendered_again_is_the_same_bytes() -> None:
    assert _mail() == _mail()
    assert _mail("<a2@aidess.fr>").replace(b"a2@", b"a1@") != _mail()  # its own boundary
    assert b"\r\n" in _mail()


@pytest.mark.parametrize(
    "extra",
    [
        {"to": "contact@reseau.fr\r\nBcc: x@y.fr"},
        {"reply_to": "=?utf-8?q?x?= <x@y.fr>"},
        {"subject": "=?utf-8?q?Bcc=3A_x=40y=2Efr?="},
    ],
)
def test_nothing_forges_a_header(extra: dict[str, str]) -> None:
    with pytest.raises(UnsafeHeader):
        _mail(**extra)
