"""An alert subscription's fields (read by the intake pipeline, form_service/web/intake.py),
validated: the address as /demandes checks it (schema.email_address), the filters, the
consent."""

from __future__ import annotations

from form_service.alerts.filters import FIELDS, YES, Filters, parse
from form_service.requests.schema import email_address
from form_service.web.body import Raw
from generator.content.forms import alert as alert_form

LISTS = frozenset({"secteur", "besoin", "structure", "effectif", "departement", "region"})
KNOWN = frozenset({*FIELDS, "email", "consentement", "cle", "confirmer"})


def one(raw: Raw, name: str) -> str:
    value = raw.get(name, "")
    return (value[0] if value else "") if isinstance(value, list) else value


def validate(raw: Raw, *, typed: bool = True) -> tuple[str | None, Filters | None, dict[str, str]]:
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
    filters, filter_errors = parse(raw, typed=typed)
    errors.update(filter_errors)
    if one(raw, "consentement").strip().lower() not in YES:
        errors["consentement"] = "cochez cette case pour recevoir les alertes"
    order = list(alert_form.LABELS)
    ordered = dict(sorted(errors.items(), key=lambda kv: order.index(kv[0])))
    return (None, None, ordered) if ordered else (email, filters, {})
