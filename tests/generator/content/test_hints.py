import pytest

from generator.content import hints, territories


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Roubaix", ["COM-59512"]),
        ("roubaix", ["COM-59512"]),
        ("59100", ["COM-59512", "COM-59100"]),  # Roubaix's postcode, Bousignies' INSEE code
        ("59512", ["COM-59512"]),
        ("69001", ["COM-69123", "COM-69001"]),  # Lyon 1er, Affoux
        ("COM-13201", ["COM-13055"]),  # Marseille 1er arrondissement
        ("MEL", ["EPCI-200093201"]),
        ("Métropole Européenne de Lille", ["EPCI-200093201"]),
        ("200093201", ["EPCI-200093201"]),
        ("epci 200093201", ["EPCI-200093201"]),
        ("CC de l'Île de Noirmoutier", ["EPCI-248500191"]),
        ("Communauté de communes de l'Île de Noirmoutier", ["EPCI-248500191"]),
        ("Dunkerque", ["COM-59183"]),
        ("Nord", ["DEP-59"]),
        ("Atlantide", []),
    ],
)
def test_territory_suggestions(text: str, keys: list[str]) -> None:
    assert hints.territory_suggestions(text) == keys


def test_one_suggestion_is_a_code_several_are_not() -> None:
    assert hints.territory_code("Roubaix") == "COM-59512"
    assert hints.territory_code("Saint-Denis") is None
    assert len(hints.territory_suggestions("Sainte-Colombe")) == 5  # 12 homonyms, cut


def test_region_and_department_names_do_not_read_the_communes() -> None:
    territories.communes.cache_clear()
    assert hints.territory_code("Hauts-de-France") == "REG-32"
    assert hints.territory_code("DEP 59") == "DEP-59"
    assert territories.communes.cache_info().currsize == 0


def test_suggestions_in_french() -> None:
    assert hints.suggestion(["COM-59512"]) == "« COM-59512 » (Roubaix)"
    assert hints.suggestion(["EPCI-200093201", "DEP-59"]) == (
        "« EPCI-200093201 » (Métropole Européenne de Lille) ou « DEP-59 » (Nord (59))"
    )
