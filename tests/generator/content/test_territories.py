from generator.content import territories
from generator.content.territories import Level, reference

HDF = {"02", "59", "60", "62", "80"}
BRETAGNE = {"22", "29", "35", "56"}


def test_reference_has_every_region_and_department() -> None:
    ref = reference()
    assert len(ref.regions) == 18
    assert len(ref.departments) == 101
    metropolitan = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
    assert set(ref.departments) == metropolitan | {"971", "972", "973", "974", "976"}
    assert all(d.region in ref.regions for d in ref.departments.values())
    # Every region has at least one department; overseas regions have exactly one.
    assert all(ref.departments_of_region(code) for code in ref.regions)
    assert [d.code for d in ref.departments_of_region("04")] == ["974"]


def test_pilot_regions_hold_their_departments() -> None:
    ref = reference()
    assert {d.code for d in ref.departments_of_region("32")} == HDF
    assert {d.code for d in ref.departments_of_region("53")} == BRETAGNE
    assert ref.regions["32"].nom == "Hauts-de-France"
    assert ref.departments["59"].nom == "Nord"


def test_overseas_departments_have_their_phone_region() -> None:
    ref = reference()
    assert ref.departments["974"].phone_region == "RE"
    assert ref.departments["976"].phone_region == "YT"
    assert ref.departments["59"].phone_region == "FR"


def test_codes_are_checked() -> None:
    for good in ("FR", "REG-32", "DEP-59", "DEP-2A", "DEP-971"):
        assert territories.is_valid(good)
    for bad in ("FR-59", "REG-99", "DEP-20", "DEP-99", "59", "dep-59", ""):
        assert not territories.is_valid(bad)


def test_department_filter_lists_national_regional_and_own_department() -> None:
    assert territories.matches_department(["FR"], [], "59")
    assert territories.matches_department(["REG-32"], [], "59")
    assert territories.matches_department(["DEP-59"], [], "59")
    assert not territories.matches_department(["DEP-62"], [], "59")
    assert not territories.matches_department(["REG-53"], [], "59")


def test_region_filter_lists_items_covering_it_and_inside_it() -> None:
    assert territories.matches_region(["FR"], [], "53")
    assert territories.matches_region(["REG-53"], [], "53")
    assert territories.matches_region(["DEP-29"], [], "53")
    assert not territories.matches_region(["DEP-59"], [], "53")


def test_exclusions_remove_coverage() -> None:
    assert territories.covered_departments(["REG-53"], ["DEP-29"]) == BRETAGNE - {"29"}
    assert not territories.matches_department(["FR"], ["REG-32"], "59")
    assert territories.matches_department(["FR"], ["REG-32"], "35")
    # A region partly excluded is still listed under that region…
    assert territories.matches_region(["FR"], ["DEP-29"], "53")
    # …but not once all of it is excluded.
    assert not territories.matches_region(["FR"], ["REG-53"], "53")


def test_match_level_prefers_the_most_specific_territory() -> None:
    assert territories.match_level(["FR", "DEP-59"], [], "59") == (Level.DEPARTMENT, "DEP-59")
    assert territories.match_level(["FR", "REG-32"], [], "59") == (Level.REGION, "REG-32")
    assert territories.match_level(["FR"], [], "59") == (Level.NATIONAL, "FR")
    assert territories.match_level(["DEP-62"], [], "59") is None
    assert territories.match_level(["REG-32"], ["DEP-59"], "59") is None


def test_describe_in_french() -> None:
    assert territories.describe(["FR"]) == "France entière"
    assert territories.describe(["REG-53"], ["DEP-29"]) == "Bretagne, sauf Finistère (29)"
