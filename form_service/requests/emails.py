"""The emails of a callback request (French, text + HTML), rendered by the outbox worker at
send time from the stored request; their Message-ID is fixed when they are queued.

A body is a list of blocks rendered twice: as plain text and as escaped HTML. No text the
visitor wrote reaches a header: subjects carry the request's reference, department and needs
(all from our vocabularies); the only visitor value in a header is the requester's address in
Reply-To, validated as plain ASCII with no encoded word (form_service/requests/schema.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from form_service.outbox.blocks import Block, Item, Segment
from form_service.outbox.envelope import as_bytes, envelope
from form_service.requests.mail_plan import Contact, Queued, Snapshot
from form_service.requests.phones import national, phone_link
from form_service.requests.schema import Submission
from generator.content.forms.promise import PROMISE
from generator.content.territories import reference
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES


def _message(
    ctx: Context, mail: Queued, subject: str, blocks: Sequence[Block], reply_to: str | None
) -> bytes:
    msg = envelope(
        message_id=mail.message_id, date=datetime.fromtimestamp(ctx.created, UTC),
        sender=ctx.sender, to=mail.recipient, subject=subject, blocks=blocks, reply_to=reply_to,
    )  # fmt: skip
    return as_bytes(msg)


def request_rows(s: Submission, aide: Item | None) -> list[Item]:
    return [
        ("Structure", s.structure),
        ("SIRET ou RNA", s.identifiant),
        ("Forme", STRUCTURES[s.forme]),
        ("Salariés", EFFECTIFS[s.effectif]),
        ("Département", reference().name(f"DEP-{s.departement}")),
        ("Commune", reference().name(f"COM-{s.commune}") if s.commune else None),
        ("Secteur", SECTEURS[s.secteur]),
        ("Étape", ETAPES[s.etape] if s.etape else None),
        ("Besoins", "\n".join(BESOINS[b] for b in s.besoins)),
        ("Aide concernée", f"{aide[0]} ({aide[1]})" if aide else None),
        ("Nom", s.nom),
        ("Adresse électronique", s.email),
        ("Téléphone", national(s.telephone)),
        ("Préfère", "être contacté par courriel" if s.contact == "courriel" else None),
        ("Message", s.message),
    ]


def _contact(contact: Contact, about: str, site: bool = False) -> list[Segment]:
    """A network's line: its name (linked to its site with `site`), address and phone (a
    `tel:` link in the HTML), then `about`."""
    line: list[Segment] = [
        (contact.nom, contact.site if site else None),
        (f" — {contact.email}", None),
    ]
    if contact.telephone:
        line += [(" — ", None), phone_link(contact.telephone)]
    return [*line, (about, None)]


@dataclass(frozen=True)
class Context:
    """Everything the emails of one stored request need."""

    request_id: str
    created: float  # Unix time the request was stored: the emails' Date
    submission: Submission
    snapshot: Snapshot
    sender: str
    site_url: str = ""  # for the dossier links (AIDESS_SITE_URL)
    reference: str | None = None  # the dossier's AID-2026-00042 (None: stored before them)
    # Where each network's mail stands when the acknowledgment is rendered: slug -> "sent",
    # "failed" or "queued" (missing: not yet known, shown as being sent).
    delivery: Mapping[str, str] = field(default_factory=dict)
    fallback_email: str = ""  # the acknowledgment's Reply-To when no network received it
    figure: str | None = None  # the region's measured figure, said after the promise

    @property
    def ref(self) -> str:
        return self.reference or self.request_id[:8]


def dossier_url(site_url: str, dossier_id: str, key: str) -> str:
    return f"{site_url}/dossiers/{dossier_id}?cle={key}"


def _dossier_link(ctx: Context, mail: Queued, text: str) -> list[Block]:
    """The dossier link the mail's key opens (none for a mail queued without one)."""
    if not mail.key:
        return []
    return [Block("ul", rows=[(text, dossier_url(ctx.site_url, ctx.request_id, mail.key))])]


