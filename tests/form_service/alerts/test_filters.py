"""Alert filters: parsing with French errors, and the site's two-way territory rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from form_service.alerts.filters import Aid, Filters, parse

AID = Aid(
    slug="a",
    titre="Aide",
    territoires=("DEP-59",),
    exclusions=(),
    secteurs=("culture",),
    besoins=("emploi", "tresorerie"),
    structures=("association",),
    effectifs=("0", "1-3"),
    ouverture=None,
    cloture=None,
    recurrence="permanente",
)


@pytest.mark.parametrize(
    ("territoires", "exclusions", "filters", "expected"),
    [
        # A department lists what covers it: FR, its region, itself.
        (("FR",), (), Filters(departement="59"), True),
        (("REG-32",), (), Filters(departement="59"), True),
        (("DEP-59",), (), Filters(departement="59"), True),
        (("DEP-62",), (), Filters(departement="59"), False),
        (("REG-53",), (), Filters(departement="59"), False),
        (("FR",), ("DEP-59",), Filters(departement="59"), False),
        (("REG-32",), ("DEP-59",), Filters(departement="62"), True),
        # A region lists what covers it and what lies inside it.
        (("FR",), (), Filters(region="32"), True),
        (("REG-32",), (), Filters(region="32"), True),
        (("DEP-59",), (), Filters(region="32"), True),
        (("DEP-29",), (), Filters(region="32"), False),
        (("FR",), ("REG-32",), Filters(region="32"), False),
        # No territory: all of France.
        (("DEP-29",), (), Filters(), True),
        # A commune lists what covers it: FR, its region, department, EPCI, itself.
        (("COM-59512",), (), Filters(departement="59", commune="59512"), True),
        (("COM-59512",), (), Filters(departement="59", commune="59183"), False),  # Dunkerque
        (("EPCI-200093201",), (), Filters(departement="59", commune="59512"), True),  # MEL
        (("EPCI-200093201",), (), Filters(departement="59", commune="59183"), False),
        (("DEP-59",), (), Filters(departement="59", commune="59183"), True),
        (("FR",), ("COM-59512",), Filters(departement="59", commune="59512"), False),
        (("REG-32",), ("EPCI-200093201",), Filters(departement="59", commune="59183"), True),
        # A department lists what lies inside it too (as the site's search does).
        (("COM-59512",), (), Filters(departement="59"), True),
    ],
)
def test_territories_match_both_ways(
    territoires: tuple[str, ...], exclusions: tuple[str, ...], filters: Filters, expected: bool
) -> None:
    aid = replace(AID, territoires=territoires, exclusions=exclusions)
    assert filters.matches(aid) is expected


@pytest.mark.parametrize(
    ("aid_changes", "filters", "expected"),
    [
        ({}, Filters(secteur=("culture",)), True),
        ({}, Filters(secteur=("sport",)), False),
        ({"secteurs": ("tous",)}, Filters(secteur=("sport",)), True),
        ({}, Filters(secteur=("sport", "culture")), True),  # OR inside a facet
        ({}, Filters(besoin=("numerique",)), False),
        ({}, Filters(besoin=("numerique", "emploi")), True),
        ({}, Filters(structure=("cooperative",)), False),
        ({}, Filters(effectif=("1-3",)), True),
        ({}, Filters(effectif=("4-10",)), False),
        # AND across facets.
        ({}, Filters(departement="59", secteur=("culture",), besoin=("locaux",)), False),
        ({}, Filters(departement="59", secteur=("culture",), besoin=("emploi",)), True),
    ],
)
def test_facets_or_inside_and_across(
    aid_changes: dict[str, object], filters: Filters, expected: bool
) -> None:
    assert filters.matches(replace(AID, **aid_changes)) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, Filters()),
        ({"departement": "59"}, Filters(departement="59")),
        ({"departement": "dep-2a"}, Filters(departement="2A")),
        ({"region": "32"}, Filters(region="32")),
        # Both: the department, when it lies in the region.
        ({"departement": "59", "region": "32"}, Filters(departement="59")),
        ({"departement": "", "region": "32"}, Filters(region="32")),
        # A commune brings its department (typed by name or postcode, or its INSEE code).
        ({"commune": "Roubaix"}, Filters(departement="59", commune="59512")),
        ({"commune": "59100", "departement": "59"}, Filters(departement="59", commune="59512")),
        ({"commune": "Roubaix (59)", "region": "32"}, Filters(departement="59", commune="59512")),
        # Vocabulary order and no repeats: the same choice is the same subscription.
        ({"besoin": ["tresorerie", "emploi", "emploi"]}, Filters(besoin=("tresorerie", "emploi"))),
        ({"besoin": ["emploi", "tresorerie"]}, Filters(besoin=("tresorerie", "emploi"))),
        (
            {"secteur": "culture", "effectif": "1-3"},
            Filters(secteur=("culture",), effectif=("1-3",)),
        ),
    ],
)
def test_parse(raw: dict[str, str | list[str]], expected: Filters) -> None:
    assert parse(raw) == (expected, {})


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"departement": "99"}, "departement", "code inconnu « 99 »"),
        ({"region": "REG-99"}, "region", "code inconnu"),
        ({"departement": ["59", "62"]}, "departement", "un seul territoire"),
        ({"departement": "29", "region": "32"}, "departement", "pas dans la région choisie"),
        ({"besoin": ["emploi", "cuisine"]}, "besoin", "valeur inconnue"),
        ({"secteur": "tous"}, "secteur", "valeur inconnue"),  # content only, never a filter
        ({"commune": "Roubaix", "departement": "80"}, "commune", "pas dans le département"),
        ({"commune": "Roubiax"}, "commune", "Vouliez-vous dire Roubia (11), Roubaix (59) ?"),
    ],
)
def test_parse_errors_are_french_and_per_field(
    raw: dict[str, str | list[str]], field: str, message: str
) -> None:
    filters, errors = parse(raw)
    assert filters is None
    assert message in errors[field]


def test_canonical_json_round_trips_and_recalls_in_french() -> None:
    filters = Filters(departement="59", besoin=("tresorerie", "emploi"), effectif=("1-3",))
    assert Filters.from_json(filters.to_json()) == filters
    same, _ = parse({"besoin": ["emploi", "tresorerie"], "departement": "59", "effectif": "1-3"})
    assert same is not None and same.to_json() == filters.to_json()
    rows = dict(filters.describe())
    assert rows["Département"] == "Nord (59)"
    assert rows["Besoins"] == "Trésorerie, difficultés financières, Recruter, pérenniser un emploi"
    assert rows["Secteur"] == "tous"
    assert dict(Filters(region="53").describe())["Région"] == "Bretagne"
    assert dict(Filters().describe())["Territoire"] == "France entière"
    local = Filters(departement="59", commune="59512")
    assert Filters.from_json(local.to_json()) == local
    assert dict(local.describe())["Commune"] == "Roubaix (59)"
    assert local.search_path() == "/?departement=59&commune=59512"
    assert filters.search_path() == (
        "/?departement=59&besoin=tresorerie&besoin=emploi&effectif=1-3"
    )


def test_a_commune_alert_shows_its_commune_as_typed_text() -> None:
    """The page that changes an alert fills the commune field with « Roubaix (59) », which
    reads back the same (its INSEE code, typed, would be read as a postcode)."""
    from form_service.alerts.pages import filters_values

    local = Filters(departement="59", commune="59512")
    values = filters_values(local)
    assert values["commune"] == "Roubaix (59)"
    assert parse(values)[0] == local
