"""Request ids: shaped like the UUIDs they replace, and in the order requests arrive (so each
index that holds them grows at its end)."""

from __future__ import annotations

import re

from form_service.requests.queries import new_id


def test_ids_look_like_before_and_sort_by_creation() -> None:
    moments = [1_780_000_000.0 + n * 0.0015 for n in range(200)]
    ids = [new_id(t) for t in moments]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_two_ids_of_the_same_millisecond_differ_by_80_random_bits() -> None:
    ids = {new_id(1_780_000_000.0) for _ in range(1000)}
    assert len(ids) == 1000 and len({i[:12] for i in ids}) == 1
