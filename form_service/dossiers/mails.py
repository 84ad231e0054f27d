"""The mails of a dossier's life (docs/interfaces.md §7), French, text + HTML, rendered when their
event is recorded (they say what happened then) and queued with it in one transaction.

Everything a person wrote (notes, the request) is escaped in the HTML by mail_blocks.to_html; no
free text reaches a header. Mails to the requester never carry a note nor a motif.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from form_service.dossiers.model import ANSWERS, REQUESTER, Dossier, Event, Recipient, status
from form_service.dossiers.model import STATUSES as STATUS_LABELS
from form_service.dossiers.needs import held, untaken
from form_service.dossiers.texts import VIA, actor_name, day, needs_list, who_does_what
from form_service.outbox.blocks import Block, Item, address, clean_header, to_html, to_text
from form_service.requests.emails import dossier_url, request_rows
from form_service.requests.mail_plan import Snapshot
from form_service.requests.phones import national
from form_service.requests.schema import Submission


@dataclass(frozen=True)
class Public:
    """A network's public contacts, from the content."""

    telephone: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class MailContext:
    dossier: Dossier
    request: Submission
    snapshot: Snapshot
    site_url: str
    sender: str
    fallback_email: str
    public: Mapping[str, Public]  # network slug -> public contacts


@dataclass(frozen=True)
class Outgoing:
    kind: str  # "dossier-<kind>"
    recipient: str  # an address
    message_id: str
    message: bytes


def _contact_lines(ctx: MailContext, r: Recipient) -> list[Item]:
    public = ctx.public.get(r.slug or "", Public())
    rows: list[Item] = [(f"{r.nom} — {r.email}", None)]
    if public.telephone:
        rows.append((f"Téléphone : {national(public.telephone)}", None))
    if public.site:
        rows.append((f"Site : {public.site}", public.site))
    return rows


def _recipients_block(d: Dossier) -> Block:
    return Block(
        "ul",
        rows=[(f"{r.nom} : {STATUS_LABELS[status(d, r.id)]}", None) for r in d.recipients],
    )


def _board(d: Dossier) -> list[Block]:
    """« Qui s'occupe de quoi », need by need."""
    rows: list[Item] = [(f"{need} : {said}", None) for need, said in who_does_what(d)]
    return [Block("h", "Qui s'occupe de quoi"), Block("ul", rows=rows)]


def _link(ctx: MailContext, key: str | None, text: str) -> list[Block]:
    if key is None:
        return []
    return [Block("ul", rows=[(text, dossier_url(ctx.site_url, ctx.dossier.id, key))])]


