"""The callback request as submitted: strict validation with one French message per field."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, fields

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.fr import siret

from form_service.requests.dispatch import Profile
from form_service.web import text
from form_service.web.body import Raw
from generator.content.forms.fields import (
    CONTACTS,
    HONEYPOT,
    LABELS,
    MAX_BESOINS,
    MAX_LENGTH,
    REQUIRED,
)
from generator.content.places import find_commune
from generator.content.territories import reference
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES

FIELDS = (*LABELS, HONEYPOT)
MULTILINE = frozenset({"message"})
_RNA = re.compile(r"W\d{9}")
_YES = ("oui", "on", "true", "1")


@dataclass(frozen=True)
class Submission:
    """A valid callback request, normalised (E.164 phone, upper-case RNA, vocabulary order)."""

    structure: str
    identifiant: str | None
    forme: str
    effectif: str
    departement: str
    secteur: str
    besoins: tuple[str, ...]
    etape: str | None
    aide: str | None
    nom: str
    email: str
    telephone: str | None
    message: str | None
    commune: str | None = None  # INSEE code; last, as requests stored before it lack it
    contact: str = "telephone"  # or "courriel"; requests stored before it were « telephone »

    @property
    def profile(self) -> Profile:
        return Profile(
            departement=self.departement,
            forme=self.forme,
            effectif=self.effectif,
            secteur=self.secteur,
            besoins=self.besoins,
            etape=self.etape,
            aide=self.aide,
            commune=self.commune,
        )

    def fingerprint(self) -> str:
        """Hash of the normalised content: the same form sent twice has the same one."""
        # A shallow dict of the fields (asdict's deep copy cost more than the whole insert);
        # the same JSON as before, so fingerprints stored by earlier versions still match.
        data: dict[str, object] = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["structure"] = " ".join(self.structure.casefold().split())
        data["nom"] = " ".join(self.nom.casefold().split())
        data["message"] = " ".join((self.message or "").split())
        data["email"] = self.email.casefold()
        if self.commune is None:  # the JSON of the requests stored before the commune
            del data["commune"]
        if self.contact == "telephone":  # …and before the preferred contact
            del data["contact"]
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


_FIELD_NAMES = tuple(f.name for f in fields(Submission))


def _identifiant(value: str) -> str:
    compact = re.sub(r"[\s.-]", "", value).upper()
    if _RNA.fullmatch(compact):
        return compact
    if compact.isdigit() and len(compact) == 14:
        if set(compact) == {"0"} or not siret.is_valid(compact):
            raise ValueError(
                "ce SIRET n'est pas valide : vérifiez les 14 chiffres (clé de contrôle incorrecte)"
            )
        return compact
    raise ValueError(
        "format non reconnu : un SIRET a 14 chiffres, un numéro RNA est un W suivi de 9 chiffres"
    )


def _telephone(value: str, departement: str | None) -> str:
    deps = reference().departments
    region = deps[departement].phone_region if departement in deps else "FR"
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError("numéro de téléphone invalide (ex. 03 20 00 00 00 ou +33 3 20 00 00 00)")
    if number.extension:
        raise ValueError(
            "numéro de poste non accepté : indiquez un numéro direct, sans poste "
            "(précisez le poste dans votre message)"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(value: str) -> str:
    """ASCII addresses only before the @ (SMTPUTF8 is not offered by every relay nor read
    by every network's mail software); an internationalised domain is kept in its ASCII
    (IDNA) form, which every server accepts."""
    if "=?" in value or text.problem(value):  # an encoded word would reach a header
        raise ValueError("adresse électronique invalide (format attendu : nom@domaine.fr)")
    if not value.partition("@")[0].isascii():
        raise ValueError(
            "adresse électronique non acceptée : les caractères accentués ou non latins avant "
            "le @ ne passent pas par tous les serveurs de courriel ; indiquez une autre adresse"
        )
    try:
        valid = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise ValueError(
            "adresse électronique invalide (format attendu : nom@domaine.fr)"
        ) from None
    return valid.ascii_email or valid.normalized


def _choice(value: str, vocabulary: Collection[str]) -> str:
    if value not in vocabulary:
        raise ValueError("valeur inconnue : choisissez dans la liste")
    return value


def _text(raw: Raw, name: str) -> str:
    value = raw.get(name, "")
    if isinstance(value, list):
        raise ValueError("une seule valeur attendue")
    wrong = text.problem(value, multiline=name in MULTILINE)
    if wrong:
        raise ValueError(wrong)
    value = unicodedata.normalize("NFC", value).strip()
    limit = MAX_LENGTH.get(name)
    if limit is not None and len(value) > limit:
        raise ValueError(f"trop long : {limit} caractères au plus (actuellement {len(value)})")
    return value


def validate(
    raw: Raw, aides: Collection[str], *, typed: bool = True
) -> tuple[Submission | None, dict[str, str]]:
    """The submission, or the French error of every invalid field (in form order). `typed`:
    the commune was typed by a person (the HTML form), so five digits are a postcode first;
    a JSON client sends its INSEE code (generator/content/places.py)."""
    errors: dict[str, str] = {}
    clean: dict[str, str | None] = {}
    for name in LABELS:
        if name in ("besoins", "consentement", "contact"):
            continue
        try:
            value = _text(raw, name)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        if not value:
            if name in REQUIRED:
                errors[name] = "ce champ est obligatoire"
            clean[name] = None
            continue
        try:
            clean[name] = _checked(name, value, raw, aides, typed)
        except ValueError as exc:
            errors[name] = str(exc)

    besoins_raw = raw.get("besoins", [])
    besoins = [besoins_raw] if isinstance(besoins_raw, str) else list(besoins_raw)
    besoins = [b for b in besoins if b]
    if not besoins:
        errors["besoins"] = "cochez au moins un besoin"
    elif len(set(besoins)) > MAX_BESOINS:
        errors["besoins"] = f"cochez {MAX_BESOINS} besoins au plus"
    elif any(b not in BESOINS for b in besoins):
        errors["besoins"] = "valeur inconnue : choisissez dans la liste"

    contact = raw.get("contact", "") or "telephone"
    if not isinstance(contact, str) or contact not in CONTACTS:
        errors["contact"] = "valeur inconnue : « telephone » ou « courriel »"
    elif contact == "telephone" and not clean.get("telephone") and "telephone" not in errors:
        errors["telephone"] = (
            "indiquez un numéro pour être rappelé, ou cochez « Je préfère être contacté par "
            "courriel »"
        )

    consent = raw.get("consentement", "")
    if not isinstance(consent, str) or consent.strip().lower() not in _YES:
        errors["consentement"] = (
            "cochez cette case pour que nous puissions transmettre votre demande"
        )
    ordered = {name: errors[name] for name in LABELS if name in errors}
    if ordered:
        return None, ordered
    return Submission(
        structure=str(clean["structure"]),
        identifiant=clean.get("identifiant"),
        forme=str(clean["forme"]),
        effectif=str(clean["effectif"]),
        departement=str(clean["departement"]),
        secteur=str(clean["secteur"]),
        besoins=tuple(b for b in BESOINS if b in besoins),
        etape=clean.get("etape"),
        aide=clean.get("aide"),
        nom=str(clean["nom"]),
        email=str(clean["email"]),
        telephone=clean.get("telephone"),
        message=clean.get("message"),
        commune=clean.get("commune"),
        contact=str(contact),
    ), {}


def _checked(name: str, value: str, raw: Raw, aides: Collection[str], typed: bool) -> str:
    match name:
        case "identifiant":
            return _identifiant(value)
        case "forme":
            return _choice(value, STRUCTURES)
        case "effectif":
            return _choice(value, EFFECTIFS)
        case "departement":
            return _choice(value, reference().departments)
        case "secteur":
            return _choice(value, SECTEURS)
        case "etape":
            return _choice(value, ETAPES)
        case "aide":
            if value not in aides:
                raise ValueError("aide inconnue : repartez de la fiche de l'aide")
            return value
        case "commune":
            given = raw.get("departement")
            known = isinstance(given, str) and given in reference().departments
            # An unknown department gets its own error; the commune is checked anyway.
            commune, reason = find_commune(value, str(given) if known else None, typed=typed)
            if commune is None:
                raise ValueError(reason)
            return commune.code
        case "email":
            return email_address(value)
        case "telephone":
            departement = raw.get("departement")
            return _telephone(value, departement if isinstance(departement, str) else None)
    return value


def from_json(data: object) -> tuple[Raw | None, dict[str, str]]:
    """A JSON body as raw form values (strings, and a list for `besoins`), or type errors."""
    if not isinstance(data, dict):
        return None, {"_": "un objet JSON est attendu"}
    raw: dict[str, str | list[str]] = {}
    errors: dict[str, str] = {}
    for key, value in data.items():
        if key not in FIELDS:
            errors[key] = "champ inconnu"
        elif (
            key == "besoins" and isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raw[key] = value
        elif key == "consentement" and isinstance(value, bool):
            raw[key] = "oui" if value else ""
        elif isinstance(value, str):
            raw[key] = value
        elif value is None:
            raw[key] = ""
        else:
            errors[key] = "type invalide : texte attendu" + (
                " (ou liste de textes)" if key == "besoins" else ""
            )
    return (None, errors) if errors else (raw, {})
