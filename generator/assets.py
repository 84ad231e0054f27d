"""Content-hashed names for the theme's own static files (our CSS and scripts, the favicon), so
a static host can let browsers keep them for a year: a changed file gets a new URL.

Material's stylesheets and the Pagefind index files already carry a hash in their names."""

from __future__ import annotations

import hashlib
import posixpath
import re

# Theme files served under a hashed name (paths relative to the site root).
FINGERPRINTED = ("assets/aidess/", "assets/images/")
HASH_LENGTH = 8
# name.<8 hex>.ext: ours, and Material's own (main.57a0d79d.min.css).
HASHED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.")


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:HASH_LENGTH]


def hashed_name(path: str, content: bytes) -> str:
    """`assets/aidess/aidess.css` → `assets/aidess/aidess.1a2b3c4d.css`."""
    folder, name = posixpath.split(path)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    digest = content_hash(content)
    return posixpath.join(folder, f"{stem}.{digest}.{ext}" if ext else f"{stem}.{digest}")


def is_fingerprinted(path: str) -> bool:
    return path.startswith(FINGERPRINTED) and not HASHED.search(posixpath.basename(path))


class AssetNames:
    """Logical asset path → served path, filled by the MkDocs plugin from the theme files."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def add(self, path: str, content: bytes) -> str:
        self.names[path] = hashed_name(path, content)
        return self.names[path]

    def __call__(self, path: str) -> str:
        """The Jinja filter `asset`: an unknown path fails the build (a typo, a missing file)."""
        try:
            return self.names[path]
        except KeyError:
            raise ValueError(f"fichier statique inconnu du thème : {path}") from None
