from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from form_service.outbox.blocks import clean_header
from form_service.requests import emails, mail_plan
from form_service.requests.dispatch import Choice, Routing
from form_service.requests.emails import Context
from form_service.requests.schema import validate
from tests.form_service.form_support import valid_form

EVIL_NAME = "Marie\r\nBcc: victime@example.org"


SENDER = "ne-pas-repondre@aidess.example"


def _context(**changes: str | list[str]) -> Context:
    submission, errors = validate(valid_form(**changes), set())
    assert submission is not None, errors
    choice = Choice("dla-nord", "DLA Nord", "dla-nord@reseaux.example", ("emploi",), ("Raison",))
    snapshot = mail_plan.snapshot(
        Routing((choice,), ("tresorerie",)),
        {},
        aide=None,
        matches=[],
        search_url="https://aides.example.org/?departement=59",
        retention_days=365,
    )
    return Context("abc", 1_700_000_000.0, submission, snapshot, SENDER)


def render(ctx: Context) -> list[tuple[mail_plan.Queued, bytes]]:
    queued = mail_plan.plan(
        ctx.request_id, ctx.snapshot, ctx.submission.email, "orientation@aidess.example", SENDER
    )
    return [(mail, emails.render(ctx, mail)) for mail in queued]


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
    network = _parse(mails[0][1])
    html_part = network.get_body(("html",))
    text_part = network.get_body(("plain",))
    assert html_part is not None and text_part is not None
    html = html_part.get_content()
    assert "<script>" not in html and "<b>Asso</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Asso&lt;/b&gt; &amp; co" in html
    assert evil in text_part.get_content()
    # No visitor text in the subject: reference, department, needs.
    assert network["Subject"] == (
        "Demande de rappel abc · Nord (59) · Trésorerie, difficultés financières ; "
        "Recruter, pérenniser un emploi"
    )


def test_headers_and_message_ids() -> None:
    mails = render(_context())
    assert [m.kind for m, _ in mails] == ["reseau", "accuse"]
    network, ack = (_parse(data) for _, data in mails)
    assert network["To"] == "dla-nord@reseaux.example"
    assert network["Reply-To"] == "marie.dupont@asso-theatre.fr"
    assert network["From"] == "AidESS <ne-pas-repondre@aidess.example>"
    assert network["Message-ID"] == mails[0][0].message_id == "<abc.1@aidess.example>"
    assert mails[0][0].message_id.endswith("@aidess.example>")
    assert mails[0][0].message_id != mails[1][0].message_id
    assert network["Date"] == "Tue, 14 Nov 2023 22:13:20 +0000"  # the request's time
    assert ack["To"] == "marie.dupont@asso-theatre.fr"
    assert ack["Reply-To"] == "dla-nord@reseaux.example"  # a reply reaches the network
    text = network.get_body(("plain",))
    assert text is not None
    assert "Besoins pour lesquels aucun réseau n'a été trouvé : Trésorerie" in text.get_content()
    assert b"\r\n" in mails[0][1]  # SMTP line endings


def test_rendering_again_gives_the_same_bytes() -> None:
    # A resend (after a crash, from another process) must be the same message.
    first, again = render(_context()), render(_context())
    assert [data for _, data in first] == [data for _, data in again]


def test_snapshot_survives_json() -> None:
    snapshot = _context().snapshot
    assert mail_plan.Snapshot.from_json(snapshot.to_json()) == snapshot


def test_snapshot_stored_before_contact_wrapped_choice_still_reads() -> None:
    # Requests stored by earlier versions keep flat contacts in requests.mails.
    old = (
        '{"contacts": [{"slug": "dla-nord", "nom": "DLA Nord", "email": '
        '"dla-nord@reseaux.example", "besoins": ["emploi"], "raisons": ["Raison"], '
        '"telephone": "03 20 00 00 00", "site": null}], "uncovered": ["tresorerie"], '
        '"fallback_reason": null, "aide": null, "matches": [], '
        '"search_url": "https://aides.example.org/?departement=59", "retention_days": 365}'
    )
    snapshot = mail_plan.Snapshot.from_json(old)
    (contact,) = snapshot.contacts
    assert contact.choice == Choice(
        "dla-nord", "DLA Nord", "dla-nord@reseaux.example", ("emploi",), ("Raison",)
    )
    assert contact.telephone == "03 20 00 00 00"
    ctx = Context("abc", 1_700_000_000.0, _context().submission, snapshot, SENDER)
    network = _parse(render(ctx)[0][1])
    assert network["To"] == "dla-nord@reseaux.example"
