"""What no visitor's value may hold, on any endpoint: control characters (C0, DEL, C1; newline
and carriage return only in a multi-line field), bidirectional controls, lone halves of a
UTF-16 pair, the replacement character U+FFFD, and RFC 2047 encoded words (=?charset?q?…?=),
which a mail library may decode back into raw header text (CVE-2024-6923). The intake pipeline
checks every field with it, so the rule holds by construction for every value that could reach
a mail header."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: they reorder what a reader sees.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# U+FFFD stands for bytes a decoder could not read: the text was damaged on its way.
_REPLACEMENT = re.compile("\ufffd")
ENCODED_WORD = re.compile(r"=\?.*\?=", re.DOTALL)
# One character class for the classes above (one scan for the common, clean case): the
# precise checks and their messages run only for a value that has one of them, or "=?".
_CLASSES = (_CONTROL, _BIDI, _SURROGATE, _REPLACEMENT)
_SUSPECT = re.compile("[" + "".join(p.pattern.strip("[]") for p in _CLASSES) + "]")


def problem(value: str, multiline: bool = False) -> str | None:
    """The French message for what `value` may not hold, or None."""
    if not multiline and _LINE_BREAK.search(value):
        return "une seule ligne attendue"
    if not (_SUSPECT.search(value) or "=?" in value):
        return None
    if _CONTROL.search(value):
        return "caractères de contrôle non autorisés"
    if _BIDI.search(value):
        return (
            "caractères de contrôle du sens d'écriture (U+202A à U+202E, U+2066 à U+2069) "
            "non autorisés"
        )
    if _SURROGATE.search(value):
        return "caractère invalide (demi-paire UTF-16 isolée)"
    if _REPLACEMENT.search(value):
        return "caractère « \ufffd » : le texte a été mal encodé, tapez-le à nouveau"
    if not multiline and ENCODED_WORD.search(value):
        return "la suite « =? … ?= » n'est pas acceptée dans ce champ"
    return None