def _subject(ctx: Context, what: str) -> str:
    """Reference, department and needs: never a word the visitor typed."""
    s = ctx.submission
    besoins = " ; ".join(BESOINS[b] for b in s.besoins)
    return f"{what} {ctx.ref} · {reference().name(f'DEP-{s.departement}')} · {besoins}"


def _network_mail(ctx: Context, mail: Queued) -> bytes:
    s, snap = ctx.submission, ctx.snapshot
    contact = next((c for c in snap.contacts if c.slug == mail.reseau), None)
    if contact is None:
        raise ValueError(f"réseau « {mail.reseau} » absent des destinataires de la demande")
    others = [c for c in snap.contacts if c.slug != contact.slug]
    blocks = [
        Block("p", "Bonjour,"),
        Block(
            "p",
            "Une structure de l'économie sociale et solidaire demande à être rappelée, via "
            f"AidESS. Répondez à ce courriel pour écrire directement à {s.nom}.",
        ),
        Block(
            "p",
            "Dites aux autres réseaux et à la structure si vous la prenez en charge, ou si ce "
            "n'est pas pour vous : un clic sur le dossier, sans compte. Ce lien est personnel "
            "à votre réseau : ne le transférez qu'à un collègue.",
        ),
        *_dossier_link(ctx, mail, "Ouvrir le dossier (prendre en charge, décliner, noter)"),
        Block("h", "Pourquoi votre réseau"),
        Block("ul", rows=[(r, None) for r in contact.raisons]),
        Block("h", "La demande"),
        Block("dl", rows=request_rows(s, snap.aide)),
        Block("h", "Autres réseaux destinataires"),
    ]
    if others:
        blocks.append(
            Block(
                "p",
                "Cette demande a aussi été envoyée aux réseaux suivants : coordonnez-vous "
                "pour qu'un seul d'entre vous rappelle la structure pour chaque besoin.",
            )
        )
        lines = [
            _contact(c, f" (besoins : {', '.join(BESOINS[b] for b in c.besoins)})") for c in others
        ]
        blocks.append(Block("ul", lines=lines))
    else:
        blocks.append(Block("p", "Vous êtes le seul réseau destinataire de cette demande."))
    if snap.uncovered:
        uncovered = ", ".join(BESOINS[b] for b in snap.uncovered)
        blocks.append(
            Block("p", f"Besoins pour lesquels aucun réseau n'a été trouvé : {uncovered}.")
        )
    blocks.append(Block("p", f"Référence de la demande : {ctx.ref}"))
    return _message(ctx, mail, _subject(ctx, "Demande de rappel"), blocks, s.email)


def _fallback_mail(ctx: Context, mail: Queued) -> bytes:
    s = ctx.submission
    failed = next((c for c in ctx.snapshot.contacts if c.slug == mail.reseau), None)
    if mail.reseau is not None:
        name = f"{failed.nom} ({failed.email})" if failed else mail.reseau
        intro = [
            Block(
                "p",
                f"Le courriel de cette demande de rappel au réseau {name} n'a pas pu être "
                "remis : son serveur de courriel l'a refusé définitivement.",
            ),
            Block(
                "p",
                f"Transmettez la demande à ce réseau par un autre moyen, ou répondez à {s.nom}.",
            ),
        ]
        what = "Demande de rappel non remise"
    else:
        intro = [
            Block("p", "Aucun réseau d'accompagnement ne correspond à cette demande de rappel."),
            Block("p", f"Raison : {ctx.snapshot.fallback_reason}."),
            Block("p", f"Orientez la structure vers un interlocuteur, ou répondez à {s.nom}."),
        ]
        what = "Demande de rappel sans réseau"
    blocks = [
        *intro,
        *_dossier_link(ctx, mail, "Ouvrir le dossier (prendre en charge, transmettre à un réseau)"),
        Block("h", "La demande"),
        Block("dl", rows=request_rows(s, ctx.snapshot.aide)),
        Block("p", f"Référence de la demande : {ctx.ref}"),
    ]
    return _message(ctx, mail, _subject(ctx, what), blocks, s.email)


