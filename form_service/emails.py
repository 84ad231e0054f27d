"""The emails of a callback request (French, text + HTML), rendered once, when queued.

A body is a list of blocks rendered twice: as plain text and as escaped HTML. User text never
reaches a header, except the validated address (Reply-To) and a cleaned subject.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from form_service.aids import Match
from form_service.dispatch import Choice, Routing
from form_service.schema import Submission
from generator.model import Reseau
from generator.territories import reference
from generator.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES

Item = tuple[str, str | None]  # text, link


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "dl" (label, value) or "ul" (text, link)
    text: str = ""
    rows: Sequence[Item] = ()


@dataclass(frozen=True)
class Outgoing:
    kind: str  # "reseau", "accuse" or "secours"
    recipient: str
    message_id: str
    data: bytes  # the whole message, as sent


def clean_header(text: str, limit: int = 150) -> str:
    """One line, no control characters, bounded: safe in a Subject."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_text(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h":
            out += [b.text, "=" * len(b.text)]
        elif b.kind == "p":
            out.append(b.text)
        elif b.kind == "dl":
            for label, value in b.rows:
                lines = (value or "—").splitlines() or ["—"]
                out.append(f"{label} : {lines[0]}")
                out += [f"    {line}" for line in lines[1:]]
        else:
            out += [f"- {text}" + (f" <{link}>" if link else "") for text, link in b.rows]
        out.append("")
    return "\n".join(out)


def to_html(blocks: Sequence[Block], title: str) -> str:
    e = html.escape
    out = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head>"
        '<body style="font-family:sans-serif;line-height:1.5;max-width:40em">'
    ]
    for b in blocks:
        if b.kind == "h":
            out.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "dl":
            rows = "".join(
                f"<dt><strong>{e(label)}</strong></dt>"
                f'<dd style="white-space:pre-wrap">{e(value or "—")}</dd>'
                for label, value in b.rows
            )
            out.append(f"<dl>{rows}</dl>")
        else:
            items = "".join(
                f'<li><a href="{e(link)}">{e(text)}</a></li>' if link else f"<li>{e(text)}</li>"
                for text, link in b.rows
            )
            out.append(f"<ul>{items}</ul>")
    out.append("</body></html>")
    return "\n".join(out)


def _message(
    sender: str, recipient: str, subject: str, blocks: Sequence[Block], reply_to: str | None
) -> tuple[str, bytes]:
    msg = EmailMessage()
    message_id = make_msgid(domain=sender.rpartition("@")[2])
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["From"] = f"AidESS <{sender}>"
    msg["To"] = recipient
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = clean_header(subject)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(to_text(blocks))
    msg.add_alternative(to_html(blocks, clean_header(subject)), subtype="html")
    return message_id, msg.as_bytes(policy=SMTP)


def _request_rows(s: Submission, aide: Item | None) -> list[Item]:
    return [
        ("Structure", s.structure),
        ("SIRET ou RNA", s.identifiant),
        ("Forme", STRUCTURES[s.forme]),
        ("Salariés", EFFECTIFS[s.effectif]),
        ("Département", reference().name(f"DEP-{s.departement}")),
        ("Secteur", SECTEURS[s.secteur]),
        ("Étape", ETAPES[s.etape] if s.etape else None),
        ("Besoins", "\n".join(BESOINS[b] for b in s.besoins)),
        ("Aide concernée", f"{aide[0]} ({aide[1]})" if aide else None),
        ("Nom", s.nom),
        ("Adresse électronique", s.email),
        ("Téléphone", s.telephone),
        ("Message", s.message),
    ]


def _contact(choice: Choice, reseau: Reseau | None) -> str:
    parts = [choice.nom, choice.email]
    if reseau and reseau.telephone:
        parts.append(reseau.telephone)
    return " — ".join(parts)


@dataclass(frozen=True)
class Context:
    """Everything the emails of one request need."""

    request_id: str
    submission: Submission
    routing: Routing
    reseaux: dict[str, Reseau]
    aide: Item | None  # title and absolute URL of the aid the form came from
    matches: Sequence[Match]
    search_url: str
    sender: str
    fallback_email: str
    retention_days: int


