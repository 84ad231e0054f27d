"""The dossier keys (docs/interfaces.md §7): one per recipient and one for the requester.

A key is 192 random bits, URL-safe; only its SHA-256 is stored (a random key needs no slow
hash: there is nothing to guess from), and a presented key is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Final

KEY_BYTES: Final = 24  # 192 bits, 32 characters
MAX_KEY_LENGTH: Final = 64


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


# What an unknown or erased dossier's key is compared with: as many digests as a dossier
# usually holds (its networks and the requester), matching no key.
DECOYS: tuple[tuple[str, str], ...] = tuple(("", "0" * 64) for _ in range(4))


def match(key: str, stored: Iterable[tuple[str, str]]) -> str | None:
    """The holder (recipient id or requester) whose stored digest the key matches, else None.

    Every stored digest is compared, in constant time, whatever matches first."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    presented = digest(key)
    found = None
    for holder, stored_digest in stored:
        if hmac.compare_digest(presented, stored_digest):
            found = holder
    return found
