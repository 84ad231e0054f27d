"""The callback form's fields (docs/interfaces.md §6): names, French labels, limits. One source for
the HTML form, its validation and the emails."""

from __future__ import annotations

from typing import Final

# Longest accepted value of each text field, in characters.
MAX_LENGTH: Final[dict[str, int]] = {
    "structure": 200,
    "identifiant": 20,
    "nom": 120,
    "email": 254,
    "telephone": 30,
    "message": 3000,
    "aide": 100,
    "commune": 80,
}

LABELS: Final[dict[str, str]] = {
    "structure": "Nom de la structure",
    "identifiant": "SIRET ou numéro RNA",
    "forme": "Forme de la structure",
    "effectif": "Nombre de salariés",
    "departement": "Département",
    "commune": "Commune",
    "secteur": "Secteur d'activité",
    "besoins": "Vos besoins",
    "etape": "Étape du projet",
    "aide": "Aide concernée",
    "nom": "Votre nom",
    "email": "Adresse électronique",
    "telephone": "Téléphone",
    "contact": "Je préfère être contacté par courriel",
    "message": "Votre message",
    "consentement": "Consentement",
}

REQUIRED: Final = frozenset(
    {
        "structure",
        "forme",
        "effectif",
        "departement",
        "secteur",
        "besoins",
        "nom",
        "email",
        "consentement",
    }
)

# `contact`: how the requester prefers to be reached. A callback needs a phone, unless the box
# « Je préfère être contacté par courriel » (contact=courriel) is ticked.
CONTACTS: Final = ("telephone", "courriel")

# Every visitor form carries this hidden field: filled → a robot (the normal answer, nothing
# stored or sent).
HONEYPOT: Final = "site_web"
MAX_BESOINS: Final = 5
