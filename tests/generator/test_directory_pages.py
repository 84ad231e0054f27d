from __future__ import annotations

from datetime import date

import pytest

from generator.bodies import Body
from generator.content import urls
from generator.directory_pages import (
    aides_page,
    couverture_page,
    coverage,
    heat,
    initial,
    reseaux_page,
)
from generator.enrich import enrich
from generator.pages import aide_page
from generator.settings import site_url
from generator.similar import similar_aids
from generator.sitemap import sitemap_xml
from tests.generator.test_enrich import aide, catalog, reseau

TODAY = date(2026, 3, 1)
DEMANDES = {"email": "demandes@dla-nord.example"}


def test_initial_letters() -> None:
    titles = ["Émergence", "aide", "1 jeune", "« Cap »", "« Été »", "…"]
    assert [initial(t) for t in titles] == ["E", "A", "0-9", "C", "E", "Autres"]


def test_every_aid_by_letter_closed_last() -> None:
    site = enrich(
        catalog(
            {
                "b": aide(titre="Bourse"),
                "a": aide(titre="Émploi"),
                "z": aide(titre="Zèbre", cloture="2026-01-31"),
            }
        ),
        TODAY,
    )
    html = aides_page(site).before
    assert (
        html.index('id="lettre-b"') < html.index('id="lettre-e"') < html.index('<h2 id="cloturees"')
    )
    assert html.index(urls.aide("z")) > html.index('id="cloturees"')
    assert "2 aides ouvertes" in html and "1 aide clôturée" in html


def test_every_network_by_family() -> None:
    site = enrich(
        catalog(
            {},
            {
                "dla": reseau(nom="DLA du Nord", demandes=DEMANDES),
                "cress": reseau(nom="CRESS", famille="cress"),
            },
        ),
        TODAY,
    )
    html = reseaux_page(site).before
    assert html.index("Dispositif local") < html.index("Chambre régionale")
    assert html.count("reçoit les demandes</span>") == 1


def test_coverage_counts_networks_taking_requests_and_shows_gaps() -> None:
    site = enrich(
        catalog(
            {},
            {
                "dla": reseau(territoires=["DEP-59"], besoins=["emploi"], demandes=DEMANDES),
                "cress": reseau(territoires=["REG-32"], besoins=["emploi", "locaux"]),
                "ville": reseau(territoires=["COM-59512"], besoins=["locaux"], demandes=DEMANDES),
            },
        ),
        TODAY,
    )
    cover = coverage(site)
    assert cover.count("59", "emploi") == 1  # the CRESS takes no request: not counted
    # Roubaix's network takes only Roubaix's requests: Nord's « locaux » is still a gap.
    assert cover.count("59", "locaux") == 0 and cover.count("62", "emploi") == 0
    assert cover.gaps() == 101 * 13 - 1
    assert [heat(n) for n in (0, 1, 2, 7)] == [f"aidess-heat--{n}" for n in (0, 1, 2, 3)]
    html = couverture_page(site).before
    assert "1312 cases sans réseau</strong> sur 1313" in html
    assert '<td class="aidess-heat--1">1</td>' in html
    assert "100 départements sans aucun réseau" in html
    assert '<span class="aidess-gap">aucun réseau</span>' in html


def test_sitemap_has_absolute_urls_and_leaves_the_confirmation_out() -> None:
    xml = sitemap_xml(["/", urls.aide("x"), urls.CONFIRMATION_PATH], "https://aides.example.org")
    assert "<loc>https://aides.example.org/</loc>" in xml
    assert "<loc>https://aides.example.org/aides/x/</loc>" in xml
    assert "envoyee" not in xml


def test_site_url_setting() -> None:
    assert site_url("https://aides.example.org/") == "https://aides.example.org"
    for wrong in ["aides.example.org", "https://", "ftp://x.org", "https://x.org/chemin"]:
        with pytest.raises(ValueError, match="AIDESS_SITE_URL"):
            site_url(wrong)


def test_closed_aid_offers_similar_open_aids_instead_of_a_callback() -> None:
    site = enrich(
        catalog(
            {
                "fermee": aide(besoins=["emploi"], territoires=["DEP-59"], cloture="2026-01-31"),
                "proche": aide(titre="Proche", besoins=["emploi"], territoires=["REG-32"]),
                "loin": aide(titre="Loin", besoins=["emploi"], territoires=["DEP-35"]),
                "autre": aide(titre="Autre", besoins=["locaux"], territoires=["DEP-59"]),
                "ici": aide(titre="Ici", besoins=["emploi"], territoires=["DEP-62"]),
                "lefr": aide(titre="Zéro", besoins=["emploi"], territoires=["FR"]),
                "vieille": aide(besoins=["emploi"], territoires=["FR"], cloture="2026-01-31"),
            }
        ),
        TODAY,
    )
    similar = similar_aids(site)
    assert [e.slug for e in similar["fermee"]] == ["proche", "lefr"]
    assert [e.slug for e in similar["vieille"]] == ["lefr", "ici", "loin", "proche"]
    assert "proche" not in similar
    spec = aide_page(site.aides["fermee"], site, Body("<p>Corps</p>"), similar=similar["fermee"])
    assert "Être rappelé" not in spec.before + spec.after
    assert urls.aide("proche") in spec.after and "aides ouvertes proches" in spec.after


def test_aid_page_prefills_the_department_and_drops_an_empty_description() -> None:
    site = enrich(catalog({"x": aide(territoires=["DEP-59"]), "y": aide()}), TODAY)
    single = aide_page(site.aides["x"], site, Body('<h2 id="a">Ce que finance l\'aide</h2>'))
    assert "/demande/?aide=x&amp;departement=59" in single.before
    assert "Description" not in single.before
    national = aide_page(site.aides["y"], site, Body("<p>Un texte.</p>"))
    assert 'href="/demande/?aide=y&amp;besoins=' in national.before  # no department; its needs
