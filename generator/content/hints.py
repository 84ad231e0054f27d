"""What an editor most likely meant: pure functions turning a wrong value or a YAML error into
a French explanation and a fix (« 15/03/2026 » → « 2026-03-15 », « Hauts-de-France » →
REG-32, an unquoted « : » in a title → put the title in quotes)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache

from generator.content import territories


def fold(text: str) -> str:
    """Lowercase ASCII without accents, with single spaces for « -', »: for loose matching."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[-_'’.,()]", " ", ascii_text).split())


# ---- dates ---------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})")


_MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
           "septembre", "octobre", "novembre", "decembre"]  # fmt: skip
_WRITTEN = re.compile(r"(\d{1,2})(?:er)? (" + "|".join(_MONTHS) + r") (\d{4})")


def iso_date(text: str) -> str | None:
    """The AAAA-MM-JJ spelling of a day written another common way (15/03/2026,
    « 1er mars 2026 »…), or None."""
    value = text.strip()
    if match := _WRITTEN.fullmatch(fold(value)):
        day, name, year = match.groups()
        month = str(_MONTHS.index(name) + 1)
    elif match := _DMY.fullmatch(value):
        day, month, year = match.groups()
    elif match := _YMD.fullmatch(value):
        year, month, day = match.groups()
    else:
        return None
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}"


# ---- territories ---------------------------------------------------------------------------


@cache
def _territory_names() -> dict[str, str]:
    """Folded French names (and bare codes) → territory key."""
    ref = territories.reference()
    names: dict[str, str] = {"france": territories.NATIONAL, "france entiere": territories.NATIONAL}
    for region in ref.regions.values():
        names[fold(region.nom)] = region.key
        names[fold(f"region {region.nom}")] = region.key
    for dep in ref.departments.values():
        names[fold(dep.nom)] = dep.key
        names[fold(dep.code)] = dep.key  # « 59 », « 2a »
        names[fold(f"{dep.nom} {dep.code}")] = dep.key  # « Nord (59) »
    return names


_STOPWORDS = frozenset(
    ["d", "de", "des", "du", "et", "l", "la", "le", "les", "en", "sur", "sous", "a", "au", "aux"]
)
_NATURES = {  # the DGCL's abbreviations, written out as editors write them
    "cc": "communaute de communes",
    "ca": "communaute d agglomeration",
    "cu": "communaute urbaine",
}
_LOOSE_CODE = re.compile(r"(?i)(reg|dep|epci|com)[\s_:-]*([0-9ab]{2,9})")


def _spelled_out(folded: str) -> str:
    first, _, rest = folded.partition(" ")
    return f"{_NATURES[first]} {rest}" if first in _NATURES else folded


def _acronym(folded: str) -> str:
    """« metropole europeenne de lille » → « mel », « cu de dunkerque » → « cud »."""
    return "".join(w[0] for w in _spelled_out(folded).split() if w not in _STOPWORDS)


@cache
def _local_names() -> tuple[dict[str, list[str]], list[str]]:
    """Folded names of communes and EPCI (written out, and their acronyms when no other EPCI
    shares them) → keys; and the folded commune names, for close matches."""
    ref = territories.communes()
    names: dict[str, list[str]] = {}
    for commune in ref.communes.values():
        names.setdefault(fold(commune.nom), []).append(commune.key)
    acronyms: dict[str, list[str]] = {}
    for epci in ref.epcis.values():
        folded = fold(epci.nom)
        for spelling in {folded, _spelled_out(folded)}:
            names.setdefault(spelling, []).append(epci.key)
        if len(acronym := _acronym(folded)) >= 3:
            acronyms.setdefault(acronym, []).append(epci.key)
    for acronym, keys in acronyms.items():
        if len(keys) == 1:
            names.setdefault(acronym, []).extend(keys)
    return names, sorted({fold(c.nom) for c in ref.communes.values()})


def _close_code(kind: str, code: str) -> list[str]:
    """The existing EPCI or commune codes one slip away from an unknown one."""
    ref = territories.communes()
    if kind == "COM":
        if code in ref.former:  # an arrondissement municipal, a commune déléguée
            return [f"COM-{ref.former[code].commune}"]
        pool = [c for c in ref.communes if c[:2] == code[:2]]
    else:
        pool = list(ref.epcis)
    return [f"{kind}-{c}" for c in difflib.get_close_matches(code, pool, n=3, cutoff=0.75)]


