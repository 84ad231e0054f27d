"""What may go in a log line: no personal data (addresses, phone numbers) even when an SMTP
server or an exception echoes them back."""

from __future__ import annotations

import logging
import re

_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")
_PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")


def redact(text: str) -> str:
    """`text` with e-mail addresses and phone-like numbers replaced by a placeholder."""
    return _PHONE.sub("<numéro>", _ADDRESS.sub("<adresse>", text))


_KEY = re.compile(r"(\bcle=)[^&\s\"']*")


def without_keys(text: str) -> str:
    """`text` with the value of every `cle=` (a dossier's or an alert's key) replaced."""
    return _KEY.sub(r"\1…", text)


# uvicorn's own lines an operator meets, in the service's language.
FRENCH = {
    "Invalid HTTP request received.": "Requête HTTP invalide reçue (ignorée).",
    "Invalid HTTP request received": "Requête HTTP invalide reçue (ignorée).",
}


class UvicornLines(logging.Filter):
    """uvicorn's lines as the service writes its own: no key in a line's URL (the access log
    writes each path with its query, and a mail's link carries its key there), and in French."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg in FRENCH:
            record.msg = FRENCH[record.msg]
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_keys(a) if isinstance(a, str) and "cle=" in a else a for a in record.args
            )
        elif isinstance(record.msg, str) and "cle=" in record.msg:
            record.msg = without_keys(record.msg)
        return True
