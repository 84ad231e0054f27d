import gzip
import json
from pathlib import Path

import pytest

from generator.content import matching, refresh_territories, territories
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
    assert matching.matches_department(["FR"], [], "59")
    assert matching.matches_department(["REG-32"], [], "59")
    assert matching.matches_department(["DEP-59"], [], "59")
    assert not matching.matches_department(["DEP-62"], [], "59")
    assert not matching.matches_department(["REG-53"], [], "59")


def test_region_filter_lists_items_covering_it_and_inside_it() -> None:
    assert matching.matches_region(["FR"], [], "53")
    assert matching.matches_region(["REG-53"], [], "53")
    assert matching.matches_region(["DEP-29"], [], "53")
    assert not matching.matches_region(["DEP-59"], [], "53")


def test_exclusions_remove_coverage() -> None:
    assert matching.covered_departments(["REG-53"], ["DEP-29"]) == BRETAGNE - {"29"}
    assert not matching.matches_department(["FR"], ["REG-32"], "59")
    assert matching.matches_department(["FR"], ["REG-32"], "35")
    # A region partly excluded is still listed under that region…
    assert matching.matches_region(["FR"], ["DEP-29"], "53")
    # …but not once all of it is excluded.
    assert not matching.matches_region(["FR"], ["REG-53"], "53")


def test_match_level_prefers_the_most_specific_territory() -> None:
    assert matching.match_level(["FR", "DEP-59"], [], "59") == (Level.DEPARTMENT, "DEP-59")
    assert matching.match_level(["FR", "REG-32"], [], "59") == (Level.REGION, "REG-32")
    assert matching.match_level(["FR"], [], "59") == (Level.NATIONAL, "FR")
    assert matching.match_level(["DEP-62"], [], "59") is None
    assert matching.match_level(["REG-32"], ["DEP-59"], "59") is None


def test_describe_in_french() -> None:
    assert territories.describe(["FR"]) == "France entière"
    assert territories.describe(["REG-53"], ["DEP-29"]) == "Bretagne, sauf Finistère (29)"


# ---- communes and EPCI (data/communes.json.gz, generator/content/data/README.md) ----------

ROUBAIX, DUNKERQUE, LILLE_METRO = "59512", "59183", "200093201"
ROUBAIX_KEYS = ("FR", "REG-32", "DEP-59", "EPCI-200093201", "COM-59512")


def test_source_is_recorded_in_the_code_and_the_file() -> None:
    assert territories.communes().source == territories.SOURCE
    assert territories.SOURCE["version"] == refresh_territories.VERSION
    assert territories.SOURCE["paquet"] == refresh_territories.PACKAGE
    assert "Licence Ouverte" in territories.SOURCE["licence"]


def test_every_commune_is_in_exactly_one_department_of_the_reference() -> None:
    ref, local = reference(), territories.communes()
    assert len(local.communes) == 34_875  # millésime 2026, the 101 departments
    assert len(local.epcis) == 1_255
    assert all(c.departement in ref.departments for c in local.communes.values())
    # The INSEE code starts with its department's (2A/2B for Corsica, 3 digits overseas).
    for commune in local.communes.values():
        assert commune.code.startswith(commune.departement[:2]), commune
        assert commune.key == f"COM-{commune.code}"
    # Every department has communes.
    assert {c.departement for c in local.communes.values()} == set(ref.departments)


def test_every_commune_has_a_name_and_postcodes() -> None:
    for commune in territories.communes().communes.values():
        assert commune.nom.strip()
        assert commune.codes_postaux, commune
        assert all(len(p) == 5 and p.isdigit() for p in commune.codes_postaux)


def test_epci_members_exist_and_share_its_departments() -> None:
    local = territories.communes()
    seen: set[str] = set()
    for epci in local.epcis.values():
        assert epci.communes, epci.nom
        assert epci.nature in {"CC", "CA", "CU", "METRO", "MET69"}
        assert len(epci.siren) == 9 and epci.siren.isdigit()
        members = [local.communes[code] for code in epci.communes]
        assert all(m.epci == epci.siren for m in members)
        assert set(epci.departements) == {m.departement for m in members}
        assert not seen & set(epci.communes)  # a commune is in one EPCI at most
        seen |= set(epci.communes)
    assert all(c.epci is None or c.epci in local.epcis for c in local.communes.values())
    spanning = [e for e in local.epcis.values() if len(e.departements) > 1]
    assert spanning and all(len(territories.departments_of(e.key)) > 1 for e in spanning)


def test_communes_without_epci_are_the_four_islands() -> None:
    outside = {c.code for c in territories.communes().communes.values() if c.epci is None}
    assert outside == {"22016", "29083", "29155", "85113"}  # Bréhat, Sein, Ouessant, Yeu
    assert territories.commune_keys("29083") == ("FR", "REG-53", "DEP-29", "COM-29083")
    assert matching.covers_commune(["DEP-29"], [], "29155")