def territory_suggestions(text: str, limit: int = 5) -> list[str]:
    """The territory keys an editor may have meant by a name, a postcode or a misspelt code,
    best first (at most `limit`); [] when nothing comes close."""
    value = text.strip()
    loose = _LOOSE_CODE.fullmatch(value)
    if loose:
        key = f"{loose.group(1).upper()}-{loose.group(2).upper()}"
        if territories.is_valid(key):
            return [key]
        if key.startswith(("EPCI-", "COM-")):
            return _close_code(*key.split("-"))[:limit]
    folded = fold(value)
    if folded in _territory_names():
        return [_territory_names()[folded]]
    if re.fullmatch(r"\d[\dab]\d{3}", folded):  # a postcode, or an INSEE code
        code = folded.upper()
        ref = territories.communes()
        found = [c.key for c in ref.by_postcode(code)]
        if code in ref.communes:
            found.append(f"COM-{code}")
        elif code in ref.former:
            found.append(f"COM-{ref.former[code].commune}")
        return list(dict.fromkeys(found))[:limit]
    if re.fullmatch(r"\d{9}", folded) and territories.is_valid(f"EPCI-{folded}"):
        return [f"EPCI-{folded}"]
    names, commune_names = _local_names()
    for spelling in (folded, _spelled_out(folded)):
        if spelling in names:
            return names[spelling][:limit]
    close = difflib.get_close_matches(folded, commune_names, n=2, cutoff=0.85)
    return [key for name in close for key in names[name]][:limit]


def territory_code(text: str) -> str | None:
    """The territory key an editor meant by a name or a misspelt code, when only one fits."""
    found = territory_suggestions(text)
    return found[0] if len(found) == 1 else None


def suggestion(keys: list[str]) -> str:
    """« « COM-59512 » (Roubaix) », several joined by « ou »; a commune's department is
    added when two suggestions share a name (« Saint-Denis, Seine-Saint-Denis (93) »)."""
    ref = territories.reference()
    names = [ref.name(key) for key in keys]
    parts = []
    for key, name in zip(keys, names, strict=True):
        if key.startswith("COM-") and names.count(name) > 1:
            dep = territories.communes().communes[key[4:]].departement
            name = f"{name}, {ref.name(f'DEP-{dep}')}"
        parts.append(f"« {key} » ({name})")
    return " ou ".join(parts)


# ---- YAML errors ---------------------------------------------------------------------------

QUOTE_EXAMPLE = 'titre: "FDVA 1 : formation des bénévoles"'


def _key_of(line: str) -> str | None:
    match = re.match(r"\s*-?\s*([A-Za-z_][\w.]*)\s*:", line)
    return match.group(1) if match else None


def yaml_message(problem: str, context: str, line_text: str) -> tuple[str | None, str]:
    """(field, French message) for a YAML parsing error on `line_text`; `problem` and
    `context` are PyYAML's English words."""
    key = _key_of(line_text)
    where = f"la valeur de « {key} »" if key else "cette ligne"
    if "mapping values are not allowed" in problem and line_text[:1] in (" ", "\t"):
        return key, (
            f"« {key or line_text.strip()} » est décalé vers la droite : un champ commence en "
            "début de ligne (seuls les éléments de liste et les sous-champs sont décalés)"
        )
    if "mapping values are not allowed" in problem:
        return key, (
            f"{where} contient « : » (deux-points suivi d'un espace), que YAML prend pour un "
            "nouveau champ : mettez toute la valeur entre guillemets droits, par exemple "
            f"{QUOTE_EXAMPLE}"
        )
    if "found character '\\t'" in problem or "\t" in line_text:
        return key, (
            "tabulation interdite dans l'en-tête YAML : remplacez-la par des espaces "
            "(deux espaces par niveau de retrait)"
        )
    if "found unexpected end of stream" in problem or "quoted scalar" in context:
        return key, (
            f'guillemet non fermé dans {where} : fermez-le en fin de valeur, ou utilisez « \\" » '
            "pour un guillemet à l'intérieur du texte"
        )
    if "expected ',' or ']'" in problem or "flow sequence" in context:
        return key, (
            f"liste entre crochets mal fermée dans {where} : écrivez [a, b] avec un crochet "
            "fermant, ou une ligne « - valeur » par élément"
        )
    if "could not find expected ':'" in problem:
        return key, (
            "il manque « : » après le nom d'un champ, ou un texte continue sur la ligne "
            "suivante : écrivez « champ: valeur » et mettez un texte long entre guillemets"
        )
    if "found undefined alias" in problem or "expected alphabetic or numeric" in problem:
        return key, (
            f"{where} commence par « * », « & » ou « ! », qui ont un sens en YAML : mettez-la "
            "entre guillemets"
        )
    if "block" in problem or "block" in context or "indentation" in problem:
        return key, (
            "retrait (indentation) incohérent : les champs commencent en début de ligne, les "
            "éléments de liste « - valeur » et les sous-champs sont décalés de deux espaces"
        )
    if "cannot start any token" in problem:
        return key, (
            f"{where} commence par un caractère réservé en YAML (« @ », « ` », « % »…) : "
            "mettez-la entre guillemets"
        )
    return key, (
        f"en-tête YAML illisible ({problem}) : vérifiez les guillemets, les deux-points et le "
        "retrait de cette ligne"
    )
