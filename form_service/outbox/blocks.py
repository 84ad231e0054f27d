"""How the service writes a mail's body: a list of blocks, rendered twice, as plain text and
as escaped HTML, and the one-line header text it puts in a Subject."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from form_service.web import text as text_rules
from form_service.web.text import ENCODED_WORD

Item = tuple[str, str | None]  # text, link
# A piece of a line and its link (None: plain text). A line of pieces links a part of it (a
# phone number, a name) in the HTML; the text part writes each link after the line, except a
# `tel:` one, whose number the line already shows.
Segment = tuple[str, str | None]


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h", "dl" (label, value) or "ul" (text, link; or `lines` of segments)
    text: str = ""
    rows: Sequence[Item] = ()
    lines: Sequence[Sequence[Segment]] = ()

    def items(self) -> Sequence[Sequence[Segment]]:
        """A list's lines: `lines`, or each row as one segment."""
        return self.lines or [(row,) for row in self.rows]


class UnsafeHeader(ValueError):
    """A value that could forge a header: never written into one, whatever its origin."""


def clean_header(text: str, limit: int = 150) -> str:
    """One line, no control characters, bounded: safe in a Subject. An RFC 2047 encoded word
    is refused (a mail library may decode it back into raw header text)."""
    if ENCODED_WORD.search(text):
        raise UnsafeHeader(f"suite « =? … ?= » refusée dans un en-tête : {text[:60]!r}")
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def address(value: str) -> str:
    """An address for To or Reply-To: refused when it holds anything that could forge a
    header (a line break, a control character, an encoded word)."""
    if "=?" in value or text_rules.problem(value):
        raise UnsafeHeader(f"adresse refusée dans un en-tête : {value[:60]!r}")
    return value


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
            out += [_text_line(line) for line in b.items()]
        out.append("")
    return "\n".join(out)


def _text_line(line: Sequence[Segment]) -> str:
    links = [link for _, link in line if link and not link.startswith("tel:")]
    return "- " + "".join(text for text, _ in line) + "".join(f" <{link}>" for link in links)


def _html_line(line: Sequence[Segment]) -> str:
    e = html.escape
    return "".join(f'<a href="{e(link)}">{e(text)}</a>' if link else e(text) for text, link in line)


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
            items = "".join(f"<li>{_html_line(line)}</li>" for line in b.items())
            out.append(f"<ul>{items}</ul>")
    out.append("</body></html>")
    return "\n".join(out)
