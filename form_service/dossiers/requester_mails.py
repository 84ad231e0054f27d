"""The dossier's mails to the requester (docs/interfaces.md §7): who calls back, « on vous
cherche », still handled, « Avez-vous été rappelé ? », closed without follow-up. Never a note
nor a motif."""

from __future__ import annotations

from form_service.dossiers.mail_parts import (
    MailContext,
    acted_on,
    board_blocks,
    contact_lines,
    link_blocks,
    reply_to,
)
from form_service.dossiers.model import ANSWERS, Event
from form_service.dossiers.needs import held
from form_service.dossiers.texts import needs_list
from form_service.outbox.blocks import Block
from form_service.requests.emails import dossier_url


def to_requester(
    ctx: MailContext, kind: str, event: Event | None, key: str | None
) -> tuple[str, list[Block], str | None]:
    d, ref = ctx.dossier, ctx.dossier.reference
    link = link_blocks(ctx, key, "Suivre votre demande")
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
            Block("ul", lines=contact_lines(ctx, actor)),
            Block("p", "Vous pouvez aussi répondre à ce courriel : il arrive à ce réseau."),
            *board_blocks(d),
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
            Block("ul", lines=contact_lines(ctx, actor)),
            *link,
        ]
        return f"[{ref}] {actor.nom} cherche à vous joindre", blocks, actor.email
    if kind == "suivi-demandeur":
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Personne n'a encore pris en charge {needs_list(acted_on(d, event))} "
                f"dans votre demande de rappel {ref}. Ce n'est pas oublié : le "
                "coordinateur de l'accompagnement de votre territoire l'a reçue et cherche "
                "qui peut vous rappeler.",
            ),
            *board_blocks(d),
            *link,
        ]
        return f"[{ref}] Votre demande est toujours suivie", blocks, reply_to(ctx)
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
        return f"[{ref}] Avez-vous été rappelé ?", blocks, reply_to(ctx)
    if kind == "sans-suite-demandeur":
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                f"Nous sommes désolés : aucun réseau n'a pris en charge "
                f"{needs_list(acted_on(d, event))} dans votre demande de rappel {ref} en 15 "
                "jours ouvrés. Nous clôturons ce besoin, pour ne pas vous laisser attendre "
                "un appel qui ne viendra peut-être pas.",
            ),
            *board_blocks(d),
            Block("p", "Vous pouvez contacter directement les réseaux qui l'ont reçue :"),
        ]
        for r in d.recipients:
            if r.slug:
                blocks.append(Block("ul", lines=contact_lines(ctx, r)))
        blocks.append(Block("h", "Aides ouvertes pour votre profil"))
        if ctx.snapshot.matches:
            blocks.append(Block("ul", rows=list(ctx.snapshot.matches)))
        blocks.append(
            Block("ul", rows=[("Voir toutes les aides pour votre profil", ctx.snapshot.search_url)])
        )
        blocks += link
        return f"[{ref}] Votre demande de rappel est close sans suite", blocks, reply_to(ctx)
    raise ValueError(f"courriel de dossier inconnu : {kind}")
