"""French typography in what visitors read (HOUSE_STYLE: « » with non-breaking spaces): no
template of the site, the visitor forms or the service puts a normal space inside « », which
lets a line break between a guillemet and its word (« at the end of a line, on a phone). Jinja
comments are the developers'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from form_service.dossiers.texts import needs_list

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    ROOT / "generator" / "templates",
    ROOT / "generator" / "content" / "forms" / "templates",
    ROOT / "form_service" / "templates",
]
COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
BREAKABLE = re.compile(r"«[ \t\n]|[ \t\n]»")


def _templates() -> list[Path]:
    return sorted(p for root in TEMPLATES for p in root.rglob("*") if p.suffix in {".html", ".md"})


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_guillemets_hold_their_words(path: Path) -> None:
    text = COMMENT.sub("", path.read_text(encoding="utf-8"))
    found = [text[max(0, m.start() - 20) : m.end() + 20] for m in BREAKABLE.finditer(text)]
    assert found == []


def test_the_needs_a_network_is_given_hold_their_guillemets() -> None:
    """The network's card on its dossier page: « Besoins qui vous sont confiés : … »."""
    said = needs_list(("tresorerie", "emploi"))
    assert "«\u00a0Trésorerie, difficultés financières\u00a0»" in said
    assert not BREAKABLE.search(said)
