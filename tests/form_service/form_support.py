"""Reusable helpers for form-service and end-to-end tests: a small content tree, settings
pointing at a real SMTP sink, and a valid form.

Import with `from tests.form_service.form_support import ...`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml

from form_service.settings import RateLimit, Settings

T = TypeVar("T")
SITE = "https://aides.example.org"
TODAY = date.today()

NETWORKS: dict[str, dict[str, Any]] = {
    "dla-nord": {
        "famille": "dla",
        "territoires": ["DEP-59"],
        "besoins": ["emploi", "modele-economique", "gouvernance"],
        "secteurs": ["tous"],
        "effectifs": ["1-3", "4-10", "11-49", "50+"],
        "telephone": "03 20 00 00 00",
    },
    "france-active-hdf": {
        "famille": "france-active",
        "territoires": ["REG-32"],
        "besoins": ["tresorerie", "financer-projet"],
        "secteurs": ["tous"],
        "structures": ["association", "cooperative", "entreprise-sociale"],
        "site": "https://www.franceactive-hdf.example",
    },
    "culture-hdf": {
        "famille": "reseau-sectoriel",
        "territoires": ["REG-32"],
        "besoins": ["emploi", "tresorerie"],
        "secteurs": ["culture"],
    },
    "numerique-national": {
        "famille": "autre",
        "territoires": ["FR"],
        "besoins": ["numerique", "formation"],
        "secteurs": ["tous"],
    },
    "emergence-59": {
        "famille": "incubateur",
        "territoires": ["DEP-59"],
        "besoins": ["creation"],
        "secteurs": ["tous"],
        "etapes": ["emergence", "creation"],
    },
    "bretagne-emploi": {
        "famille": "dla",
        "territoires": ["REG-53"],
        "besoins": ["emploi", "tresorerie"],
        "secteurs": ["tous"],
    },
    "sans-adresse-59": {
        "famille": "piva",
        "territoires": ["DEP-59"],
        "besoins": ["tresorerie", "emploi", "numerique", "creation", "gouvernance"],
        "secteurs": ["tous"],
        "demandes": None,
    },
}

AIDS: dict[str, dict[str, Any]] = {
    "fonds-emploi-nord": {
        "titre": "Fonds emploi associatif du Nord",
        "besoins": ["emploi", "tresorerie"],
        "territoires": ["DEP-59"],
        "reseaux": ["france-active-hdf"],
    },
    "pret-solidaire-hdf": {
        "titre": "Prêt solidaire Hauts-de-France",
        "besoins": ["tresorerie"],
        "territoires": ["REG-32"],
        "cloture": (TODAY + timedelta(days=90)).isoformat(),
    },
    "aide-close": {
        "titre": "Aide close",
        "besoins": ["tresorerie"],
        "territoires": ["FR"],
        "recurrence": "ponctuelle",
        "ouverture": (TODAY - timedelta(days=90)).isoformat(),
        "cloture": (TODAY - timedelta(days=1)).isoformat(),
    },
}


def _write(path: Path, data: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")


def write_network(content: Path, slug: str, **fields: Any) -> None:
    data: dict[str, Any] = {
        "nom": slug.replace("-", " ").title(),
        "resume": f"Réseau {slug}.",
        "famille": "autre",
        "territoires": ["FR"],
        "besoins": ["tresorerie"],
        "secteurs": ["tous"],
        "demandes": {"email": f"{slug}@reseaux.example"},
        "mise_a_jour": TODAY.isoformat(),
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    _write(content / "reseaux" / f"{slug}.md", data, f"Le réseau {slug}.")


def write_aid(content: Path, slug: str, **fields: Any) -> None:
    data: dict[str, Any] = {
        "titre": slug,
        "resume": f"L'aide {slug}.",
        "pour_qui": "Associations et coopératives.",
        "porteurs": ["État"],
        "natures": ["subvention"],
        "besoins": ["tresorerie"],
        "secteurs": ["tous"],
        "structures": ["association", "cooperative"],
        "territoires": ["FR"],
        "recurrence": "permanente",
        "source": "https://www.associations.gouv.fr/",
        "mise_a_jour": TODAY.isoformat(),
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    _write(content / "aides" / f"{slug}.md", data, f"L'aide {slug}.")


def write_content(content: Path) -> Path:
    """The standard small tree: seven networks (one without address) and three aids."""
    for slug, fields in NETWORKS.items():
        write_network(content, slug, **fields)
    for slug, fields in AIDS.items():
        write_aid(content, slug, **fields)
    return content


def make_settings(tmp_path: Path, content: Path, smtp_port: int, **changes: Any) -> Settings:
    """Settings for a test: SQLite file in tmp_path, the sink on loopback, no built site,
    no background worker (tests call app.state.worker.run_once())."""
    settings = Settings(
        site_url=SITE,
        mail_from="ne-pas-repondre@aidess.example",
        fallback_email="orientation@aidess.example",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        content=content,
        database=tmp_path / "var" / "aidess.sqlite3",
        allowed_origins=frozenset({SITE}),
        rate_limit=RateLimit(100, 3600),
        site_dir=None,
        outbox_worker=False,
        busy_timeout=0.5,
        smtp_timeout=5.0,
        alerts_schedule=False,
    )
    return replace(settings, **changes)


def valid_form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """A valid callback request (Nord, association, culture, trésorerie + emploi)."""
    form: dict[str, str | list[str]] = {
        "structure": "Les Amis du Théâtre",
        "identifiant": "",
        "forme": "association",
        "effectif": "1-3",
        "departement": "59",
        "secteur": "culture",
        "besoins": ["tresorerie", "emploi"],
        "etape": "",
        "aide": "",
        "nom": "Marie Dupont",
        "email": "marie.dupont@asso-theatre.fr",
        "telephone": "03 20 12 34 56",
        "message": "Nous cherchons à pérenniser un poste.",
        "consentement": "oui",
        "site_web": "",
    }
    form.update(changes)
    return form


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: the browser tests leave an event loop running in
    the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
