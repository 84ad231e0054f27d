from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.catalog import Catalog, Record
from generator.content.model import Aide, Reseau
from generator.content.vocabularies import ETAPES, SECTEURS
from generator.enrich import enrich, expand_etapes, expand_secteurs

TODAY = date(2026, 3, 1)


def aide(**changes: object) -> Aide:
    data: dict[str, object] = {
        "titre": "Aide",
        "resume": "Résumé.",
        "pour_qui": "Toutes les associations.",
        "porteurs": ["État"],
        "natures": ["subvention"],
        "besoins": ["emploi"],
        "secteurs": ["culture"],
        "structures": ["association"],
        "territoires": ["FR"],
        "recurrence": "permanente",
        "source": "https://example.org",
        "mise_a_jour": "2026-01-01",
    }
    data.update(changes)
    return Aide.model_validate(data)


def reseau(**changes: object) -> Reseau:
    data: dict[str, object] = {
        "nom": "Réseau",
        "resume": "Résumé.",
        "famille": "dla",
        "territoires": ["DEP-59"],
        "besoins": ["emploi"],
        "secteurs": ["tous"],
        "mise_a_jour": "2026-01-01",
    }
    data.update(changes)
    return Reseau.model_validate(data)


def catalog(aides: dict[str, Aide], reseaux: dict[str, Reseau] | None = None) -> Catalog:
    result = Catalog()
    for slug, a in aides.items():
        result.aides[slug] = Record(slug, Path(f"{slug}.md"), "", a)
    for slug, r in (reseaux or {}).items():
        result.reseaux[slug] = Record(slug, Path(f"{slug}.md"), "", r)
    return result


def test_expand_secteurs_and_etapes() -> None:
    assert expand_secteurs(["tous"]) == tuple(SECTEURS)
    assert expand_secteurs(["sport", "culture"]) == ("culture", "sport")
    assert expand_etapes(None) == tuple(ETAPES)
    assert expand_etapes(["creation"]) == ("creation",)


def test_status_from_the_build_day() -> None:
    site = enrich(
        catalog(
            {
                "a": aide(cloture="2026-02-01"),
                "b": aide(ouverture="2026-04-01"),
                "c": aide(cloture="2026-03-20"),
                "d": aide(),
            }
        ),
        TODAY,
    )
    assert {s: e.statut for s, e in site.aides.items()} == {
        "a": "cloturee",
        "b": "a-venir",
        "c": "cloture-proche",
        "d": "ouverte",
    }
    assert not site.aides["a"].open and site.aides["b"].open


def test_coverage_after_exclusions_and_size_buckets() -> None:
    entry = enrich(
        catalog({"x": aide(territoires=["REG-32"], exclusions=["DEP-62"], effectif_max=10)}),
        TODAY,
    ).aides["x"]
    assert entry.departements == ("02", "59", "60", "80")
    assert entry.regions == ("32",)
    assert entry.effectifs == ("0", "1-3", "4-10")


def test_networks_know_the_aids_they_help_with() -> None:
    site = enrich(
        catalog(
            {"b": aide(titre="B", reseaux=["r"]), "a": aide(titre="A", reseaux=["r"])},
            {"r": reseau()},
        ),
        TODAY,
    )
    assert list(site.aides) == ["a", "b"]  # by title
    assert site.reseaux["r"].aides == ("a", "b")
    assert site.reseaux["r"].departements == ("59",)
    assert [r.slug for r in site.reseaux_of(site.aides["a"].reseaux)] == ["r"]
