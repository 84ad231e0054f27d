"""Defect 1 (issue 9): no visitor text in any mail header, whatever the Python patch level
(CVE-2024-6923: 3.11 before 3.11.10 decodes encoded words back into raw CRLF)."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from form_service.requests import emails, mail_plan
from form_service.requests.dispatch import Choice, Routing
from form_service.requests.emails import Context
from form_service.requests.schema import Submission, validate
from tests.form_service.conftest import TestClient
from tests.form_service.form_support import SITE, valid_form

ATTACK = "=?utf-8?q?Asso=0D=0AReply-To:_x@evil.test=0D=0A=0D=0AFaux_corps?="
BCC = "=?utf-8?q?Marie=0D=0ABcc:_victime@example.org?="
SENDER = "ne-pas-repondre@aidess.example"


def _parse(data: bytes) -> EmailMessage:
    parsed: EmailMessage = message_from_bytes(data, policy=policy.default)
    return parsed


@pytest.mark.parametrize("field", ["structure", "nom", "identifiant", "telephone", "email"])
def test_encoded_words_are_refused_in_french(client: TestClient, field: str) -> None:
    value = "=?utf-8?q?x@exemple.fr?=" if field == "email" else ATTACK
    answer = client.post("/demandes", json=valid_form(**{field: value}), headers={"Origin": SITE})
    assert answer.status_code == 422
    message = answer.json()["erreurs"][field]
    assert "=?" in message or "adresse électronique invalide" in message


def test_encoded_word_refusal_names_the_sequence() -> None:
    _, errors = validate(valid_form(structure=ATTACK), set())
    assert errors == {"structure": "la suite « =? … ?= » n'est pas acceptée dans ce champ"}
    # The message is never in a header: an equals sign and a question mark are fine there.
    submission, errors = validate(valid_form(message="Prix =? 3 €, réponse ?= vite"), set())
    assert submission is not None, errors


def test_a_stored_hostile_request_cannot_write_headers() -> None:
    # As if stored by an earlier version (validation bypassed): the mails stay whole.
    good, _ = validate(valid_form(), set())
    assert good is not None
    hostile = Submission(**{**good.__dict__, "structure": ATTACK, "nom": BCC})
    choice = Choice("dla-nord", "DLA Nord", "dla-nord@reseaux.example", ("emploi",), ("R",))
    snapshot = mail_plan.snapshot(Routing((choice,), ()), {}, None, [], SITE, 365)
    ctx = Context("abc", 1_700_000_000.0, hostile, snapshot, SENDER, reference="AID-2026-00042")
    queued = mail_plan.plan("abc", snapshot, good.email, "orientation@aidess.example", SENDER)
    queued.append(mail_plan.Queued("secours", "orientation@aidess.example", "dla-nord", "<s@x>"))
    for mail in queued:
        data = emails.render(ctx, mail)
        head = data.split(b"\r\n\r\n", 1)[0]
        assert b"evil" not in head and b"Bcc" not in head and b"victime" not in head
        assert b"Asso" not in head and b"Marie" not in head
        parsed = _parse(data)
        # Reply-To: the validated requester (network mails) or the networks (acknowledgment).
        replies = (["marie.dupont@asso-theatre.fr"], ["dla-nord@reseaux.example"])
        assert parsed.get_all("Reply-To", []) in replies
        assert parsed["Bcc"] is None
        assert "AID-2026-00042" in str(parsed["Subject"])
        assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069", "\u202a"])
def test_bidi_overrides_are_refused(char: str) -> None:
    for field in ("structure", "nom", "message"):
        _, errors = validate(valid_form(**{field: f"Asso {char}lanigiro"}), set())
        assert "sens d'écriture" in errors[field]
