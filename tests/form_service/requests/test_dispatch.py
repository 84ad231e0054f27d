from __future__ import annotations

from pathlib import Path

import pytest

from form_service.requests.dispatch import Profile, Routing, route
from generator.content.catalog import Catalog, load
from tests.form_service.form_support import TODAY


@pytest.fixture
def catalog(content: Path) -> Catalog:
    return load(content, TODAY)[0]


def _route(catalog: Catalog, aide: str | None = None, **fields: object) -> Routing:
    values: dict[str, object] = {
        "departement": "59",
        "forme": "association",
        "effectif": "1-3",
        "secteur": "sport",
        "besoins": ("tresorerie", "emploi"),
    }
    values.update(fields)
    profile = Profile(aide=aide, **values)  # type: ignore[arg-type]
    reseaux = {slug: r.data for slug, r in catalog.reseaux.items()}
    aide_reseaux = catalog.aides[aide].data.reseaux if aide else []
    return route(profile, reseaux, aide_reseaux)


CASES = [
    # (case, fields, aide, expected networks in order, uncovered)
    ("one specialist covers both needs", {"secteur": "culture"}, None, ["culture-hdf"], []),
    (
        "department before region when each covers one need",
        {},
        None,
        ["dla-nord", "france-active-hdf"],
        [],
    ),
    ("region only outside the department", {"departement": "02"}, None, ["france-active-hdf"],
     ["emploi"]),
    ("national network", {"departement": "75", "besoins": ("numerique",)}, None,
     ["numerique-national"], []),
    (
        "three-network cap, most needs first then department > region > FR",
        {"besoins": ("tresorerie", "emploi", "gouvernance", "numerique", "creation")},
        None,
        ["dla-nord", "emergence-59", "france-active-hdf"],
        ["numerique"],
    ),
    ("the aid's own networks first", {}, "fonds-emploi-nord", ["france-active-hdf", "dla-nord"],
     []),
    (
        "sector specialist wins a tie",
        {"secteur": "culture", "besoins": ("tresorerie",)},
        None,
        ["culture-hdf"],
        [],
    ),
    ("etape accepted", {"etape": "emergence", "besoins": ("creation",)}, None, ["emergence-59"],
     []),
    ("forme filter", {"forme": "mutuelle", "besoins": ("tresorerie", "emploi")}, None,
     ["dla-nord"], ["tresorerie"]),
    ("other region", {"departement": "29"}, None, ["bretagne-emploi"], []),
    ("effectif accepted by the DLA (employers)", {"effectif": "50+", "besoins": ("emploi",)},
     None, ["dla-nord"], []),
    ("effectif refused: the DLA takes employers only",
     {"effectif": "0", "secteur": "culture", "besoins": ("emploi",)}, None, ["culture-hdf"], []),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "aide", "expected", "uncovered"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_selection(
    catalog: Catalog,
    fields: dict[str, object],
    aide: str | None,
    expected: list[str],
    uncovered: list[str],
) -> None:
    routing = _route(catalog, aide, **fields)
    assert [c.slug for c in routing.choices] == expected
    assert list(routing.uncovered) == uncovered
    assert not routing.fallback


FALLBACKS = [
    ("no network for the needs here", {"departement": "971"},
     "Aucun réseau couvrant Guadeloupe (971) n'accompagne ces besoins : Trésorerie"),
    ("etape refused", {"etape": "developpement", "besoins": ("creation",)},
     "Emergence 59 : étape « Développement » non accompagnée"),
    ("forme and sector refused",
     {"departement": "02", "forme": "mutuelle", "besoins": ("tresorerie",)},
     "(Culture Hdf : secteur « Sport » non accompagné ; "
     "France Active Hdf : forme « Mutuelle » non accompagnée)"),
    ("effectif refused", {"effectif": "0", "besoins": ("gouvernance",)},
     "Dla Nord : taille « Bénévoles seulement » non accompagnée"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "reason"), [c[1:] for c in FALLBACKS],
                         ids=[c[0] for c in FALLBACKS])  # fmt: skip
def test_fallback(catalog: Catalog, fields: dict[str, object], reason: str) -> None:
    routing = _route(catalog, None, **fields)
    assert routing.fallback
    assert routing.choices == ()
    assert routing.fallback_reason and reason in routing.fallback_reason


def test_fallback_when_nothing_covers_the_department(catalog: Catalog) -> None:
    reseaux = {"dla-nord": catalog.reseaux["dla-nord"].data}
    profile = Profile("29", "association", "0", "sport", ("emploi",))
    assert route(profile, reseaux).fallback_reason == (
        "Aucun réseau recevant des demandes ne couvre Finistère (29)"
    )


def test_a_network_of_a_commune_does_not_take_its_department(catalog: Catalog) -> None:
    dla = catalog.reseaux["dla-nord"].data
    reseaux = {"dla-nord": dla, "roubaix": dla.model_copy(update={"territoires": ["COM-59512"]})}
    profile = Profile("59", "association", "1-3", "sport", ("emploi",))
    assert [c.slug for c in route(profile, reseaux).choices] == ["dla-nord"]


def test_network_without_address_is_never_chosen(catalog: Catalog) -> None:
    for besoin in ("tresorerie", "emploi", "numerique", "creation", "gouvernance"):
        routing = _route(catalog, besoins=(besoin,))
        assert "sans-adresse-59" not in [c.slug for c in routing.choices]


def test_reasons_in_french(catalog: Catalog) -> None:
    routing = _route(catalog, "fonds-emploi-nord", departement="02", secteur="culture")
    first, second = routing.choices
    assert first.slug == "france-active-hdf"
    assert first.raisons[0].startswith("Indiqué sur la fiche de l'aide")
    assert "Couvre la région Hauts-de-France, où se trouve Aisne (02)" in first.raisons
    assert "Besoins qui lui sont confiés : Trésorerie, difficultés financières" in first.raisons
    assert second.slug == "culture-hdf"
    assert "Spécialiste du secteur : Culture" in second.raisons
    assert second.besoins == ("emploi",)
    assert "Peut aussi aider pour : Trésorerie, difficultés financières" in second.raisons
    dla = _route(catalog, besoins=("emploi",)).choices[0]
    assert dla.raisons[0] == "Couvre le département : Nord (59)"


def test_as_json(catalog: Catalog) -> None:
    data = _route(catalog, departement="75", besoins=("numerique",)).as_json()
    assert data == {
        "reseaux": [
            {
                "slug": "numerique-national",
                "nom": "Numerique National",
                "email": "numerique-national@reseaux.example",
                "raisons": [
                    "Couvre toute la France, dont Paris (75)",
                    "Besoins qui lui sont confiés : Numérique",
                ],
            }
        ],
        "fallback": False,
    }


def test_as_json_names_the_needs_left_uncovered(catalog: Catalog) -> None:
    routing = _route(catalog, departement="75", besoins=("numerique", "locaux"))
    assert routing.choices and routing.uncovered == ("locaux",)
    assert routing.as_json()["besoins_non_couverts"] == ["locaux"]


def _local_networks(catalog: Catalog) -> dict[str, object]:
    """The DLA of Nord, and networks of a city, of an EPCI and of another city, all alike
    but for their territory."""
    dla = catalog.reseaux["dla-nord"].data
    local = {
        "roubaix": ["COM-59512"],
        "mel": ["EPCI-200093201"],  # Métropole Européenne de Lille: Roubaix, Lille, Tourcoing…
        "tourcoing": ["COM-59599"],
        "amiens-metropole": ["EPCI-248000531"],
    }
    reseaux: dict[str, object] = {"dla-nord": dla}
    for slug, territoires in local.items():
        reseaux[slug] = dla.model_copy(update={"territoires": territoires, "nom": slug})
    return reseaux


COMMUNES = [
    # (case, departement, commune, expected first network, its territory reason)
    ("the city's own network", "59", "59512", "roubaix", "Couvre la commune : Roubaix (59)"),
    ("the EPCI's network for a commune of it", "59", "59350", "mel",
     "Couvre l'intercommunalité Métropole Européenne de Lille, où se trouve Lille (59)"),
    ("another city of the department: the department's network", "59", "59183", "dla-nord",
     "Couvre le département : Nord (59)"),
    ("no commune: never a city's or an EPCI's network", "59", None, "dla-nord",
     "Couvre le département : Nord (59)"),
    ("an EPCI of another department", "80", "80021", "amiens-metropole",
     "Couvre l'intercommunalité CA Amiens Métropole, où se trouve Amiens (80)"),
]  # fmt: skip


@pytest.mark.parametrize(("departement", "commune", "first", "reason"),
                         [c[1:] for c in COMMUNES], ids=[c[0] for c in COMMUNES])  # fmt: skip
def test_a_request_reaches_the_networks_of_its_commune(
    catalog: Catalog, departement: str, commune: str | None, first: str, reason: str
) -> None:
    profile = Profile(departement, "association", "1-3", "sport", ("emploi",), commune=commune)
    routing = route(profile, _local_networks(catalog))  # type: ignore[arg-type]
    assert [c.slug for c in routing.choices] == [first]
    assert routing.choices[0].raisons[0] == reason


@pytest.mark.parametrize(("commune", "reason"), [
    ("80001", "Aucun réseau recevant des demandes ne couvre Abbeville (80)"),
    (None, "Aucun réseau recevant des demandes ne couvre Somme (80) (la demande n'indique pas "
           "sa commune, et les réseaux locaux ne couvrent qu'une partie du département)"),
])  # fmt: skip
def test_a_city_network_alone_takes_only_its_communes(
    catalog: Catalog, commune: str | None, reason: str
) -> None:
    profile = Profile("80", "association", "1-3", "sport", ("emploi",), commune=commune)
    routing = route(profile, _local_networks(catalog))  # type: ignore[arg-type]
    assert routing.fallback and routing.fallback_reason == reason


def test_the_real_city_networks_take_only_their_area() -> None:
    """content/: the Maison des associations de Tourcoing and the MAAM (Amiens Métropole) get
    the requests of their area only."""
    catalog, _ = load(Path("content"), TODAY)
    reseaux = {slug: r.data for slug, r in catalog.reseaux.items()}
    slugs = {
        "maison-des-associations-de-tourcoing": ("59", "59599", "59183"),
        "maam-maison-des-associations-amiens-metropole": ("80", "80021", "80001"),
    }
    for slug, (departement, inside, outside) in slugs.items():
        data = reseaux[slug]
        besoins = tuple(data.besoins[:1])

        chosen = {
            commune: [c.slug for c in route(Profile(departement, "association", "1-3",
                                                    "culture", besoins, commune=commune),
                                            reseaux).choices]
            for commune in (inside, outside, None)
        }  # fmt: skip
        assert slug in chosen[inside]
        assert slug not in chosen[outside]
        assert slug not in chosen[None]
