"""Whole-site builds: the real content once, and a small tree covering every coverage case."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build, build_into
from generator.content import territories, urls
from generator.content.catalog import load
from generator.content.issues import errors
from generator.content.vocabularies import BESOINS, SECTEURS
from generator.enrich import enrich
from generator.exports import CSV_COLUMNS
from generator.indexing import DOCUMENTS
from generator.search_worker import indexed_html as reduced
from generator.settings import Settings

TODAY = date(2026, 3, 1)
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"

AIDE = """---
titre: "{titre}"
resume: "Résumé de {titre}."
pour_qui: "Toutes les associations."
porteurs: [État]
natures: [subvention]
besoins: [{besoins}]
secteurs: [{secteurs}]
structures: [association]
territoires: [{territoires}]
recurrence: {recurrence}
source: https://www.associations.gouv.fr/{slug}
mise_a_jour: 2026-01-10
{extra}
---
Ce que l'aide finance.
"""
RESEAU = """---
nom: DLA du Nord
resume: Accompagne les associations du Nord.
famille: dla
territoires: [DEP-59]
besoins: [emploi]
secteurs: [tous]
telephone: "03 20 00 00 00"
demandes: {email: dla@nord.example}
mise_a_jour: 2026-01-10
---
Le DLA.
"""
SMALL = {
    "nationale": ("Aide nationale", "emploi", "culture", "FR", "reseaux: [dla-nord]"),
    "regionale": ("Aide bretonne", "tresorerie", "sport", "REG-53", "cloture: 2026-03-20"),
    "departementale": ("Aide du Nord", "emploi", "culture", "DEP-59", "effectif_max: 3"),
    "tous-secteurs": ("Aide à tous", "locaux", "tous", "REG-32", "exclusions: [DEP-62]"),
    "fermee": ("Aide fermée", "emploi", "culture", "FR", "cloture: 2026-01-31"),
    "annuelle": (
        "Appel annuel",
        "benevolat",
        "sport",
        "REG-53",
        'periode: "chaque année, de décembre à mars"\n'
        "derniere_session: {ouverture: 2025-12-01, cloture: 2026-03-15}",
    ),
}


def _recurrence(extra: str) -> str:
    if "periode" in extra:
        return "recurrente"
    return "ponctuelle" if "cloture" in extra else "permanente"


def write_small(root: Path) -> Path:
    (root / "aides").mkdir(parents=True)
    (root / "reseaux").mkdir()
    for slug, (titre, besoins, secteurs, terr, extra) in SMALL.items():
        text = AIDE.format(
            titre=titre,
            besoins=besoins,
            secteurs=secteurs,
            territoires=terr,
            slug=slug,
            extra=extra,
            recurrence=_recurrence(extra),
        )
        (root / "aides" / f"{slug}.md").write_text(text, encoding="utf-8")
    (root / "reseaux" / "dla-nord.md").write_text(RESEAU, encoding="utf-8")
    return root


class _Page(HTMLParser):
    """The bits of a built page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.filters: dict[str, list[str]] = {}
        self.links: list[str] = []
        self._in_title = False
        self._filter: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        self._in_title = tag == "title"
        self._filter = found.get("data-pagefind-filter")
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._filter:
            self.filters.setdefault(self._filter, []).append(data.strip())
            self._filter = None

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def page(site: Path, url: str) -> _Page:
    parser = _Page()
    parser.feed((site / url.strip("/") / "index.html").read_text(encoding="utf-8"))
    return parser


def indexed_html(site: Path, slug: str) -> str:
    """The document Pagefind indexed for one aid: what the search worker made of the line
    the build handed it (the work folder is kept beside the site by `small_site`)."""
    lines = (site.parent / f"{DOCUMENTS}.jsonl").read_text("utf-8").splitlines()
    documents = {d["path"]: d["html"] for d in map(json.loads, lines)}
    return reduced(documents[f"aides/{slug}/index.html"])