def _to_network(
    ctx: MailContext, kind: str, r: Recipient, event: Event | None, key: str | None
) -> tuple[str, list[Block], str | None]:
    d, ref = ctx.dossier, ctx.dossier.reference
    who = actor_name(d, event.actor) if event else ""
    link = _link(ctx, key, "Ouvrir le dossier")
    if kind in ("nouveau-destinataire", "coordination"):
        via = "coordination" if kind == "coordination" else r.via
        intro = {
            "transmission": f"{who} vous transmet ce dossier de demande de rappel, reçu via "
            "AidESS : la structure a besoin d'un réseau comme le vôtre.",
            "reroutage": "Les réseaux qui ont reçu cette demande de rappel ont indiqué qu'elle "
            "n'était pas pour eux : les règles d'orientation d'AidESS désignent votre réseau.",
            "coordination": "Votre réseau coordonne l'accompagnement sur ce territoire, et "
            "personne n'a encore pris en charge une partie de cette demande de rappel (en 5 "
            "jours ouvrés, ou les réseaux l'ont déclinée) : trouvez qui peut rappeler la "
            "structure, ou rappelez-la vous-même.",
        }.get(via, "Une structure demande à être rappelée.")
        blocks = [
            Block("p", "Bonjour,"),
            Block("p", intro),
            Block(
                "p",
                f"Répondez à ce courriel pour écrire directement à {ctx.request.nom}. "
                "Dites sur le dossier si vous la prenez en charge : ce lien est personnel "
                "à votre réseau.",
            ),
            Block("p", f"Ce qui vous est confié : {needs_list(held(d, r))}."),
            *link,
            Block("h", "La demande"),
            Block("dl", rows=request_rows(ctx.request, ctx.snapshot.aide)),
            *_board(d),
        ]
        title = {"coordination": "à coordonner", "transmission": "transmise"}.get(via, "")
        return f"[{ref}] Demande de rappel {title}".strip(), blocks, ctx.request.email
    if kind == "pris-reseau":
        blocks = [
            Block("p", "Bonjour,"),
            Block("p", f"{who} prend en charge la demande {ref} et rappelle la structure."),
            Block(
                "p",
                "Vous restez sur le dossier : vous pouvez y écrire une note pour les "
                "autres réseaux, et le besoin qui vous est confié attend toujours votre "
                "réponse s'il n'est pas encore pris en charge.",
            ),
            *_board(d),
            *link,
        ]
        return f"[{ref}] {who} s'en occupe", blocks, None
    if kind == "note":
        assert event is not None
        blocks = [
            Block("p", "Bonjour,"),
            Block("p", f"{who} a écrit une note sur le dossier {ref} :"),
            Block("dl", rows=[("Note", event.text)]),
            Block(
                "p",
                "Les notes ne sont visibles que des réseaux du dossier, jamais de la structure.",
            ),
            *link,
        ]
        return f"[{ref}] Note de {who}", blocks, None
    if kind == "plus-besoin":
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"La structure de la demande {ref} a indiqué qu'elle n'a plus besoin "
                "d'être rappelée. Le dossier est clos : inutile de la recontacter.",
            ),
            *link,
        ]
        return f"[{ref}] La structure n'a plus besoin d'être rappelée", blocks, None
    if kind == "reponse":
        assert event is not None
        said = ANSWERS.get(event.value or "", "")
        lines = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"À la question « Avez-vous été rappelé ? », la structure de la demande {ref} "
                f"répond : « {said} ».",
            ),
        ]
        if event.value == "non":
            lines.append(
                Block(
                    "p",
                    "Le dossier est rouvert : le coordinateur de la région le reçoit. Si "
                    "votre réseau l'avait pris en charge, rappelez la structure ou dites "
                    "sur le dossier où vous en êtes.",
                )
            )
        return f"[{ref}] Avez-vous été rappelé ? « {said} »", [*lines, *link], None
    if kind == "relance":
        waiting = [b for b in held(d, r) if b in untaken(d)]
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"La demande de rappel {ref} du {day(d.created)} attend depuis 2 jours "
                f"ouvrés : personne n'a encore pris en charge {needs_list(waiting)}, "
                "confié à votre réseau. Prenez la demande, ou dites que ce n'est pas pour "
                "vous, pour que ce besoin aille à un autre réseau.",
            ),
            *link,
            *_board(d),
            Block("h", "Sur le dossier"),
            _recipients_block(d),
        ]
        return f"[{ref}] Rappel : demande en attente", blocks, None
    raise ValueError(f"courriel de dossier inconnu : {kind}")


