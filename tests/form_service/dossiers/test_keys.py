from __future__ import annotations

import re

from form_service.dossiers.keys import digest, match, new_key


def test_keys_are_long_random_and_url_safe() -> None:
    keys = {new_key() for _ in range(1000)}
    assert len(keys) == 1000
    for key in list(keys)[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", key)  # 24 bytes = 192 bits


def test_only_the_digest_is_kept_and_it_finds_its_holder() -> None:
    a, b = new_key(), new_key()
    stored = [("r1", digest(a)), ("demandeur", digest(b))]
    assert a not in "".join(d for _, d in stored)
    assert match(a, stored) == "r1"
    assert match(b, stored) == "demandeur"


def test_wrong_empty_and_oversized_keys_match_nobody() -> None:
    stored = [("r1", digest(new_key()))]
    for key in ("", "x", new_key(), "é" * 40, "a" * 10_000):
        assert match(key, stored) is None


def test_decoys_match_no_key() -> None:
    """What an unknown dossier's key is compared with: the same work, and never a match."""
    from form_service.dossiers.keys import DECOYS

    assert match(new_key(), DECOYS) is None
    assert match("", DECOYS) is None