def _acknowledgment(ctx: Context, mail: Queued) -> bytes:
    # No free text from the form here (name, structure, message): the requester's address
    # is unverified, and an acknowledgment must not relay someone else's words.
    s, snap = ctx.submission, ctx.snapshot
    blocks = [
        Block("p", "Bonjour,"),
        Block("p", "Nous avons bien reçu votre demande de rappel sur AidESS."),
        Block("h", "Qui va vous rappeler"),
    ]
    if snap.contacts:
        # Say only what is true when this mail leaves: sent, still being sent, or refused.
        groups: dict[str, list[Contact]] = {"sent": [], "queued": [], "failed": []}
        for c in snap.contacts:
            groups.get(ctx.delivery.get(c.slug, "queued"), groups["queued"]).append(c)

        def listing(contacts: list[Contact]) -> Block:
            lines = [
                _contact(c, f" (pour : {', '.join(BESOINS[b] for b in c.besoins)})", site=True)
                for c in contacts
            ]
            return Block("ul", lines=lines)

        if groups["sent"]:
            blocks += [Block("p", "Votre demande a été transmise à :"), listing(groups["sent"])]
        if groups["queued"]:
            blocks += [
                Block("p", "Votre demande est en cours d'envoi à :"),
                listing(groups["queued"]),
            ]
        reachable = len(groups["sent"]) + len(groups["queued"])
        if reachable > 1:
            blocks.append(Block("p", "Ils se coordonnent entre eux, besoin par besoin."))
        if groups["failed"]:
            blocks += [
                Block("p", "Votre demande n'a pas pu être remise à :"),
                listing(groups["failed"]),
                Block(
                    "p",
                    "L'équipe AidESS l'a reçue à leur place et vous orientera vers le bon "
                    "interlocuteur.",
                ),
            ]
    else:
        blocks.append(
            Block(
                "p",
                "Aucun réseau d'accompagnement ne correspond directement à votre demande : "
                "l'équipe AidESS l'a reçue et vous orientera vers le bon interlocuteur.",
            )
        )
    next_steps = [
        PROMISE,
        *([ctx.figure] if ctx.figure else []),
        "Vous êtes prévenu par courriel dès qu'un réseau prend votre demande en charge. Une "
        "question ? Répondez à ce courriel : il arrive "
        + ("aux réseaux destinataires." if snap.contacts else "à l'équipe AidESS."),
    ]
    blocks += [
        Block("h", "Et maintenant ?"),
        Block("p", " ".join(next_steps)),
    ]
    blocks += _dossier_link(ctx, mail, "Suivre votre demande : qui la prend en charge, annuler")
    blocks.append(Block("h", "Aides ouvertes pour votre profil"))
    if snap.matches:
        blocks.append(Block("ul", rows=list(snap.matches)))
    blocks.append(Block("ul", rows=[("Voir toutes les aides pour votre profil", snap.search_url)]))
    besoins = ", ".join(BESOINS[b] for b in s.besoins)
    blocks += [
        Block("p", f"Besoins indiqués : {besoins}."),
        Block(
            "p",
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message. Vos "
            f"données sont effacées au bout de {snap.retention_days} jours.",
        ),
    ]
    blocks.append(Block("p", f"Référence de votre demande : {ctx.ref}"))
    subject = f"Votre demande de rappel {ctx.ref} a bien été reçue"
    # A reply reaches a person: the networks that received it, else the fallback address.
    reply_to = ", ".join(dict.fromkeys(c.email for c in snap.contacts)) or ctx.fallback_email
    return _message(ctx, mail, subject, blocks, reply_to or None)


RENDERERS = {"reseau": _network_mail, "secours": _fallback_mail, "accuse": _acknowledgment}


def render(ctx: Context, mail: Queued) -> bytes:
    """The whole message, as sent: the same bytes every time for the same stored request."""
    return RENDERERS[mail.kind](ctx, mail)
