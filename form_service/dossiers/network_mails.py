"""The dossier's mails to a network (docs/interfaces.md §7): a new recipient, « X s'en
occupe », a note, « plus besoin », the requester's answer, the 2-day reminder."""

from __future__ import annotations

from form_service.dossiers.mail_parts import (
    MailContext,
    board_blocks,
    link_blocks,
    recipients_block,
)
from form_service.dossiers.model import ANSWERS, Event, Recipient
from form_service.dossiers.needs import held, untaken
from form_service.dossiers.texts import actor_name, day, needs_list
from form_service.outbox.blocks import Block
from form_service.requests.emails import request_rows


def to_network(
    ctx: MailContext, kind: str, r: Recipient, event: Event | None, key: str | None
) -> tuple[str, list[Block], str | None]:
    d, ref = ctx.dossier, ctx.dossier.reference
    who = actor_name(d, event.actor) if event else ""
    link = link_blocks(ctx, key, "Ouvrir le dossier")
    if kind in ("nouveau-destinataire", "coordination"):
        via = "coordination" if kind == "coordination" else r.via
        intro = {
            "transmission": f"{who} vous transmet ce dossier de demande de rappel, reçu via "
            "AidESS : la structure a besoin d'un réseau comme le vôtre.",
            "reroutage": "Un réseau qui avait reçu cette demande de rappel a indiqué qu'une "
            "partie n'était pas pour lui, et aucun autre ne s'en occupe : les règles "
            "d'orientation d'AidESS désignent votre réseau pour ce besoin.",
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
            *board_blocks(d),
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
            *board_blocks(d),
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
            *board_blocks(d),
            Block("h", "Sur le dossier"),
            recipients_block(d),
        ]
        return f"[{ref}] Rappel : demande en attente", blocks, None
    raise ValueError(f"courriel de dossier inconnu : {kind}")
