"""Reading an alert subscription's body within /demandes' limits (Origin, size, time, field
count and length, strict UTF-8, no repeated JSON key; form or JSON) and validating it: the
address as /demandes checks it (schema.email_address), the filters, the consent."""

from __future__ import annotations

import logging

from starlette.requests import Request

from form_service.abuse import (
    BodyAborted,
    BodyTooLarge,
    BodyTooSlow,
    origin_allowed,
    read_body,
)
from form_service.alerts.filters import FIELDS, Filters, parse
from form_service.form_body import (
    FORM_TYPES,
    BadEncoding,
    BadForm,
    DuplicateKey,
    parse_form,
    parse_json,
)
from form_service.handlers import Service
from form_service.schema import Raw, email_address
from generator.content.forms import alert as alert_form
from generator.content.forms.fields import HONEYPOT

log = logging.getLogger("aidess.alertes")
LISTS = ("secteur", "besoin", "structure", "effectif", "departement", "region")
KNOWN = frozenset({*FIELDS, "email", "consentement", HONEYPOT, "cle"})
_YES = ("oui", "on", "true", "1")


class Refused(Exception):
    """A request refused before its fields are read: its status, title and message."""

    def __init__(self, status: int, title: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.headers = status, title, message, headers


async def body(request: Request, service: Service) -> tuple[Raw, bool]:
    """The request's fields within /demandes' limits (Origin, size, time, field count and
    length, strict UTF-8, no repeated JSON key; form or JSON), or Refused."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    as_json = content_type == "application/json"
    if not origin_allowed(request, service.settings.allowed_origins):
        log.warning("origine refusée : %r", request.headers.get("origin"))
        raise Refused(403, "Accès refusé", "Origine non autorisée.")
    try:
        body = await read_body(request, timeout=service.settings.body_timeout)
    except BodyTooLarge:
        raise Refused(413, "Demande trop volumineuse", "La demande est trop longue.") from None
    except BodyTooSlow:
        raise Refused(
            408, "Délai dépassé", "La demande a mis trop de temps à arriver : renvoyez-la.",
            Connection="close",
        ) from None  # fmt: skip
    except BodyAborted:
        raise Refused(400, "Demande interrompue", "La demande est arrivée incomplète.") from None
    try:
        if as_json:
            try:
                return from_json(parse_json(body)), True
            except DuplicateKey as exc:
                raise Refused(400, "Champ en double", f"Champ « {exc} » en double.") from None
            except (ValueError, RecursionError):
                raise Refused(400, "JSON illisible", "Le corps n'est pas du JSON valide.") from None
        if content_type not in FORM_TYPES:
            if not body.strip():  # a bare POST: the key is in the URL
                return {}, False
            raise Refused(415, "Format non accepté", "Envoyez le formulaire du site, ou du JSON.")
        try:
            multipart = content_type == FORM_TYPES[1]
            return await parse_form(request.headers, body, multipart, LISTS), False
        except BadForm as exc:
            log.warning("formulaire d'alerte refusé : %s", exc)
            raise Refused(
                400, "Formulaire refusé", "Le formulaire contient trop de champs ou des champs "
                "trop longs : renvoyez le formulaire du site.",
            ) from None  # fmt: skip
    except BadEncoding:
        raise Refused(
            400, "Formulaire illisible", "Des caractères sont mal encodés : renvoyez le "
            "formulaire du site.",
        ) from None  # fmt: skip


def from_json(data: object) -> Raw:
    if not isinstance(data, dict):
        raise Refused(400, "JSON invalide", "Un objet JSON est attendu.")
    raw: dict[str, str | list[str]] = {}
    for key, value in data.items():
        if key not in KNOWN:
            raise Refused(400, "Champ inconnu", f"Champ inconnu : « {key} ».")
        if isinstance(value, bool):
            raw[key] = "oui" if value else ""
        elif value is None:
            raw[key] = ""
        elif isinstance(value, str) or (
            key in LISTS and isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raw[key] = value
        else:
            raise Refused(400, "Type invalide", f"« {key} » : texte attendu.")
    return raw


def one(raw: Raw, name: str) -> str:
    value = raw.get(name, "")
    return (value[0] if value else "") if isinstance(value, list) else value


def validate(raw: Raw) -> tuple[str | None, Filters | None, dict[str, str]]:
    errors: dict[str, str] = {}
    email = one(raw, "email").strip()
    if not email:
        errors["email"] = "ce champ est obligatoire"
    elif len(email) > 254 or any(c in email for c in "\r\n"):
        errors["email"] = "adresse électronique invalide (format attendu : nom@domaine.fr)"
    else:
        try:
            email = email_address(email)
        except ValueError as exc:
            errors["email"] = str(exc)
    filters, filter_errors = parse(raw)
    errors.update(filter_errors)
    if one(raw, "consentement").strip().lower() not in _YES:
        errors["consentement"] = "cochez cette case pour recevoir les alertes"
    order = list(alert_form.LABELS)
    ordered = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0])))
    return (None, None, ordered) if ordered else (email, filters, {})
