"""Controlled vocabularies of docs/interfaces.md §1: slug → French label, in display order."""

from datetime import date
from typing import Final

NATURES: Final[dict[str, str]] = {
    "subvention": "Subvention",
    "pret": "Prêt",
    "garantie": "Garantie",
    "avance-remboursable": "Avance remboursable",
    "fonds-propres": "Apport en fonds propres",
    "accompagnement": "Accompagnement",
    "formation": "Formation",
    "exoneration": "Exonération",
    "appel-a-projets": "Appel à projets ou prix",
    "mise-a-disposition": "Mise à disposition (locaux, matériel, personnel)",
}

BESOINS: Final[dict[str, str]] = {
    "tresorerie": "Trésorerie, difficultés financières",
    "financer-projet": "Financer un projet ou un investissement",
    "emploi": "Recruter, pérenniser un emploi",
    "benevolat": "Mobiliser des bénévoles",
    "gouvernance": "Gouvernance, dirigeants",
    "modele-economique": "Modèle économique, stratégie",
    "formation": "Se former",
    "numerique": "Numérique",
    "administratif": "Démarches administratives, juridiques, montage de dossier",
    "locaux": "Locaux, matériel",
    "transition-ecologique": "Transition écologique",
    "cooperation": "Coopérer, mutualiser",
    "creation": "Créer sa structure",
}

SECTEURS: Final[dict[str, str]] = {
    "culture": "Culture",
    "sport": "Sport",
    "social-sante": "Social, médico-social, santé",
    "environnement": "Environnement",
    "education-jeunesse": "Éducation populaire, jeunesse",
    "insertion": "Insertion par l'activité économique, emploi",
    "alimentation-agriculture": "Alimentation, agriculture",
    "tourisme-loisirs": "Tourisme, loisirs",
    "logement": "Logement",
    "mobilite": "Mobilité",
    "solidarite-internationale": "Solidarité internationale",
    "numerique": "Numérique",
    "autre": "Autre",
}

# Content may say "every sector" with this slug; it is never a filter value.
TOUS: Final = "tous"

STRUCTURES: Final[dict[str, str]] = {
    "association": "Association",
    "cooperative": "Coopérative (SCOP, SCIC, CAE…)",
    "mutuelle": "Mutuelle",
    "fondation": "Fondation",
    "entreprise-sociale": "Entreprise sociale (société commerciale ESUS)",
}

ETAPES: Final[dict[str, str]] = {
    "emergence": "Émergence (idée, étude)",
    "creation": "Création",
    "developpement": "Développement",
    "consolidation": "Consolidation",
    "difficulte": "Difficulté",
}

# Size buckets: slug → (label, smallest staff count in the bucket).
EFFECTIFS: Final[dict[str, str]] = {
    "0": "Bénévoles seulement",
    "1-3": "1 à 3 salariés",
    "4-10": "4 à 10 salariés",
    "11-49": "11 à 49 salariés",
    "50+": "50 salariés ou plus",
}
EFFECTIF_MIN: Final[dict[str, int]] = {"0": 0, "1-3": 1, "4-10": 4, "11-49": 11, "50+": 50}

# Agreements an aid may require (docs/interfaces.md §1): the structure must hold all those listed.
AGREMENTS: Final[dict[str, str]] = {
    "jeunesse-education-populaire": "Agrément jeunesse et éducation populaire (JEP)",
    "sport": "Agrément sport ou affiliation à une fédération agréée",
    "esus": "Agrément entreprise solidaire d'utilité sociale (ESUS)",
    "siae": "Conventionnement insertion par l'activité économique (SIAE)",
    "service-civique": "Agrément service civique",
    "interet-general": "Intérêt général (reçus fiscaux)",
    "reconnue-utilite-publique": "Reconnaissance d'utilité publique",
    "entreprise-adaptee": "Entreprise adaptée",
    "vacances-loisirs": "Accueil collectif de mineurs (vacances et loisirs)",
    "geiq": "Reconnaissance GEIQ (insertion et qualification)",
}

FAMILLES: Final[dict[str, str]] = {
    "dla": "Dispositif local d'accompagnement (DLA)",
    "france-active": "France Active",
    "cress": "Chambre régionale de l'ESS (CRESS)",
    "piva": "Point d'information vie associative (PIVA)",
    "incubateur": "Incubateur",
    "fabrique-a-initiatives": "Fabrique à initiatives",
    "reseau-sectoriel": "Réseau sectoriel",
    "collectivite": "Collectivité",
    "service-etat": "Service de l'État",
    "financeur": "Financeur",
    "autre": "Autre",
}

RECURRENCES: Final[dict[str, str]] = {
    "ponctuelle": "Ponctuelle (une seule fois, avec une date limite)",
    "permanente": "Permanente (toute l'année)",
    "recurrente": "Récurrente (une session chaque année ou presque)",
}

STATUTS: Final[dict[str, str]] = {
    "a-venir": "À venir",
    "ouverte": "Ouverte",
    "cloture-proche": "Clôture proche",
    "a-confirmer": "Dates à confirmer",
    "cloturee": "Clôturée",
}


def effectif_buckets(effectif_max: int | None, effectif_min: int | None = None) -> list[str]:
    """Size buckets whose range meets [effectif_min, effectif_max] (all when neither is set):
    `effectif_max: 3` accepts « 0 » and « 1-3 »; `effectif_min: 1` refuses « 0 »."""
    highs = [*list(EFFECTIF_MIN.values())[1:], None]  # a bucket ends where the next starts
    return [
        slug
        for (slug, low), high in zip(EFFECTIF_MIN.items(), highs, strict=True)
        if (effectif_max is None or low <= effectif_max)
        and (effectif_min is None or high is None or high > effectif_min)
    ]


# French month names, for dates written out on pages and in mails.
MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(day: date) -> str:
    """2026-03-01 → « 1er mars 2026 »."""
    dd = "1er" if day.day == 1 else str(day.day)
    return f"{dd} {MONTHS[day.month - 1]} {day.year}"
