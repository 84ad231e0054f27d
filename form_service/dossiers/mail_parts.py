"""What the dossier's mails share (docs/interfaces.md §7): their context, the networks' public
contacts, and the blocks several mails repeat (who does what, the dossier's link)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from form_service.dossiers.model import STATUSES as STATUS_LABELS
from form_service.dossiers.model import Dossier, Event, Recipient, status
from form_service.dossiers.texts import who_does_what
from form_service.outbox.blocks import Block, Item, Segment
from form_service.requests.emails import dossier_url
from form_service.requests.mail_plan import Snapshot
from form_service.requests.phones import phone_link
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


def contact_lines(ctx: MailContext, r: Recipient) -> list[list[Segment]]:
    """A network's public contacts, its phone a `tel:` link in the HTML."""
    public = ctx.public.get(r.slug or "", Public())
    lines: list[list[Segment]] = [[(f"{r.nom} — {r.email}", None)]]
    if public.telephone:
        lines.append([("Téléphone : ", None), phone_link(public.telephone)])
    if public.site:
        lines.append([(f"Site : {public.site}", public.site)])
    return lines


def recipients_block(d: Dossier) -> Block:
    return Block(
        "ul",
        rows=[(f"{r.nom} : {STATUS_LABELS[status(d, r.id)]}", None) for r in d.recipients],
    )


def board_blocks(d: Dossier) -> list[Block]:
    """« Qui s'occupe de quoi », need by need."""
    rows: list[Item] = [(f"{need} : {said}", None) for need, said in who_does_what(d)]
    return [Block("h", "Qui s'occupe de quoi"), Block("ul", rows=rows)]


def link_blocks(ctx: MailContext, key: str | None, text: str) -> list[Block]:
    if key is None:
        return []
    return [Block("ul", rows=[(text, dossier_url(ctx.site_url, ctx.dossier.id, key))])]


def acted_on(d: Dossier, event: Event | None) -> tuple[str, ...]:
    """The needs a step of the service acted on (its event lists them)."""
    if event is not None and event.value:
        return tuple(event.value.split())
    return d.besoins


def reply_to(ctx: MailContext) -> str:
    """Replies reach a person: the networks on the dossier, or the fallback address."""
    emails = [r.email for r in ctx.dossier.recipients]
    return ", ".join(dict.fromkeys(emails)) or ctx.fallback_email
