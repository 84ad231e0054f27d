"""The editors' mail of a proposal: what was proposed, what to check, and the ready-to-commit
file attached as `<slug>.md`. Rendered once, when the proposal is stored."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from form_service.outbox.blocks import Block, address, clean_header, to_html, to_text
from generator.content.proposal import Proposal


def editors_mail(
    proposal: Proposal,
    proposal_id: str,
    fichier: str,
    created: float,
    sender: str,
    editors: str,
) -> tuple[str, bytes]:
    """(Message-ID, the editors' mail with the file attached)."""
    domain = sender.rpartition("@")[2] or "aidess.invalid"
    message_id = f"<proposition-{proposal_id}@{domain}>"
    titre = str(proposal.data["titre"])
    path = f"content/aides/{proposal.slug}.md"
    blocks = [
        Block("h", f"Aide proposée : {titre}"),
        Block(
            "p",
            "Quelqu'un a proposé cette aide par le formulaire « Proposer une aide » du "
            "site. Elle a passé les vérifications d'« aidess validate » ; la fiche prête à "
            "publier est jointe.",
        ),
        Block(
            "dl",
            rows=[
                ("Titre", titre),
                ("Page officielle", str(proposal.data["source"])),
                ("Fichier", path),
                ("Proposition", proposal_id[:8]),
                ("Adresse de la personne", proposal.email or "non donnée"),
            ],
        ),
        Block(
            "p",
            "Avant de la publier : vérifiez chaque champ sur la page officielle, mettez "
            "« mise_a_jour » au jour de cette vérification, puis ajoutez le fichier joint "
            f"en {path} (ou « aidess propositions importer {proposal_id[:8]} ») et "
            "lancez « aidess validate ».",
        ),
    ]
    subject = clean_header(f"[AidESS] Aide proposée : {titre}")
    msg = EmailMessage()
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(datetime.fromtimestamp(created, UTC))
    msg["From"] = f"AidESS <{sender}>"
    msg["To"] = address(editors)
    if proposal.email:
        msg["Reply-To"] = address(proposal.email)
    msg["Subject"] = subject
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(to_text(blocks))
    msg.add_alternative(to_html(blocks, subject), subtype="html")
    msg.add_attachment(fichier, subtype="markdown", filename=f"{proposal.slug}.md")
    msg.set_boundary(f"=_aidess_{hashlib.sha256(message_id.encode()).hexdigest()[:32]}")
    return message_id, msg.as_bytes(policy=SMTP)
