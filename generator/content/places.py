"""A commune as a visitor gives it (docs/interfaces.md §5, §6): its INSEE code, a postcode, a
name, or the « Roubaix (59) » the suggestions fill in, resolved to one commune, or a French
message saying why not and what to write instead. Pure functions on the territory reference.

Five digits are ambiguous: 59100 is Roubaix's postcode and Bousignies' INSEE code (about 3,000
codes are both). A person typing in a form means a postcode (`typed=True`); a program (the
JSON API, a URL's `?commune=`) sends the INSEE code (`typed=False`). « COM-59100 » is always
the INSEE code.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from generator.content import territories
from generator.content.hints import fold
from generator.content.territories import Commune

# « Roubaix (59) », « Lille (59000) », « Ajaccio (2A) », « Saint-Denis (974) »
_QUALIFIED = re.compile(r"(.+?)\s*\(\s*([0-9][0-9AB][0-9]{0,3})\s*\)")
_LEADING_POSTCODE = re.compile(r"([0-9]{5})\s+(\D.*)")
_SAINT = re.compile(r"\b(ste?)\b")  # « St Omer », « Ste Marie »


def label(commune: Commune) -> str:
    """How a commune is shown and suggested: « Roubaix (59) ». Names are unique within a
    department (tests/generator/content/test_places.py checks it), so this reads back."""
    return f"{commune.nom} ({commune.departement})"


def _spelling(text: str) -> str:
    folded = fold(text)
    return _SAINT.sub(lambda m: "sainte" if m.group(1) == "ste" else "saint", folded)


@cache
def _by_name() -> dict[str, tuple[str, ...]]:
    """Folded name → INSEE codes of the communes bearing it (one per department at most)."""
    names: dict[str, list[str]] = {}
    for commune in territories.communes().communes.values():
        names.setdefault(_spelling(commune.nom), []).append(commune.code)
    return {name: tuple(codes) for name, codes in names.items()}


@cache
def _by_postcode() -> dict[str, tuple[str, ...]]:
    codes: dict[str, list[str]] = {}
    for commune in territories.communes().communes.values():
        for postcode in commune.codes_postaux:
            codes.setdefault(postcode, []).append(commune.code)
    return {postcode: tuple(found) for postcode, found in codes.items()}


def _listed(codes: tuple[str, ...] | list[str], limit: int = 6) -> str:
    rows = territories.communes().communes
    names = [label(rows[code]) for code in codes]
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" et {more} autres" if more > 0 else "")


def _in_department(codes: tuple[str, ...], departement: str | None) -> tuple[str, ...]:
    if not departement:
        return codes
    rows = territories.communes().communes
    return tuple(code for code in codes if rows[code].departement == departement)


def _from_digits(
    digits: str, departement: str | None, typed: bool
) -> tuple[Commune | None, str | None]:
    rows = territories.communes().communes
    by_postcode = _by_postcode().get(digits, ())
    insee = rows.get(digits)
    if insee is not None and (not typed or not by_postcode):
        return insee, None
    if not by_postcode:
        return None, f"aucune commune n'a le code postal ou le code INSEE « {digits} »"
    local = _in_department(by_postcode, departement) or by_postcode
    if len(local) == 1:
        return rows[local[0]], None
    return None, (
        f"plusieurs communes ont le code postal {digits} ({_listed(local)}) : "
        "écrivez le nom de la vôtre"
    )


def _from_name(
    name: str, hint: str | None, departement: str | None
) -> tuple[Commune | None, str | None]:
    rows = territories.communes().communes
    spelled = _spelling(name)
    codes = _by_name().get(spelled, ())
    if hint and len(hint) == 5:  # « Lille (59000) »: a postcode
        codes = tuple(c for c in codes if hint in rows[c].codes_postaux)
    elif hint:  # « Roubaix (59) »: a department
        codes = _in_department(codes, hint.upper())
    chosen = _in_department(codes, departement) or codes
    if len(chosen) == 1:
        return rows[chosen[0]], None
    if chosen:
        return None, (
            f"plusieurs communes s'appellent {rows[chosen[0]].nom} ({_listed(chosen)}) : "
            f"précisez le département, ex. « {label(rows[chosen[0]])} »"
        )
    pool = _by_name()
    close = difflib.get_close_matches(spelled, list(pool), n=3, cutoff=0.8)
    near = [code for key in close for code in _in_department(pool[key], departement)]
    if near:
        return None, f"commune inconnue : « {name} ». Vouliez-vous dire {_listed(near, 3)} ?"
    return None, f"commune inconnue : « {name} » (écrivez son nom ou son code postal)"


def find_commune(
    text: str, departement: str | None = None, *, typed: bool = True
) -> tuple[Commune | None, str | None]:
    """The commune meant by `text` (in `departement` when one is given), or None and the
    French reason. `typed`: five digits are a postcode first (see the module's docstring)."""
    value = " ".join(text.split())
    if not value:
        return None, "indiquez le nom ou le code postal de la commune"
    upper = value.upper()
    rows = territories.communes().communes
    if upper.startswith("COM-"):
        found = rows.get(upper[4:])
        reason = None if found else f"code commune inconnu « {value} »"
    elif re.fullmatch(r"[0-9][0-9AB][0-9]{3}", upper):
        found, reason = _from_digits(upper, departement, typed)
    elif match := _LEADING_POSTCODE.fullmatch(value):  # « 59100 Roubaix »
        found, reason = _from_name(match.group(2), match.group(1), departement)
    elif match := _QUALIFIED.fullmatch(value):
        found, reason = _from_name(match.group(1), match.group(2), departement)
    else:
        found, reason = _from_name(value, None, departement)
    if found is None:
        return None, reason
    if departement and found.departement != departement:
        dep = territories.reference().name(f"DEP-{departement}")
        return None, (
            f"{label(found)} n'est pas dans le département choisi, {dep} : "
            "corrigez la commune ou le département"
        )
    return found, None


def find_department(text: str) -> str | None:
    """The department a place field names instead of a commune (« Nord », « 59 », « 2a »,
    « Nord (59) »), or None: the guided entry asks « Commune ou département »."""
    ref = territories.reference()
    value = " ".join(text.split()).upper().removeprefix("DEP-")
    if value in ref.departments:
        return value
    spelled = _spelling(text)
    for code, department in ref.departments.items():
        if spelled in (_spelling(department.nom), _spelling(f"{department.nom} ({code})")):
            return code
    return None