def test_paris_lyon_marseille_are_one_commune_each() -> None:
    local = territories.communes()
    for code, nom, dep, postcodes in (
        ("75056", "Paris", "75", 21),
        ("69123", "Lyon", "69", 9),
        ("13055", "Marseille", "13", 16),
    ):
        assert local.communes[code].nom == nom
        assert local.communes[code].departement == dep
        assert len(local.communes[code].codes_postaux) == postcodes
    # The arrondissements municipaux are no codes, but point to their commune.
    assert not territories.is_valid("COM-75111")
    assert local.former["75111"].commune == "75056"
    assert local.former["69381"].commune == "69123"
    assert local.former["13201"].commune == "13055"
    assert local.communes["69123"].epci == "200046977"  # Métropole de Lyon
    assert reference().name("EPCI-200046977") == "Métropole de Lyon"
    assert local.communes["75056"].epci == "200054781"  # Métropole du Grand Paris


def test_overseas_departments_have_their_communes() -> None:
    local = territories.communes()
    counts = {
        dep: sum(c.departement == dep for c in local.communes.values())
        for dep in ("971", "972", "973", "974", "976")
    }
    assert counts == {"971": 32, "972": 34, "973": 22, "974": 24, "976": 17}
    assert reference().name("COM-97411") == "Saint-Denis"
    assert territories.commune_keys("97411")[:3] == ("FR", "REG-04", "DEP-974")
    # Collectivités d'outre-mer are not in the reference (no department there).
    assert not territories.is_valid("COM-97501")  # Miquelon-Langlade
    assert not territories.is_valid("COM-98735")  # Papeete


def test_epci_and_commune_codes_are_checked_and_named() -> None:
    for good in ("EPCI-200093201", "COM-59512", "COM-2A004", "COM-97101"):
        assert territories.is_valid(good)
    for bad in ("EPCI-200093202", "EPCI-", "COM-59999", "COM-5951", "COM-", "com-59512"):
        assert not territories.is_valid(bad)
    ref = reference()
    assert ref.name("EPCI-200093201") == "Métropole Européenne de Lille"
    assert ref.name("COM-59512") == "Roubaix"
    assert territories.level("COM-59512") > territories.level("EPCI-200093201")
    assert territories.level("EPCI-200093201") > territories.level("DEP-59")
    assert territories.level("DEP-59") > territories.level("REG-32") > territories.level("FR")
    assert territories.describe(["EPCI-200093201"], ["COM-59512"]) == (
        "Métropole Européenne de Lille, sauf Roubaix"
    )


def test_fast_paths_do_not_read_the_communes() -> None:
    territories.communes.cache_clear()
    assert territories.is_valid("DEP-59") and not territories.is_valid("XYZ-1")
    assert matching.covered_departments(["REG-32"], ["DEP-59"]) == HDF - {"59"}
    assert matching.match_level(["FR"], [], "59") == (Level.NATIONAL, "FR")
    assert territories.communes.cache_info().currsize == 0
    assert territories.is_valid("COM-59512")
    assert territories.communes.cache_info().currsize == 1


def test_codes_covering_a_commune() -> None:
    assert territories.commune_keys(ROUBAIX) == ROUBAIX_KEYS
    assert territories.commune_keys("00000") == ()
    assert territories.departments_of("COM-59512") == ("59",)
    assert territories.departments_of("EPCI-200093201") == ("59",)
    assert territories.departments_of("EPCI-200000000") == ()


@pytest.mark.parametrize("key", ROUBAIX_KEYS)
def test_roubaix_is_covered_by_each_wider_territory(key: str) -> None:
    assert matching.covers_commune([key], [], ROUBAIX)
    assert matching.match_commune(["FR", key], [], ROUBAIX) == (territories.level(key), key)


def test_matching_a_commune_both_ways() -> None:
    assert not matching.covers_commune(["COM-59512"], [], DUNKERQUE)
    assert not matching.covers_commune(["EPCI-200093201"], [], DUNKERQUE)
    assert matching.covers_commune(["DEP-59"], [], DUNKERQUE)
    assert not matching.covers_commune(["DEP-62", "REG-53"], [], ROUBAIX)
    # Exclusions at any grain.
    assert not matching.covers_commune(["DEP-59"], ["COM-59512"], ROUBAIX)
    assert not matching.covers_commune(["REG-32"], ["EPCI-200093201"], ROUBAIX)
    assert matching.covers_commune(["REG-32"], ["EPCI-200093201"], DUNKERQUE)
    assert matching.match_commune(["DEP-59"], ["COM-59512"], ROUBAIX) is None
    assert matching.match_commune(["DEP-59"], [], "00000") is None


