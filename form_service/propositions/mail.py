"""The editors' mail of a proposal: what was proposed, what to check, and the ready-to-commit
file attached as `<slug>.md`. Rendered once, when the proposal is stored, and queued with it;
the outbox forgets it once sent (its Reply-To is the proposer's address)."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

from form_service.outbox.blocks import Block
from form_service.outbox.envelope import as_bytes, boundary, envelope
from form_service.outbox.queries import Mail
from form_service.propositions import queries
from form_service.propositions.queries import Stored


def message_id(proposal_id: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "aidess.invalid"
    return f"<proposition-{proposal_id}@{domain}>"


def _source(fichier: str) -> str:
    front = fichier.split("---\n", 2)[1] if fichier.startswith("---\n") else ""
    data = yaml.safe_load(front) if front else None
    return str(data.get("source", "")) if isinstance(data, dict) else ""


def _blocks(stored: Stored) -> list[Block]:
    path = f"content/aides/{stored.slug}.md"
    short = stored.id[:8]
    return [
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


def editors_mail(stored: Stored, sender: str, editors: str) -> Mail:
    """The outbox row of the editors' mail, the file attached; UnsafeHeader when the title
    could forge a header."""
    mid = message_id(stored.id, sender)
    msg = envelope(
        message_id=mid, date=datetime.fromtimestamp(stored.created, UTC), sender=sender,
        to=editors, subject=f"[AidESS] Aide proposée : {stored.titre}",
        blocks=_blocks(stored), reply_to=stored.email,
    )  # fmt: skip
    msg.add_attachment(stored.fichier, subtype="markdown", filename=f"{stored.slug}.md")
    msg.set_boundary(boundary(mid))  # the attachment nests the bodies in a part of their own
    body = msg.get_payload(0)
    assert isinstance(body, type(msg))
    body.set_boundary(boundary(mid, 1))
    return Mail(queries.OWNER, stored.id, "proposition", editors, mid, message=as_bytes(msg),
                forget=True)  # fmt: skip
