"""What may go in a log line: no personal data (addresses, phone numbers) even when an SMTP
server or an exception echoes them back."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")
_PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")


def redact(text: str) -> str:
    """`text` with e-mail addresses and phone-like numbers replaced by a placeholder."""
    return _PHONE.sub("<numéro>", _ADDRESS.sub("<adresse>", text))