def _network_mail(ctx: Context, choice: Choice) -> Outgoing:
    s, others = ctx.submission, [c for c in ctx.routing.choices if c.slug != choice.slug]
    blocks = [
        Block("p", "Bonjour,"),
        Block(
            "p",
            "Une structure de l'économie sociale et solidaire demande à être rappelée, via "
            f"AidESS. Répondez à ce courriel pour écrire directement à {s.nom}.",
        ),
        Block("h", "Pourquoi votre réseau"),
        Block("ul", rows=[(r, None) for r in choice.raisons]),
        Block("h", "La demande"),
        Block("dl", rows=_request_rows(s, ctx.aide)),
        Block("h", "Autres réseaux destinataires"),
    ]
    if others:
        blocks.append(
            Block(
                "p",
                "Cette demande a aussi été envoyée aux réseaux suivants : coordonnez-vous "
                "pour qu'un seul vous rappelle par besoin.",
            )
        )
        rows = [
            (
                f"{_contact(c, ctx.reseaux.get(c.slug))} (besoins : "
                f"{', '.join(BESOINS[b] for b in c.besoins)})",
                None,
            )
            for c in others
        ]
        blocks.append(Block("ul", rows=rows))
    else:
        blocks.append(Block("p", "Vous êtes le seul réseau destinataire de cette demande."))
    if ctx.routing.uncovered:
        uncovered = ", ".join(BESOINS[b] for b in ctx.routing.uncovered)
        blocks.append(
            Block("p", f"Besoins pour lesquels aucun réseau n'a été trouvé : {uncovered}.")
        )
    blocks.append(Block("p", f"Référence de la demande : {ctx.request_id}"))
    subject = f"Demande de rappel : {s.structure} ({s.departement})"
    mid, data = _message(ctx.sender, choice.email, subject, blocks, s.email)
    return Outgoing("reseau", choice.email, mid, data)


def _fallback_mail(ctx: Context) -> Outgoing:
    s = ctx.submission
    blocks = [
        Block("p", "Aucun réseau d'accompagnement ne correspond à cette demande de rappel."),
        Block("p", f"Raison : {ctx.routing.fallback_reason}."),
        Block("p", f"Orientez la structure vers un interlocuteur, ou répondez à {s.nom}."),
        Block("h", "La demande"),
        Block("dl", rows=_request_rows(s, ctx.aide)),
        Block("p", f"Référence de la demande : {ctx.request_id}"),
    ]
    subject = f"Demande de rappel sans réseau : {s.structure} ({s.departement})"
    mid, data = _message(ctx.sender, ctx.fallback_email, subject, blocks, s.email)
    return Outgoing("secours", ctx.fallback_email, mid, data)


def _acknowledgment(ctx: Context) -> Outgoing:
    # No free text from the form here (name, structure, message): the requester's address
    # is unverified, and an acknowledgment must not relay someone else's words.
    s, routing = ctx.submission, ctx.routing
    blocks = [
        Block("p", "Bonjour,"),
        Block("p", "Nous avons bien reçu votre demande de rappel sur AidESS."),
        Block("h", "Qui va vous rappeler"),
    ]
    if routing.choices:
        blocks.append(Block("p", "Votre demande a été transmise à :"))
        rows: list[Item] = []
        for c in routing.choices:
            site = (r := ctx.reseaux.get(c.slug)) and r.site
            besoins = ", ".join(BESOINS[b] for b in c.besoins)
            rows.append(
                (f"{_contact(c, ctx.reseaux.get(c.slug))} (pour : {besoins})", site or None)
            )
        blocks.append(Block("ul", rows=rows))
        if len(routing.choices) > 1:
            blocks.append(Block("p", "Ils se coordonnent entre eux et vous recontactent."))
        else:
            blocks.append(Block("p", "Ce réseau vous recontacte."))
    else:
        blocks.append(
            Block(
                "p",
                "Aucun réseau d'accompagnement ne correspond directement à votre demande : "
                "l'équipe AidESS l'a reçue et vous orientera vers le bon interlocuteur.",
            )
        )
    blocks.append(Block("h", "Aides ouvertes pour votre profil"))
    if ctx.matches:
        blocks.append(Block("ul", rows=[(m.titre, m.url) for m in ctx.matches]))
    blocks.append(Block("ul", rows=[("Voir toutes les aides pour votre profil", ctx.search_url)]))
    besoins = ", ".join(BESOINS[b] for b in s.besoins)
    blocks += [
        Block("p", f"Besoins indiqués : {besoins}."),
        Block(
            "p",
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message. Vos "
            f"données sont effacées au bout de {ctx.retention_days} jours.",
        ),
    ]
    subject = "Votre demande de rappel a bien été reçue"
    mid, data = _message(ctx.sender, s.email, subject, blocks, None)
    return Outgoing("accuse", s.email, mid, data)


def render(ctx: Context) -> list[Outgoing]:
    """One email per chosen network (or the fallback address), then the acknowledgment."""
    if ctx.routing.fallback:
        mails = [_fallback_mail(ctx)]
    else:
        mails = [_network_mail(ctx, c) for c in ctx.routing.choices]
    return [*mails, _acknowledgment(ctx)]
