"""The envelope of a mail the service writes: its headers (only safe values reach them), its
text + HTML bodies from the same blocks, and a MIME boundary derived from the Message-ID, so
the same mail rendered again is the same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from form_service.outbox.blocks import Block, address, clean_header, to_html, to_text


def boundary(message_id: str, part: int = 0) -> str:
    """A MIME boundary of the mail `message_id` (which the visitor cannot know); `part` 1 for
    a second one (a mail with an attachment nests its bodies in their own part)."""
    seed = hashlib.sha256(message_id.encode()).hexdigest()
    return f"=_aidess_{seed[32 * part : 32 * part + 32]}"


def envelope(
    *,
    message_id: str,
    date: datetime,
    sender: str,
    to: str,
    subject: str,
    blocks: Sequence[Block],
    reply_to: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
) -> EmailMessage:
    """The mail from AidESS <`sender`> to `to`, `headers` after the usual ones. UnsafeHeader
    when an address or the subject could forge a header."""
    msg = EmailMessage()
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(date)
    msg["From"] = f"AidESS <{sender}>"
    msg["To"] = address(to)
    if reply_to:
        msg["Reply-To"] = address(reply_to)
    title = clean_header(subject)
    msg["Subject"] = title
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in headers:
        msg[name] = value
    msg.set_content(to_text(blocks))
    msg.add_alternative(to_html(blocks, title), subtype="html")
    msg.set_boundary(boundary(message_id))
    return msg


def as_bytes(msg: EmailMessage) -> bytes:
    """The bytes handed to SMTP (CRLF line ends)."""
    return msg.as_bytes(policy=SMTP)
