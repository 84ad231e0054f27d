"""File names and URL segments from French titles and place names."""

from __future__ import annotations

import re
import unicodedata


def slugify(title: str) -> str:
    """« Fonds de développement de la vie associative » → fonds-de-developpement-de-la-vie-…"""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].rstrip("-")