def _to_requester(
    ctx: MailContext, kind: str, event: Event | None, key: str | None
) -> tuple[str, list[Block], str | None]:
    d, ref = ctx.dossier, ctx.dossier.reference
    link = _link(ctx, key, "Suivre votre demande")
    actor = d.recipient(event.actor) if event else None
    if kind == "pris-demandeur":
        assert actor is not None
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Bonne nouvelle : {actor.nom} prend en charge votre demande de rappel "
                f"{ref} ({needs_list(held(d, actor))}) et va vous contacter.",
            ),
            Block("ul", rows=_contact_lines(ctx, actor)),
            Block("p", "Vous pouvez aussi répondre à ce courriel : il arrive à ce réseau."),
            *_board(d),
            *link,
        ]
        return f"[{ref}] {actor.nom} va vous rappeler", blocks, actor.email
    if kind == "injoignable-demandeur":
        assert actor is not None
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"{actor.nom} a essayé plusieurs fois de vous joindre au sujet de votre "
                f"demande de rappel {ref}, sans succès. Rappelez ce réseau, ou répondez à "
                "ce courriel : il lui arrive.",
            ),
            Block("ul", rows=_contact_lines(ctx, actor)),
            *link,
        ]
        return f"[{ref}] {actor.nom} cherche à vous joindre", blocks, actor.email
    if kind == "suivi-demandeur":
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Personne n'a encore pris en charge {needs_list(_acted_on(d, event))} "
                f"dans votre demande de rappel {ref}. Ce n'est pas oublié : le "
                "coordinateur de l'accompagnement de votre territoire l'a reçue et cherche "
                "qui peut vous rappeler.",
            ),
            *_board(d),
            *link,
        ]
        return f"[{ref}] Votre demande est toujours suivie", blocks, _reply_to(ctx)
    if kind == "resultat-demandeur":
        assert key is not None
        url = dossier_url(ctx.site_url, d.id, key)
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Vous avez demandé à être rappelé (demande {ref}). Avez-vous été rappelé ? "
                "Un clic suffit ; vous confirmerez votre réponse sur la page de votre demande.",
            ),
            Block("ul", rows=[(label, f"{url}&reponse={slug}") for slug, label in ANSWERS.items()]),
            Block(
                "p",
                "Votre réponse est vue des réseaux du dossier ; si personne ne vous a rappelé, "
                "le coordinateur de votre région reprend votre demande.",
            ),
        ]
        return f"[{ref}] Avez-vous été rappelé ?", blocks, _reply_to(ctx)
    if kind == "sans-suite-demandeur":
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Nous sommes désolés : aucun réseau n'a pris en charge "
                f"{needs_list(_acted_on(d, event))} dans votre demande de rappel {ref} en 15 "
                "jours ouvrés. Nous clôturons ce besoin, pour ne pas vous laisser attendre "
                "un appel qui ne viendra peut-être pas.",
            ),
            *_board(d),
            Block("p", "Vous pouvez contacter directement les réseaux qui l'ont reçue :"),
        ]
        for r in d.recipients:
            if r.slug:
                blocks.append(Block("ul", rows=_contact_lines(ctx, r)))
        blocks.append(Block("h", "Aides ouvertes pour votre profil"))
        if ctx.snapshot.matches:
            blocks.append(Block("ul", rows=list(ctx.snapshot.matches)))
        blocks.append(
            Block("ul", rows=[("Voir toutes les aides pour votre profil", ctx.snapshot.search_url)])
        )
        blocks += link
        return f"[{ref}] Votre demande de rappel est close sans suite", blocks, _reply_to(ctx)
    raise ValueError(f"courriel de dossier inconnu : {kind}")


def _acted_on(d: Dossier, event: Event | None) -> tuple[str, ...]:
    """The needs a step of the service acted on (its event lists them)."""
    if event is not None and event.value:
        return tuple(event.value.split())
    return d.besoins


def _reply_to(ctx: MailContext) -> str:
    """Replies reach a person: the networks on the dossier, or the fallback address."""
    emails = [r.email for r in ctx.dossier.recipients]
    return ", ".join(dict.fromkeys(emails)) or ctx.fallback_email


def compose(
    ctx: MailContext,
    kind: str,
    to: str,
    event: Event | None,
    key: str | None,
    message_id: str,
    now: datetime,
) -> Outgoing:
    """The mail `kind` for `to` (a recipient id or REQUESTER), its link opened by `key`."""
    if to == REQUESTER:
        address = ctx.request.email
        subject, blocks, reply_to = _to_requester(ctx, kind, event, key)
    else:
        recipient = ctx.dossier.recipient(to)
        if recipient is None:
            raise ValueError(f"destinataire inconnu : {to}")
        address = recipient.email
        subject, blocks, reply_to = _to_network(ctx, kind, recipient, event, key)
    return Outgoing(
        f"dossier-{kind}",
        address,
        message_id,
        _message(ctx, address, message_id, subject, blocks, reply_to, now),
    )


def _message(
    ctx: MailContext,
    to: str,
    message_id: str,
    subject: str,
    blocks: Sequence[Block],
    reply_to: str | None,
    now: datetime,
) -> bytes:
    msg = EmailMessage()
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(now)
    msg["From"] = f"AidESS <{ctx.sender}>"
    msg["To"] = address(to)
    if reply_to:
        msg["Reply-To"] = address(reply_to)
    msg["Subject"] = clean_header(subject)
    msg["Auto-Submitted"] = "auto-generated"
    msg["References"] = f"<{ctx.dossier.id}@{ctx.sender.rpartition('@')[2]}>"
    msg.set_content(to_text(blocks))
    msg.add_alternative(to_html(blocks, clean_header(subject)), subtype="html")
    digest = hashlib.sha256(message_id.encode()).hexdigest()[:32]
    msg.set_boundary(f"=_aidess_{digest}")
    return msg.as_bytes(policy=SMTP)


__all__ = ["VIA", "MailContext", "Outgoing", "Public", "compose"]
