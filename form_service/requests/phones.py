"""Phone numbers as French people read them, in mails and pages."""

from __future__ import annotations

import phonenumbers

# France and the overseas departments dialled like it (national format: « 03 20 12 34 56 »).
FRENCH_REGIONS = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})


def national(number: str | None) -> str | None:
    """A stored number (E.164, or as the content writes it) in French national format;
    a foreign number in international format; anything unreadable as it is."""
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    if phonenumbers.region_code_for_number(parsed) in FRENCH_REGIONS:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(number: str | None) -> str | None:
    """A `tel:` link's target (tel:+33320123456), or None for a number that cannot be dialled."""
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_link(number: str) -> tuple[str, str | None]:
    """A number as a mail's line shows it, and its `tel:` link (None when it cannot be
    dialled)."""
    return national(number) or number, tel_uri(number)
