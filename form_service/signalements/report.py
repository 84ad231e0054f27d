"""« Signaler une erreur » and « Proposer une aide ou un réseau » (docs/interfaces.md §9): what a
report holds, its validation (pure, French messages per field) and the editors' mail.

Recipients never come from the form: the mail goes to AIDESS_EDITORS_EMAIL only. An address a
network gives for its requests is only written in the mail, for the editors to verify.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email

from form_service.outbox.blocks import Block
from form_service.outbox.envelope import as_bytes, envelope

KINDS: dict[str, str] = {
    "erreur": "Erreur sur une page",
    "aide": "Aide manquante",
    "reseau": "Réseau d'accompagnement à ajouter",
}
FIELDS = ("type", "page", "message", "email", "reseau_email")
MAX_MESSAGE = 3000
MAX_PAGE = 300
PAGE_RE = re.compile(r"^/[A-Za-z0-9/_\-.%?=&]*$")
AIDE_RE = re.compile(r"^/aides/([a-z0-9]+(?:-[a-z0-9]+)*)/$")
RESEAU_RE = re.compile(r"^/reseaux/([a-z0-9]+(?:-[a-z0-9]+)*)/$")


@dataclass(frozen=True)
class Signalement:
    kind: str  # a KINDS key
    page: str  # path of the site page it was sent from
    message: str
    email: str | None  # to answer the visitor, optional
    reseau_email: str | None  # a network's address for requests, to verify


def _email(value: str, errors: dict[str, str], field: str) -> str | None:
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        errors[field] = "Adresse électronique invalide (exemple : nom@association.fr)."
        return None


def validate(raw: Mapping[str, str]) -> tuple[Signalement | None, dict[str, str]]:
    """The report, or French messages by field."""
    errors: dict[str, str] = {}
    kind = raw.get("type", "erreur").strip() or "erreur"
    if kind not in KINDS:
        errors["type"] = "Choisissez : une erreur, une aide manquante ou un réseau."
    page = raw.get("page", "").strip().split("#")[0] or "/contribuer/"
    if len(page) > MAX_PAGE or not PAGE_RE.fullmatch(page):
        errors["page"] = "Page inconnue : renvoyez le formulaire depuis la page concernée."
    message = raw.get("message", "").strip()
    if not message:
        errors["message"] = {
            "erreur": "Dites-nous ce qui est faux ou manque sur cette page.",
            "aide": "Décrivez l'aide : son nom, qui la porte, et sa page officielle.",
            "reseau": "Présentez le réseau : son nom, son territoire, ce qu'il accompagne.",
        }.get(kind, "Écrivez votre message.")
    elif len(message) > MAX_MESSAGE:
        errors["message"] = f"{MAX_MESSAGE} caractères au plus (actuellement {len(message)})."
    email = _email(raw.get("email", "").strip(), errors, "email")
    reseau_email = _email(raw.get("reseau_email", "").strip(), errors, "reseau_email")
    if errors:
        return None, errors
    return Signalement(kind, page, message, email, reseau_email), {}


def content_file(page: str, aides: Mapping[str, object], reseaux: Mapping[str, object]) -> str:
    """The file an editor opens to fix the page, or "" when the page is not a record's."""
    aide, reseau = AIDE_RE.fullmatch(page), RESEAU_RE.fullmatch(page)
    if aide and aide.group(1) in aides:
        return f"content/aides/{aide.group(1)}.md"
    if reseau and reseau.group(1) in reseaux:
        return f"content/reseaux/{reseau.group(1)}.md"
    return ""


def editors_mail(
    report: Signalement,
    report_id: str,
    fichier: str,
    created: float,
    site_url: str,
    sender: str,
    editors: str,
) -> tuple[str, bytes]:
    """(Message-ID, the editors' mail), rendered once when the report is stored."""
    domain = sender.rpartition("@")[2] or "aidess.invalid"
    message_id = f"<signalement-{report_id}@{domain}>"
    url = site_url.rstrip("/") + report.page
    rows: list[tuple[str, str | None]] = [
        ("Type", KINDS[report.kind]),
        ("Page", url),
        ("Fichier à modifier", fichier or "aucun (nouvelle fiche, ou page générée)"),
        ("Message", report.message),
        ("Adresse de la personne", report.email or "non donnée (pas de réponse possible)"),
    ]
    if report.reseau_email:
        rows.append(("Adresse proposée pour les demandes (à vérifier)", report.reseau_email))
    blocks = [
        Block("h", KINDS[report.kind]),
        Block("p", "Un visiteur du site a envoyé ce signalement par le formulaire."),
        Block("dl", rows=rows),
    ]
    if report.reseau_email:
        blocks.append(
            Block(
                "p",
                "Avant d'ajouter cette adresse dans « demandes.email », vérifiez auprès du "
                "réseau, par son site ou son téléphone publics, qu'elle est bien la sienne.",
            )
        )
    if fichier:
        blocks.append(Block("p", f"Corrigez {fichier}, puis « aidess validate »."))
    msg = envelope(
        message_id=message_id, date=datetime.fromtimestamp(created, UTC), sender=sender,
        to=editors, subject=f"[AidESS] {KINDS[report.kind]} : {report.page}", blocks=blocks,
        reply_to=report.email,
    )  # fmt: skip
    return message_id, as_bytes(msg)