def test_a_local_item_is_inside_its_department_but_does_not_cover_it() -> None:
    for local in (["COM-59512"], ["EPCI-200093201"]):
        assert not matching.covers_department(local, [], "59")
        assert matching.inside_department(local, [], "59")
        assert not matching.inside_department(local, [], "62")
        assert matching.match_level(local, [], "59") is None
        # Two-way « at least in part », as the department filter lists items.
        assert matching.covered_departments(local) == {"59"}
        assert matching.covered_regions(local) == {"32"}
        assert matching.matches_department(local, [], "59")
        assert not matching.covers_region(local, [], "32")
        assert matching.inside_region(local, [], "32")
    assert matching.places_in(["COM-59512", "DEP-62"], [], "DEP-59") == ["COM-59512"]
    assert matching.places_in(["REG-32"], [], "DEP-59") == []
    assert matching.places_in(["DEP-29", "DEP-59"], [], "REG-53") == ["DEP-29"]


def test_whole_departments_leave_out_local_items() -> None:
    assert matching.whole_departments(["COM-59512", "EPCI-200093201"]) == frozenset()
    assert matching.whole_departments(["COM-59512", "DEP-62"]) == {"62"}
    assert matching.whole_departments(["REG-32"], ["DEP-59", "COM-62041"]) == HDF - {"59"}
    assert matching.whole_departments(["FR"]) == set(reference().departments)


def test_covering_a_department_or_a_region() -> None:
    for wide in (["FR"], ["REG-32"], ["DEP-59"]):
        assert matching.covers_department(wide, [], "59")
        assert not matching.inside_department(wide, [], "59")
    assert not matching.covers_department(["REG-32"], ["DEP-59"], "59")
    # An excluded commune leaves the department covered, « sauf Roubaix ».
    assert matching.covers_department(["DEP-59"], ["COM-59512"], "59")
    assert matching.covered_departments(["DEP-59"], ["COM-59512"]) == {"59"}
    assert territories.describe(["DEP-59"], ["COM-59512"]) == "Nord (59), sauf Roubaix"
    assert matching.covers_region(["FR"], [], "32")
    assert matching.covers_region(sorted(f"DEP-{d}" for d in HDF), [], "32")
    assert not matching.covers_region(["DEP-59"], [], "32")
    assert matching.inside_region(["DEP-59"], [], "32")
    assert not matching.covers_department(["FR"], [], "99")


def test_an_epci_across_two_departments() -> None:
    epci = next(e for e in territories.communes().epcis.values() if len(e.departements) > 1)
    first, second = epci.departements[:2]
    assert matching.covered_departments([epci.key]) >= {first, second}
    assert matching.inside_department([epci.key], [], first)
    assert matching.inside_department([epci.key], [], second)
    assert matching.overlaps(epci.key, f"DEP-{second}")
    assert not matching.contains(f"DEP-{second}", epci.key)


def test_containment_and_overlap() -> None:
    assert matching.contains("FR", "COM-59512")
    assert matching.contains("REG-32", "EPCI-200093201")
    assert matching.contains("EPCI-200093201", "COM-59512")
    assert not matching.contains("COM-59512", "EPCI-200093201")
    assert not matching.contains("EPCI-200093201", "COM-59183")
    assert not matching.contains("DEP-62", "COM-59512")
    assert not matching.overlaps("COM-59512", "COM-59183")
    assert matching.overlaps("DEP-59", "EPCI-200093201")
    assert matching.remaining(["COM-59512", "DEP-62"], ["EPCI-200093201"]) == ["DEP-62"]


def test_refresh_keeps_current_communes_of_the_departments(tmp_path: Path) -> None:
    def commune(code: str, kind: str = "commune-actuelle", **more: object) -> dict[str, object]:
        return {"code": code, "nom": f"N{code}", "type": kind, "departement": code[:2],
                "zone": "metro", "codesPostaux": ["59100"], **more}  # fmt: skip

    rows = [
        commune("59512"),
        commune("59999"),
        commune("75056"),
        commune("75111", "arrondissement-municipal", commune="75056"),
        commune("59001", "commune-deleguee", chefLieu="59512"),
        commune("59512", "commune-deleguee", chefLieu="59512"),  # the same code: dropped
        commune("97501", zone="com"),
    ]
    epci = [{"code": "200093201", "nom": "MEL", "type": "METRO", "membres": [{"code": "59512"}]}]
    (tmp_path / "communes.json").write_text(json.dumps(rows))
    (tmp_path / "epci.json").write_text(json.dumps(epci))
    payload = refresh_territories.compact(tmp_path, "9.9.9", "2030-01-01")
    assert payload["source"]["version"] == "9.9.9"
    assert [r[0] for r in payload["communes"]] == ["59512", "59999", "75056"]
    assert payload["communes"][0][3] == "200093201" and payload["communes"][1][3] is None
    assert [r[0] for r in payload["anciennes"]] == ["59001", "75111"]
    refresh_territories.write(payload, tmp_path / "out.json.gz")
    first = (tmp_path / "out.json.gz").read_bytes()
    refresh_territories.write(payload, tmp_path / "out.json.gz")
    assert (tmp_path / "out.json.gz").read_bytes() == first  # deterministic
    assert json.loads(gzip.decompress(first)) == payload
