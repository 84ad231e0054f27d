"""The one intake pipeline every POST of the service goes through (/demandes, /alertes,
/signalements, the dossier actions): Origin, the quota's early check, the body read within its
size and time limits, strict parsing (UTF-8 only, no repeated key, no file), the honeypot —
and one set of French answers, so the same fault gets the same answer everywhere.

Each endpoint says what it accepts with a `Form`; `read` returns the fields or raises
`Refused` (a status, a title, a message) or `Invalid` (field errors, answered 422 like the
endpoint's own validation)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from starlette.requests import Request

from form_service.web import text
from form_service.web.abuse import (
    MAX_BODY,
    MAX_FIELDS,
    BodyAborted,
    BodyTooLarge,
    BodyTooSlow,
    RateLimiter,
    client_key,
    origin_allowed,
    read_body,
)
from form_service.web.body import (
    FORM_TYPES,
    BadEncoding,
    BadForm,
    DuplicateKey,
    Raw,
    parse_form,
    parse_json,
)
from generator.content.forms.fields import HONEYPOT

log = logging.getLogger("aidess.intake")
BUSY_RETRY_AFTER = 5  # seconds


@dataclass(frozen=True)
class Form:
    """What one endpoint accepts."""

    name: str  # for the logs: « demandes », « alertes »…
    known: frozenset[str]  # the fields a JSON body may carry (the honeypot is always known)
    lists: frozenset[str] = frozenset()  # fields that may repeat (a list in JSON)
    multiline: frozenset[str] = frozenset()  # fields whose text may hold line breaks
    max_body: int = MAX_BODY
    max_fields: int = MAX_FIELDS
    multipart: bool = True  # multipart/form-data accepted besides urlencoded
    bare: bool = False  # an empty POST is accepted (its fields are in the URL)
    noun: str = "demandes"  # « Vous avez envoyé trop de demandes »
    # Origin « null » accepted when the browser says the form came from this very origin
    # (Sec-Fetch-Site): pages sent with a strict Referrer-Policy post that way.
    null_origin_same_site: bool = False


class Refused(Exception):
    """Refused before its fields are read, with the answer's status, title and message."""

    def __init__(self, status: int, title: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.headers = status, title, message, headers
        self.aborted = False  # the client went away: nobody is left to read an answer


class Invalid(Exception):
    """Fields no person sends (unknown JSON fields, values of the wrong type, characters no
    value may hold): 422 with the errors by field in JSON; a form gets `refused()`."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors

    def refused(self) -> Refused:
        said = " ; ".join(f"« {name} » : {message}" for name, message in self.errors.items())
        return Refused(400, "Formulaire refusé", f"Formulaire refusé ({said}).")


@dataclass(frozen=True)
class Intake:
    fields: Raw
    as_json: bool
    client: str  # the client's rate-limit key (abuse.client_key)
    robot: bool = field(default=False)  # the honeypot was filled


def wants_json(request: Request) -> bool:
    return _content_type(request) == "application/json"


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def client(request: Request) -> str:
    return client_key(request.client.host if request.client else None)


def wait_fr(seconds: int) -> str:
    """A wait as a visitor reads it: « 1 heure », « 1 heure et 5 minutes », « 45 secondes »."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    parts = []
    if hours:
        parts.append(f"{hours} heure{'s' if hours > 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " et ".join(parts)


def too_many(noun: str, wait: int) -> Refused:
    of = "d'" if noun[:1] in "aeiouéèêh" else "de "
    return Refused(
        429, "Trop de demandes",
        f"Vous avez envoyé trop {of}{noun}. Réessayez dans {wait_fr(wait)}.",
        **{"Retry-After": str(wait)},
    )  # fmt: skip


def busy() -> Refused:
    """The database did not answer in time: nothing was written."""
    return Refused(
        503, "Service momentanément indisponible",
        "Le service est très sollicité : renvoyez votre envoi dans quelques secondes.",
        **{"Retry-After": str(BUSY_RETRY_AFTER)},
    )  # fmt: skip


def _origin_ok(request: Request, form: Form, allowed: frozenset[str]) -> bool:
    if origin_allowed(request, allowed):
        return True
    same_site = request.headers.get("sec-fetch-site") == "same-origin"
    return form.null_origin_same_site and request.headers.get("origin") == "null" and same_site


async def read(
    request: Request,
    form: Form,
    *,
    allowed_origins: frozenset[str],
    limiter: RateLimiter | None,
    timeout: float,
) -> Intake:
    """The request's fields, or Refused / Invalid. The quota is only checked here (in memory,
    a quick refusal); the endpoint reserves its slot in the database with what it stores."""
    if not _origin_ok(request, form, allowed_origins):
        log.warning("%s : origine refusée : %r", form.name, request.headers.get("origin"))
        raise Refused(403, "Accès refusé", "Origine non autorisée.")
    key = client(request)
    wait = limiter.retry_after(key) if limiter is not None else None
    if wait is not None:
        log.warning("%s : limite atteinte pour un client", form.name)
        raise too_many(form.noun, wait)
    content_type = _content_type(request)
    as_json = content_type == "application/json"
    types = FORM_TYPES if form.multipart else FORM_TYPES[:1]
    body = await _body(request, form, timeout)
    if not as_json and content_type not in types:
        if form.bare and not body.strip():
            return Intake({}, False, key)
        raise Refused(
            415, "Format non accepté",
            "Envoyez le formulaire du site, ou du JSON (application/json).",
        )  # fmt: skip
    try:
        if as_json:
            fields = _from_json(_json(body), form)
        else:
            fields = await _form(request, body, form, content_type == FORM_TYPES[1])
    except BadEncoding:
        raise Refused(
            400, "Envoi illisible",
            "L'envoi contient des caractères mal encodés (UTF-8 invalide) : renvoyez le "
            "formulaire du site.",
        ) from None  # fmt: skip
    _check_text(fields, form)
    robot = _one(fields.get(HONEYPOT))
    if robot:
        log.warning("%s : piège à robots rempli", form.name)
    return Intake(fields, as_json, key, bool(robot))


async def _body(request: Request, form: Form, timeout: float) -> bytes:
    try:
        return await read_body(request, form.max_body, timeout)
    except BodyTooLarge:
        raise Refused(413, "Envoi trop volumineux", "L'envoi est trop long.") from None
    except BodyTooSlow:
        log.warning("%s : corps de requête trop lent, abandonné après %.0f s", form.name, timeout)
        raise Refused(
            408, "Délai dépassé", "L'envoi a mis trop de temps à arriver : renvoyez-le.",
            Connection="close",
        ) from None  # fmt: skip
    except BodyAborted:
        # One line, no traceback: a flood of aborted posts must not flood the logs.
        log.info("%s : corps de requête interrompu par le client, rien d'enregistré", form.name)
        refused = Refused(400, "Envoi interrompu", "L'envoi est arrivé incomplet.")
        refused.aborted = True
        raise refused from None


def _json(body: bytes) -> object:
    try:
        return parse_json(body)
    except DuplicateKey as exc:
        raise Refused(
            400, "Champ en double", f"Champ « {exc} » en double : une seule valeur par champ."
        ) from None
    except (ValueError, RecursionError):
        raise Refused(400, "JSON illisible", "Le corps n'est pas du JSON valide.") from None


async def _form(request: Request, body: bytes, form: Form, multipart: bool) -> Raw:
    try:
        fields = await parse_form(request.headers, body, multipart, form.lists, form.max_fields)
    except BadForm as exc:
        log.warning("%s : formulaire refusé : %s", form.name, exc)
        raise Refused(
            400, "Formulaire refusé",
            "Le formulaire contient trop de champs, des champs trop longs ou un fichier joint : "
            "renvoyez le formulaire du site.",
        ) from None  # fmt: skip
    return fields


def _check_text(fields: Raw, form: Form) -> None:
    """Every value of every field, against what no visitor's value may hold (web/text.py)."""
    errors: dict[str, str] = {}
    for name, value in fields.items():
        for each in [value] if isinstance(value, str) else value:
            wrong = text.problem(each, multiline=name in form.multiline)
            if wrong:
                errors.setdefault(name, wrong)
    if errors:
        raise Invalid(errors)


def _from_json(data: object, form: Form) -> Raw:
    """A JSON object as form values: text, a list of texts for the repeated fields, true/false
    for a box; anything else is a field error."""
    if not isinstance(data, dict):
        raise Invalid({"_": "un objet JSON est attendu"})
    raw: dict[str, str | list[str]] = {}
    errors: dict[str, str] = {}
    known = form.known | {HONEYPOT}
    for key, value in data.items():
        if key not in known:
            errors[key] = "champ inconnu"
        elif isinstance(value, str):
            raw[key] = value
        elif isinstance(value, bool):
            raw[key] = "oui" if value else ""
        elif value is None:
            raw[key] = ""
        elif key in form.lists and isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                raw[key] = value
            else:
                errors[key] = "type invalide : texte attendu (ou liste de textes)"
        else:
            suffix = " (ou liste de textes)" if key in form.lists else ""
            errors[key] = f"type invalide : texte attendu{suffix}"
    if errors:
        raise Invalid(errors)
    return raw


def _one(value: str | list[str] | None) -> str:
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def one(fields: Raw, name: str) -> str:
    """A single-valued field (the first of a repeated one)."""
    return _one(fields.get(name))
