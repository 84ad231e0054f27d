"""The bench's mail checks: what counts as "each mail received once" and "outbox drained"."""

from __future__ import annotations

import asyncio
from collections import Counter
from email.message import EmailMessage
from types import SimpleNamespace

import pytest

from bench.outbox_drain import Drained, Sink

A, B, C = "<a@aides.example.org>", "<b@aides.example.org>", "<c@aides.example.org>"


def drained(queued: set[str], sent: set[str], received: dict[str, int]) -> Drained:
    return Drained(frozenset(queued), frozenset(sent), Counter(received), 0.0, 0.0, [])


@pytest.mark.parametrize(
    ("queued", "sent", "received", "once", "empty"),
    [
        ({A, B}, {A, B}, {A: 1, B: 1}, True, True),
        ({A, B}, {A, B}, {A: 2, B: 1}, False, True),  # a mail sent twice
        ({A, B}, {A, B}, {A: 1}, False, True),  # marked sent, never arrived
        ({A, B}, {A, B}, {A: 1, B: 1, C: 1}, False, True),  # not a queued mail
        ({A, B}, {A}, {A: 1}, True, False),  # stopped before the end: once, not drained
    ],
)
def test_once_and_drained(
    queued: set[str], sent: set[str], received: dict[str, int], once: bool, empty: bool
) -> None:
    result = drained(queued, sent, received)
    assert (result.once, result.drained) == (once, empty)


def test_the_sink_counts_each_message_id() -> None:
    sink = Sink()
    for mid in (A, B, A):
        message = EmailMessage()
        message["From"], message["To"], message["Message-ID"] = "x@a.example", "y@b.example", mid
        message["Subject"] = "Demande d'accompagnement"
        message.set_content("Bonjour")
        envelope = SimpleNamespace(original_content=message.as_bytes(), content=b"")
        assert asyncio.run(sink.handle_DATA(None, None, envelope)) == "250 Message accepted"
    assert sink.ids == Counter({A: 2, B: 1}) and sink.count == 3
