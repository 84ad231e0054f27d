"""The mails of a dossier's life (docs/interfaces.md §7), French, text + HTML, rendered when their
event is recorded (they say what happened then) and queued with it in one transaction.

Everything a person wrote (notes, the request) is escaped in the HTML by mail_blocks.to_html; no
free text reaches a header. Mails to the requester never carry a note nor a motif.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from form_service.dossiers.mail_parts import MailContext, Outgoing, Public
from form_service.dossiers.model import REQUESTER, Event
from form_service.dossiers.network_mails import to_network
from form_service.dossiers.requester_mails import to_requester
from form_service.dossiers.texts import VIA
from form_service.outbox.blocks import Block
from form_service.outbox.envelope import as_bytes, envelope


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
        subject, blocks, reply_to = to_requester(ctx, kind, event, key)
    else:
        recipient = ctx.dossier.recipient(to)
        if recipient is None:
            raise ValueError(f"destinataire inconnu : {to}")
        address = recipient.email
        subject, blocks, reply_to = to_network(ctx, kind, recipient, event, key)
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
    domain = ctx.sender.rpartition("@")[2]
    msg = envelope(
        message_id=message_id, date=now, sender=ctx.sender, to=to, subject=subject,
        blocks=blocks, reply_to=reply_to, headers=[("References", f"<{ctx.dossier.id}@{domain}>")],
    )  # fmt: skip
    return as_bytes(msg)


__all__ = ["VIA", "MailContext", "Outgoing", "Public", "compose"]
