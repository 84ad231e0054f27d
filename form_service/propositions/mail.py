"""The editors' mail of a proposal: what was proposed, what to check, and the ready-to-commit
file attached as `<slug>.md`. Queued without its message: the outbox renders it when it sends
it, from the stored proposal, through the renderer registered here (`ProposalMails`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import yaml

from form_service.db.database import Database
from form_service.outbox.blocks import Block, address, clean_header, to_html, to_text
from form_service.outbox.mailer import PermanentError
from form_service.outbox.queries import Mail, Row
from form_service.propositions import queries
from form_service.propositions.queries import Stored


def message_id(proposal_id: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "aidess.invalid"
    return f"<proposition-{proposal_id}@{domain}>"


def _source(fichier: str) -> str:
    front = fichier.split("---\n", 2)[1] if fichier.startswith("---\n") else ""
    data = yaml.safe_load(front) if front else None
    return str(data.get("source", "")) if isinstance(data, dict) else ""


def editors_mail(stored: Stored, sender: str, editors: str) -> bytes:
    """The editors' mail with the file attached: the same bytes each time it is rendered."""
    path = f"content/aides/{stored.slug}.md"
    short = stored.id[:8]
    blocks = [
        Block("h", f"Aide proposée : {stored.titre}"),
        Block(
            "p",
            "Quelqu'un a proposé cette aide par le formulaire « Proposer une aide » du site. "
            "Elle a passé les vérifications d'« aidess validate » ; la fiche prête à publier "
            "est jointe.",
        ),
        Block(
            "dl",
            rows=[
                ("Titre", stored.titre),
                ("Page officielle", _source(stored.fichier)),
                ("Fichier", path),
                ("Proposition", short),
                ("Adresse de la personne", stored.email or "non donnée"),
            ],
        ),
        Block(
            "p",
            "Avant de la publier : vérifiez chaque champ sur la page officielle, mettez "
            "« mise_a_jour » au jour de cette vérification, puis ajoutez le fichier joint en "
            f"{path} (ou « aidess propositions importer {short} ») et lancez « aidess "
            "validate ».",
        ),
    ]
    subject = clean_header(f"[AidESS] Aide proposée : {stored.titre}")
    mid = message_id(stored.id, sender)
    msg = EmailMessage()
    msg["Message-ID"] = mid
    msg["Date"] = format_datetime(datetime.fromtimestamp(stored.created, UTC))
    msg["From"] = f"AidESS <{sender}>"
    msg["To"] = address(editors)
    if stored.email:
        msg["Reply-To"] = address(stored.email)
    msg["Subject"] = subject
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(to_text(blocks))
    msg.add_alternative(to_html(blocks, subject), subtype="html")
    msg.add_attachment(stored.fichier, subtype="markdown", filename=f"{stored.slug}.md")
    # Fixed boundaries: a resend after a crash is the same bytes.
    seed = hashlib.sha256(mid.encode()).hexdigest()
    msg.set_boundary(f"=_aidess_{seed[:32]}")
    body = msg.get_payload(0)
    assert isinstance(body, EmailMessage)
    body.set_boundary(f"=_aidess_{seed[32:]}")
    return msg.as_bytes(policy=SMTP)


def queued(stored: Stored, sender: str, editors: str) -> Mail:
    """The outbox row of the editors' mail, without its message (rendered when sent)."""
    return Mail(queries.OWNER, stored.id, "proposition", editors, message_id(stored.id, sender))


@dataclass(frozen=True)
class ProposalMails:
    """The outbox's renderer of the proposals' mails (form_service/app.py registers it)."""

    db: Database
    sender: str

    def render(self, row: Row) -> bytes:
        stored = queries.get(self.db, row.owner_id)
        if stored is None:
            raise PermanentError("proposition effacée avant l'envoi : courriel non envoyé")
        return editors_mail(stored, self.sender, row.recipient)

    def hand_on(self, row: Row) -> Mail | None:
        return None  # the editors' address is the last one: nobody to hand it to