def indexed(site: Path, slug: str) -> _Page:
    parser = _Page()
    parser.feed(indexed_html(site, slug))
    return parser


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small tree built in a work folder that stays: the site, and the search documents."""
    root = tmp_path_factory.mktemp("small")
    catalog, issues = load(write_small(root / "content"), TODAY)
    assert not errors(issues)
    (root / "work").mkdir()
    return build_into(enrich(catalog, TODAY), root / "work", Settings.from_env())


def test_national_aid_indexes_every_department(small_site: Path) -> None:
    filters = indexed(small_site, "nationale").filters
    assert sorted(filters["departement"]) == sorted(territories.reference().departments)
    assert len(filters["region"]) == 18


def test_departmental_aid_indexes_only_its_department(small_site: Path) -> None:
    filters = indexed(small_site, "departementale").filters
    assert filters["departement"] == ["59"]
    assert filters["region"] == ["32"]
    assert filters["effectif"] == ["0", "1-3"]


def test_regional_aid_and_exclusions(small_site: Path) -> None:
    bretagne = indexed(small_site, "regionale").filters
    assert sorted(bretagne["departement"]) == ["22", "29", "35", "56"]
    assert bretagne["statut"] == ["cloture-proche"]


def test_recurring_call_without_dates_is_shown_as_to_be_confirmed(small_site: Path) -> None:
    assert indexed(small_site, "annuelle").filters["statut"] == ["a-confirmer"]
    html = (small_site / "aides" / "annuelle" / "index.html").read_text(encoding="utf-8")
    assert "aidess-status--a-confirmer" in html and "Dates à confirmer" in html
    assert "Session récurrente, dates à confirmer — chaque année, de décembre à mars" in html
    # Its card and its page give the last known session.
    known = "Dernière session connue : du 1er décembre 2025 au 15 mars 2026"
    assert known in html
    assert "permanente" not in html
    home = (small_site / "index.html").read_text(encoding="utf-8")
    assert 'id="f-statut-a-confirmer"' in home
    assert known in home  # on its result card
    hdf = indexed(small_site, "tous-secteurs").filters
    assert "62" not in hdf["departement"] and "59" in hdf["departement"]


def test_tous_sectors_expand_and_stages_default_to_all(small_site: Path) -> None:
    filters = indexed(small_site, "tous-secteurs").filters
    assert filters["secteur"] == list(SECTEURS)
    assert len(filters["etape"]) == 5


def test_closed_aid_is_built_but_not_listed_on_territories(small_site: Path) -> None:
    assert indexed(small_site, "fermee").filters["statut"] == ["cloturee"]
    nord = page(small_site, urls.departement("59")).links
    assert urls.aide("departementale") in nord and urls.france("emploi") in nord
    assert urls.aide("fermee") not in nord and urls.aide("regionale") not in nord
    assert urls.reseau("dla-nord") in nord
    national = page(small_site, urls.france("emploi")).links
    assert urls.aide("nationale") in national and urls.aide("fermee") not in national


def test_home_links_every_territory_page(small_site: Path) -> None:
    links = page(small_site, "/").links
    assert urls.france() in links and urls.departement("59") in links
    assert urls.france("emploi") in page(small_site, urls.france()).links


def test_region_page_lists_aids_inside_it(small_site: Path) -> None:
    links = page(small_site, urls.region("32")).links
    assert urls.aide("departementale") in links and urls.aide("tous-secteurs") in links


def _text_of(site: Path, url: str) -> str:
    html = (site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_counts_name_the_aids_to_be_confirmed_apart(small_site: Path) -> None:
    """The recurring call without a current session is listed, never counted as open."""
    # Open: nationale, regionale, departementale, tous-secteurs; `fermee` is closed.
    assert "4 aides ouvertes ou à venir, 1 aux dates à confirmer" in _text_of(small_site, "/")
    bretagne = _text_of(small_site, urls.region("53"))
    assert (
        "1 aide ouverte ou à venir, 1 aux dates à confirmer, propres à ce territoire ; "
        "plus 1 aide nationale ouverte ou à venir ( France entière )"
    ) in bretagne
    assert "2 aides ouvertes" not in bretagne
    nord = _text_of(small_site, urls.departement("59"))
    assert "2 aides ouvertes ou à venir, propres à ce territoire" in nord


def test_search_bundle_indexes_every_aid_with_its_meta(small_site: Path) -> None:
    entry = json.loads((small_site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == len(SMALL)
    assert not (small_site.parent / DOCUMENTS).exists()  # the worker removed its files
    html = indexed_html(small_site, "regionale")
    assert '<h1 data-pagefind-meta="title">Aide bretonne</h1>' in html
    assert '<span data-pagefind-meta="statut">Clôture proche</span>' in html
    assert "<p>Ce que l'aide finance.</p>" in html  # the body, as HTML
    assert "data-pagefind" not in (small_site / "aides" / "regionale" / "index.html").read_text()


def test_cross_links_between_aids_and_networks(small_site: Path) -> None:
    assert urls.reseau("dla-nord") in page(small_site, urls.aide("nationale")).links
    assert urls.aide("nationale") in page(small_site, urls.reseau("dla-nord")).links
    links = page(small_site, urls.aide("nationale")).links
    assert any(link.startswith(urls.form("nationale") + "&besoins=") for link in links), links


def test_department_page_links_its_deadlines_feed(small_site: Path) -> None:
    links = page(small_site, urls.departement("59")).links
    assert "/donnees/echeances-59.ics" in links
    assert (small_site / "donnees" / "echeances-59.ics").is_file()
    assert not any(link.endswith(".ics") for link in page(small_site, urls.region("32")).links)


def test_aid_page_links_its_deadline_when_it_has_one(small_site: Path) -> None:
    # `regionale` closes on 2026-03-20; `annuelle` recurs (expected session); `nationale` is
    # permanent, `fermee` closed: no date to keep.
    assert "/donnees/echeances/regionale.ics" in page(small_site, urls.aide("regionale")).links
    assert "/donnees/echeances/annuelle.ics" in page(small_site, urls.aide("annuelle")).links
    for slug in ("nationale", "fermee"):
        assert not any(link.endswith(".ics") for link in page(small_site, urls.aide(slug)).links)
    assert (small_site / "donnees" / "echeances" / "regionale.ics").is_file()
    assert not (small_site / "donnees" / "echeances" / "fermee.ics").exists()


def test_csv_follows_the_etalab_columns(small_site: Path) -> None:
    with (small_site / "donnees" / "aides.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(SMALL)
    by_title = {r["titre"]: r for r in rows}
    assert by_title["Aide nationale"]["eligibilite_geographique"] == "PAYS-99100"
    assert by_title["Aide à tous"]["eligibilite_geographique_exclusions"] == "DEP-62"


def test_failed_build_leaves_out_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = write_small(tmp_path / "content")
    bad = (content / "aides" / "nationale.md").read_text().replace("[subvention]", "[cadeau]")
    (content / "aides" / "nationale.md").write_text(bad)
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker").write_text("ancien site")
    assert build(content, out, TODAY) == 1
    assert [p.name for p in out.iterdir()] == ["marker"]
    assert "nationale.md" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_every_real_page_exists(real_site: Path) -> None:
    catalog, _ = load(REAL_CONTENT, date.today())
    ref = territories.reference()
    expected = [urls.aide(s) for s in catalog.aides] + [urls.reseau(s) for s in catalog.reseaux]
    expected += [urls.region(c) for c in ref.regions]
    expected += [urls.departement(c) for c in ref.departments]
    expected += [urls.france()] + [urls.france(b) for b in BESOINS]
    expected += ["/", urls.FORM_PATH, urls.CONFIRMATION_PATH, urls.DATA_PATH]
    expected += ["/contribuer/", "/donnees-personnelles/", "/accessibilite/"]
    missing = [u for u in expected if not (real_site / u.strip("/") / "index.html").is_file()]
    assert missing == []
    with (real_site / "donnees" / "aides.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == len(catalog.aides)


def test_real_pages_are_french_with_unique_titles(real_site: Path) -> None:
    titles: dict[str, Path] = {}
    for path in real_site.rglob("index.html"):
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        assert parsed.lang == "fr", path
        assert parsed.title not in titles, (path, titles.get(parsed.title))
        titles[parsed.title] = path


def test_real_search_index_and_open_data(real_site: Path) -> None:
    entry = json.loads((real_site / "pagefind" / "pagefind-entry.json").read_text())
    catalog, _ = load(REAL_CONTENT, date.today())
    assert entry["languages"]["fr"]["page_count"] == len(catalog.aides)
    assert any((real_site / "pagefind" / "filter").iterdir())
    for name in ("aides.json", "reseaux.json", "schema-aide.json", "schema-reseau.json"):
        json.loads((real_site / "donnees" / name).read_text(encoding="utf-8"))
    reseaux = (real_site / "donnees" / "reseaux.json").read_text(encoding="utf-8")
    assert '"demandes"' not in reseaux


def test_form_page_embeds_the_service_form(real_site: Path) -> None:
    html = (real_site / "demande" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<!--aidess-form--><form[^>]+action="/demandes"', html)
    assert "<!--/aidess-form-->" in html
    assert re.search(r'<script src="[./]*assets/aidess/demande\.[0-9a-f]{8}\.js" defer>', html)


def test_aid_page_weight(real_site: Path) -> None:
    # Each aid's own page (not /aides/, the plain listing of them all).
    sizes = [p.stat().st_size for p in (real_site / "aides").glob("*/index.html")]
    assert sizes and max(sizes) <= 50_000


def test_failure_after_validation_keeps_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.build as build_module

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("pagefind absent")

    monkeypatch.setattr(build_module, "write_exports", broken)
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker").write_text("ancien site")
    assert build(write_small(tmp_path / "content"), out, TODAY) == 1
    assert [p.name for p in out.iterdir()] == ["marker"]
    assert "pagefind absent" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_rebuild_replaces_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker").write_text("ancien site")
    assert build(write_small(tmp_path / "content"), out, TODAY) == 0
    assert not (out / "marker").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]
