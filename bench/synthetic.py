"""Synthetic content for the benchmarks: N aids and M networks that `aidess validate` accepts,
with French bodies of real length built from ESS vocabulary, territories spread like the real
catalogue (~30 % national, ~30 % regional, ~40 % departmental) and every vocabulary value used.

Run as a script to get a tree you can poke at: `python -m bench.synthetic 500 100 /tmp/content`.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from generator.content.slugs import slugify
from generator.content.territories import reference
from generator.content.vocabularies import BESOINS, ETAPES, FAMILLES, NATURES, SECTEURS, STRUCTURES

# --- Vocabulary of the social and solidarity economy, for titles and bodies -----------------

_THEMES = [
    "l'emploi associatif",
    "la vie associative",
    "l'innovation sociale",
    "les tiers-lieux",
    "l'insertion par l'activité économique",
    "la transition écologique",
    "l'économie circulaire",
    "les circuits courts alimentaires",
    "l'éducation populaire",
    "la culture de proximité",
    "le sport pour tous",
    "la mobilité solidaire",
    "le logement accompagné",
    "l'inclusion numérique",
    "la coopération entre structures",
    "la consolidation des fonds propres",
    "le réemploi et la réparation",
    "l'accueil des bénévoles",
    "la santé communautaire",
    "la solidarité internationale",
]
_AID_KINDS = [
    "Fonds",
    "Programme",
    "Dispositif",
    "Appel à projets",
    "Prêt d'honneur",
    "Aide",
    "Contrat",
    "Parcours",
    "Subvention",
    "Garantie",
]
_QUALIFIERS = [
    "solidaire",
    "d'amorçage",
    "de relance",
    "d'urgence",
    "d'investissement",
    "de développement",
    "de proximité",
    "de consolidation",
    "pour l'innovation",
    "de soutien",
]
_NATIONAL_CARRIERS = [
    "Fonds pour le développement de la vie associative (FDVA)",
    "France Active",
    "Bpifrance",
    "Banque des Territoires",
    "ADEME",
    "Agence nationale du sport",
    "Fondation de France",
    "Ministère du Travail",
    "Haut-commissariat à l'ESS",
    "France Travail",
    "Caisse d'allocations familiales",
    "Fonds social européen (FSE+)",
]
_SUBJECTS = [
    "L'association",
    "La coopérative",
    "La structure porteuse",
    "Le collectif d'habitants",
    "La SCIC",
    "Le tiers-lieu",
    "La régie de quartier",
    "L'entreprise d'insertion",
    "Le chantier d'insertion",
    "La ressourcerie",
    "Le groupement d'employeurs",
    "La mutuelle",
    "La fondation",
    "Le réseau local",
    "L'épicerie solidaire",
]
_VERBS = [
    "peut financer",
    "doit présenter",
    "s'engage à documenter",
    "peut solliciter",
    "précise dans son dossier",
    "mobilise",
    "consolide",
    "développe",
    "met en place",
    "s'appuie sur",
    "décrit",
    "justifie",
]
_OBJECTS = [
    "un poste de coordination",
    "les frais de fonctionnement liés au projet",
    "l'achat de matériel de cuisine",
    "une étude de faisabilité",
    "la formation des bénévoles",
    "un plan de trésorerie sur douze mois",
    "le recrutement d'un salarié en contrat aidé",
    "un budget prévisionnel équilibré",
    "la mutualisation de locaux",
    "l'aménagement d'un atelier partagé",
    "une démarche d'évaluation de l'impact social",
    "le renouvellement de la gouvernance",
    "un outil de gestion numérique",
    "la rénovation énergétique du bâtiment",
    "un partenariat avec la collectivité",
    "une activité de réemploi",
    "l'accueil de jeunes en service civique",
    "un diagnostic de son modèle économique",
]
_COMPLEMENTS = [
    "pour une durée de trois ans",
    "dans un quartier prioritaire de la politique de la ville",
    "en lien avec les acteurs du territoire",
    "avant le dépôt de la demande",
    "avec l'appui d'un chargé de mission",
    "selon le règlement d'intervention en vigueur",
    "en zone de revitalisation rurale",
    "au bénéfice des personnes éloignées de l'emploi",
    "en complément d'autres financements publics",
    "dans le respect du principe de non-lucrativité",
    "après avis du comité d'engagement",
    "sur la base des comptes du dernier exercice",
    "au moment de la création de la structure",
    "lorsque la trésorerie est tendue",
    "pour sécuriser les emplois existants",
]
_CONNECTORS = ["Par ailleurs,", "En pratique,", "De plus,", "Ensuite,", "Enfin,", "Surtout,", ""]
_STEPS = [
    "Prenez contact avec le chargé de mission pour vérifier l'éligibilité du projet.",
    "Rassemblez les statuts, la liste des dirigeants et le dernier rapport d'activité.",
    "Joignez un budget prévisionnel et le plan de financement du projet.",
    "Déposez le dossier sur la plateforme en ligne avant la date limite.",
    "Le comité se réunit chaque trimestre et rend sa décision par courrier.",
    "Le versement intervient en deux fois, sur présentation des justificatifs.",
    "Un bilan qualitatif et financier est demandé à la fin de l'action.",
]


def _sentence(rng: random.Random) -> str:
    connector = rng.choice(_CONNECTORS)
    subject = rng.choice(_SUBJECTS)
    if connector:
        subject = subject[0].lower() + subject[1:]
    words = [connector, subject, rng.choice(_VERBS), rng.choice(_OBJECTS)]
    first, second = rng.sample(_COMPLEMENTS, 2)
    words.append(first)
    if rng.random() < 0.4:
        words.append("et " + second)
    return " ".join(w for w in words if w) + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def body(rng: random.Random, kind: str, target_words: int) -> str:
    """A Markdown body of about `target_words` words in three sections."""
    if kind == "aide":
        titles = ["Ce que l'aide finance", "Pour qui", "Comment la demander"]
    else:
        titles = ["Ce que fait le réseau", "Pour qui", "Comment le contacter"]
    parts: list[str] = []
    words = 0
    section = 0
    while words < target_words or section < len(titles):
        if section < len(titles):
            parts.append(f"## {titles[section]}\n")
        if section == 2:
            steps = rng.sample(_STEPS, 3)
            parts.append("\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)) + "\n")
            words += sum(len(s.split()) for s in steps)
        text = _paragraph(rng, rng.randint(3, 6))
        parts.append(text + "\n")
        words += len(text.split())
        section += 1
    return "\n".join(parts)


# --- Front matter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    aides: int
    reseaux: int
    seed: int = 2026


def _cycle(values: Sequence[str], index: int, rng: random.Random, extra: int) -> list[str]:
    """The index-th value (so every value appears once N ≥ len(values)), plus a few others."""
    chosen = [values[index % len(values)]]
    for value in rng.sample(list(values), extra):
        if value not in chosen:
            chosen.append(value)
    return chosen


def _territories(rng: random.Random, index: int) -> tuple[list[str], list[str]]:
    """~30 % national, ~30 % regional, ~40 % departmental, a few with exclusions."""
    ref = reference()
    regions = sorted(ref.regions)
    departments = sorted(ref.departments)
    bucket = index % 10
    if bucket < 3:
        exclusions = [f"DEP-{rng.choice(departments)}"] if rng.random() < 0.05 else []
        return ["FR"], exclusions
    if bucket < 6:
        # Walk the regions in order first so each one is used.
        first = regions[index % len(regions)]
        codes = [first, *rng.sample(regions, rng.choice([0, 0, 0, 1]))]
        return [f"REG-{c}" for c in dict.fromkeys(codes)], []
    first = departments[index % len(departments)]
    codes = [first, *rng.sample(departments, rng.choice([0, 0, 1, 2]))]
    return [f"DEP-{c}" for c in dict.fromkeys(codes)], []


def _carrier(rng: random.Random, territoires: list[str]) -> str:
    ref = reference()
    key = territoires[0]
    if key.startswith("REG-"):
        return f"Région {ref.regions[key[4:]].nom}"
    if key.startswith("DEP-"):
        return f"Conseil départemental : {ref.departments[key[4:]].nom}"
    return rng.choice(_NATIONAL_CARRIERS)


def aide(
    rng: random.Random, index: int, today: date, reseaux: list[str]
) -> tuple[str, dict[str, Any], str]:
    """Slug, front matter and body of the index-th synthetic aid."""
    territoires, exclusions = _territories(rng, index)
    theme = _THEMES[index % len(_THEMES)]
    place = reference().name(territoires[0])
    titre = f"{rng.choice(_AID_KINDS)} {rng.choice(_QUALIFIERS)} pour {theme} ({place})"
    slug = f"{slugify(titre)[:70].rstrip('-')}-{index}"
    data: dict[str, Any] = {
        "titre": titre,
        "resume": f"Soutenir {theme} : {rng.choice(_OBJECTS)} {rng.choice(_COMPLEMENTS)}.",
        "porteurs": [_carrier(rng, territoires)]
        + ([rng.choice(_NATIONAL_CARRIERS)] if rng.random() < 0.3 else []),
        "natures": _cycle(list(NATURES), index, rng, rng.randint(0, 2)),
        "besoins": _cycle(list(BESOINS), index, rng, rng.randint(0, 3)),
        "secteurs": (
            ["tous"] if index % 7 == 3 else _cycle(list(SECTEURS), index, rng, rng.randint(0, 2))
        ),
        "structures": _cycle(list(STRUCTURES), index, rng, rng.randint(0, 3)),
    }
    if index % 3:
        data["etapes"] = _cycle(list(ETAPES), index, rng, rng.randint(0, 2))
    data["pour_qui"] = "Structures de l'ESS"
    if index % 4 == 1:
        data["effectif_max"] = rng.choice([0, 3, 10, 49, 250])
        data["pour_qui"] = f"Structures de {data['effectif_max']} salariés au plus"
    elif index % 4 == 2 and index % 8 == 2:
        data["effectif_min"] = 1
        data["pour_qui"] = "Structures employeuses"
    data["territoires"] = territoires
    if exclusions:
        data["exclusions"] = exclusions
    if rng.random() < 0.7:
        low = rng.choice([1_000, 5_000, 10_000, 20_000])
        high = low * rng.choice([2, 5, 10])
        data["montant"] = {
            "min": low,
            "max": high,
            "texte": f"De {low:,} € à {high:,} € selon le projet".replace(",", "\u202f"),
        }
    # Dates: mostly permanent or open, some upcoming, some closing soon, a few closed (2 %).
    roll = index % 50
    if roll == 7:
        data["ouverture"] = today - timedelta(days=400)
        data["cloture"] = today - timedelta(days=rng.randint(5, 200))
    elif roll in (11, 23):
        data["ouverture"] = today + timedelta(days=rng.randint(5, 60))
        data["cloture"] = data["ouverture"] + timedelta(days=90)
    elif roll in (13, 31):
        data["cloture"] = today + timedelta(days=rng.randint(1, 29))
    elif roll % 5 == 0:
        data["ouverture"] = today - timedelta(days=rng.randint(30, 300))
        data["cloture"] = today + timedelta(days=rng.randint(31, 300))
    if "cloture" in data:
        data["recurrence"] = "ponctuelle"
    elif roll in (17, 41):
        data["recurrence"] = "recurrente"
        data["periode"] = "chaque année, de janvier à mars"
        last = today.year - 1  # its last known session, as a recurring aid must say
        data["derniere_session"] = {
            "ouverture": date(last, 1, 15),
            "cloture": date(last, 3, 31),
        }
    else:
        data["recurrence"] = "permanente"
    data["source"] = f"https://financeur.example/aides/{slug}"
    data["mise_a_jour"] = today - timedelta(days=rng.randint(0, 300))
    if reseaux and rng.random() < 0.6:
        data["reseaux"] = rng.sample(reseaux, rng.randint(1, min(2, len(reseaux))))
    return slug, data, body(rng, "aide", rng.randint(270, 420))


def reseau(rng: random.Random, index: int, today: date) -> tuple[str, dict[str, Any], str]:
    """Slug, front matter and body of the index-th synthetic network."""
    ref = reference()
    famille = list(FAMILLES)[index % len(FAMILLES)]
    territoires, _ = _territories(rng, index + 3)  # networks are more often local
    nom = f"{FAMILLES[famille]} : {ref.name(territoires[0])} n° {index}"
    slug = f"{slugify(nom)[:70].rstrip('-')}-{index}"
    data: dict[str, Any] = {
        "nom": nom,
        "resume": f"Accompagne les structures de l'ESS sur {rng.choice(_THEMES)}.",
        "famille": famille,
        "territoires": territoires,
        "besoins": _cycle(list(BESOINS), index, rng, rng.randint(1, 4)),
        "secteurs": (
            ["tous"] if index % 2 else _cycle(list(SECTEURS), index, rng, rng.randint(0, 2))
        ),
    }
    if index % 3 == 2:
        data["structures"] = _cycle(list(STRUCTURES), index, rng, rng.randint(0, 2))
    if index % 4 == 3:
        data["etapes"] = _cycle(list(ETAPES), index, rng, rng.randint(0, 2))
    data["site"] = f"https://reseau-{index}.example/"
    data["telephone"] = f"01 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00"
    if index % 10 != 9:  # 10 % listed but never routed
        data["demandes"] = {"email": f"demandes@reseau-{index}.example"}
    data["mise_a_jour"] = today - timedelta(days=rng.randint(0, 300))
    return slug, data, body(rng, "reseau", rng.randint(200, 350))


def _write(path: Path, data: dict[str, Any], text: str) -> None:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{text}", encoding="utf-8")


def generate(plan: Plan, content: Path, today: date | None = None) -> Path:
    """Write `plan` into `content` (aides/ and reseaux/, emptied first); return `content`."""
    today = today or date.today()
    rng = random.Random(plan.seed)
    for folder in ("aides", "reseaux"):
        directory = content / folder
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("*.md"):
            old.unlink()
    slugs: list[str] = []
    for index in range(plan.reseaux):
        slug, data, text = reseau(rng, index, today)
        _write(content / "reseaux" / f"{slug}.md", data, text)
        slugs.append(slug)
    for index in range(plan.aides):
        slug, data, text = aide(rng, index, today, slugs)
        _write(content / "aides" / f"{slug}.md", data, text)
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("aides", type=int)
    parser.add_argument("reseaux", type=int)
    parser.add_argument("content", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    generate(Plan(args.aides, args.reseaux, args.seed), args.content)
    print(args.content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
