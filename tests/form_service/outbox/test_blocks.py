"""A mail's body from blocks (form_service/outbox/blocks.py): the lines of a list, as text and
as HTML — a phone a `tel:` link in the HTML only, everything anyone wrote escaped."""

from __future__ import annotations

import pytest

from form_service.outbox.blocks import Block, to_html, to_text

TEL = ("03 20 00 00 00", "tel:+33320000000")

# block, its text part, its HTML list
CASES: list[tuple[str, Block, str, str]] = [
    ("rows", Block("ul", rows=[("Site", "https://dla.fr"), ("Sans lien", None)]),
     "- Site <https://dla.fr>\n- Sans lien",
     '<ul><li><a href="https://dla.fr">Site</a></li><li>Sans lien</li></ul>'),
    ("a phone in a line", Block("ul", lines=[[("Téléphone : ", None), TEL]]),
     "- Téléphone : 03 20 00 00 00",
     '<ul><li>Téléphone : <a href="tel:+33320000000">03 20 00 00 00</a></li></ul>'),
    ("a name, a phone", Block("ul", lines=[[("DLA", "https://dla.fr"), (" — ", None), TEL,
                                            (" (pour : <Emploi>)", None)]]),
     "- DLA — 03 20 00 00 00 (pour : <Emploi>) <https://dla.fr>",
     '<ul><li><a href="https://dla.fr">DLA</a> — <a href="tel:+33320000000">03 20 00 00 00</a>'
     " (pour : &lt;Emploi&gt;)</li></ul>"),
    ("a number that cannot be dialled", Block("ul", lines=[[("Téléphone : ", None),
                                                            ("12", None)]]),
     "- Téléphone : 12", "<ul><li>Téléphone : 12</li></ul>"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("block", "text", "html"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_lines_of_a_list(block: Block, text: str, html: str) -> None:
    assert to_text([block]) == text + "\n"
    assert html in to_html([block], "Titre")
