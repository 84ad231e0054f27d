from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from form_service.dispatch import Choice, Routing
from form_service.emails import Context, clean_header, render
from form_service.schema import validate
from tests.form_service.form_support import valid_form

EVIL_NAME = "Marie\r\nBcc: victime@example.org"


def _context(**changes: str | list[str]) -> Context:
    submission, errors = validate(valid_form(**changes), set())
    assert submission is not None, errors
    choice = Choice("dla-nord", "DLA Nord", "dla-nord@reseaux.example", ("emploi",), ("Raison",))
    return Context(
        request_id="abc",
        submission=submission,
        routing=Routing((choice,), ("tresorerie",)),
        reseaux={},
        aide=None,
        matches=[],
        search_url="https://aides.example.org/?departement=59",
        sender="ne-pas-repondre@aidess.example",
        fallback_email="orientation@aidess.example",
        retention_days=365,
    )


def _parse(data: bytes) -> EmailMessage:
    parsed: EmailMessage = message_from_bytes(data, policy=policy.default)
    return parsed


def test_header_injection_is_refused_by_validation() -> None:
    for field in ("nom", "structure", "email"):
        submission, errors = validate(valid_form(**{field: EVIL_NAME}), set())
        assert submission is None and field in errors


def test_subject_is_cleaned() -> None:
    assert clean_header("Nom\u2028Bcc: x\x85y") == "Nom Bcc: x y"
    assert len(clean_header("x" * 500)) == 150


def test_markup_is_escaped_in_html_and_kept_in_text() -> None:
    evil = '<script>alert("x")</script><a href="https://phish.example">ici</a>'
    mails = render(_context(message=evil, structure="<b>Asso</b> & co"))
    network = _parse(mails[0].data)
    html_part = network.get_body(("html",))
    text_part = network.get_body(("plain",))
    assert html_part is not None and text_part is not None
    html = html_part.get_content()
    assert "<script>" not in html and "<b>Asso</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Asso&lt;/b&gt; &amp; co" in html
    assert evil in text_part.get_content()
    # The subject carries the structure name as text, nothing else.
    assert network["Subject"] == "Demande de rappel : <b>Asso</b> & co (59)"


def test_headers_and_message_ids() -> None:
    mails = render(_context())
    assert [m.kind for m in mails] == ["reseau", "accuse"]
    network, ack = (_parse(m.data) for m in mails)
    assert network["To"] == "dla-nord@reseaux.example"
    assert network["Reply-To"] == "marie.dupont@asso-theatre.fr"
    assert network["From"] == "AidESS <ne-pas-repondre@aidess.example>"
    assert network["Message-ID"] == mails[0].message_id
    assert mails[0].message_id.endswith("@aidess.example>")
    assert mails[0].message_id != mails[1].message_id
    assert ack["To"] == "marie.dupont@asso-theatre.fr" and ack["Reply-To"] is None
    text = network.get_body(("plain",))
    assert text is not None
    assert "Besoins pour lesquels aucun réseau n'a été trouvé : Trésorerie" in text.get_content()
    assert b"\r\n" in mails[0].data  # SMTP line endings
