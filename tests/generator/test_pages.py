from __future__ import annotations

from datetime import date

import pytest

from generator.bodies import Body
from generator.content.vocabularies import date_fr
from generator.enrich import enrich
from generator.listings import facet_counts, territory_listings
from generator.pages import PageSpec, aide_page
from generator.wording import calendrier, compte_aides, echeance, insecables, montant
from generator.writers import unique_titles
from tests.generator.test_enrich import aide, catalog, reseau

TODAY = date(2026, 3, 1)


def test_date_fr() -> None:
    assert date_fr(date(2026, 3, 1)) == "1er mars 2026"
    assert date_fr(date(2026, 12, 25)) == "25 décembre 2026"


def test_echeance_and_montant() -> None:
    site = enrich(
        catalog(
            {
                "a": aide(cloture="2026-03-20", montant={"min": 1000, "max": 5000}),
                "b": aide(ouverture="2026-04-01", montant={"max": 800, "texte": "selon projet"}),
                "c": aide(),
            }
        ),
        TODAY,
    )
    a, b, c = site.aides["a"], site.aides["b"], site.aides["c"]
    assert echeance(a) == "dépôt jusqu'au 20 mars 2026"
    assert echeance(b) == "ouverture le 1er avril 2026"
    assert echeance(c) == "aide permanente, sans date limite"
    assert montant(a) == "de 1\u202f000\u00a0€ à 5\u202f000\u00a0€"
    assert montant(b) == "jusqu'à 800\u00a0€ — selon projet"
    assert montant(c) == ""


ANNUEL = "chaque année, de décembre à mars"
# (recurrence, dates, status badge sentence, calendar line) on 1 March 2026
RECURRING = [
    ("recurrente", {}, f"Session récurrente, dates à confirmer — {ANNUEL}",
     f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"cloture": "2026-02-01"},
     f"Session récurrente, dates à confirmer — {ANNUEL}. Dernière session connue : clôture le "
     "1er février 2026", f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"ouverture": "2025-12-01", "cloture": "2026-02-01"},
     f"Session récurrente, dates à confirmer — {ANNUEL}. Dernière session connue : du "
     "1er décembre 2025 au 1er février 2026", f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"derniere_session": {"ouverture": "2024-12-02", "cloture": "2025-03-14"}},
     f"Session récurrente, dates à confirmer — {ANNUEL}. Dernière session connue : du "
     "2 décembre 2024 au 14 mars 2025", f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"derniere_session": {"cloture": "2025-03-14"}},
     f"Session récurrente, dates à confirmer — {ANNUEL}. Dernière session connue : clôture le "
     "14 mars 2025", f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"derniere_session": "inconnue"},
     f"Session récurrente, dates à confirmer — {ANNUEL}", f"Session récurrente : {ANNUEL}"),
    # The latest of the two is the last known session.
    ("recurrente", {"cloture": "2026-02-01", "derniere_session": {"cloture": "2025-03-14"}},
     f"Session récurrente, dates à confirmer — {ANNUEL}. Dernière session connue : clôture le "
     "1er février 2026", f"Session récurrente : {ANNUEL}"),
    # An open session is shown as such, whatever the last one was.
    ("recurrente", {"cloture": "2026-03-20", "derniere_session": {"cloture": "2025-03-14"}},
     "dépôt jusqu'au 20 mars 2026", f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"ouverture": "2026-02-01"}, "session ouverte depuis le 1er février 2026",
     f"Session récurrente : {ANNUEL}"),
    ("recurrente", {"cloture": "2026-03-20"}, "dépôt jusqu'au 20 mars 2026",
     f"Session récurrente : {ANNUEL}"),
    ("ponctuelle", {"cloture": "2026-03-20"}, "dépôt jusqu'au 20 mars 2026",
     "Aide ponctuelle : une seule session, avec une date limite"),
    ("ponctuelle", {"cloture": "2026-01-20"}, "clôturée le 20 janvier 2026",
     "Aide ponctuelle : une seule session, avec une date limite"),
    ("permanente", {}, "aide permanente, sans date limite",
     "Aide permanente : demande possible toute l'année, dans la limite des crédits"),
    ("permanente", {"cloture": "2026-01-20"}, "clôturée le 20 janvier 2026",
     "Aide permanente jusqu'au 20 janvier 2026 : demande possible à tout moment avant cette "
     "date, dans la limite des crédits"),
]  # fmt: skip


def test_echeance_and_calendar_follow_the_recurrence() -> None:
    for recurrence, dates, sentence, line in RECURRING:
        periode = {"periode": ANNUEL} if recurrence == "recurrente" else {}
        site = enrich(catalog({"x": aide(recurrence=recurrence, **periode, **dates)}), TODAY)
        entry = site.aides["x"]
        assert (echeance(entry), calendrier(entry)) == (sentence, line), (recurrence, dates)
        if recurrence != "permanente":
            assert "permanente" not in echeance(entry) + calendrier(entry)
            assert "sans date limite" not in echeance(entry)


def test_aid_page_offers_the_application_page_when_known() -> None:
    demarche = "https://lecompteasso.associations.gouv.fr/"
    site = enrich(catalog({"x": aide(demarche=demarche), "y": aide()}), TODAY)
    with_link = aide_page(site.aides["x"], site, Body("<p>Corps</p>"))
    assert f'href="{demarche}" rel="external">Faire la demande</a>' in with_link.before
    without = aide_page(site.aides["y"], site, Body("<p>Corps</p>"))
    assert "Faire la demande" not in without.before + without.after


def test_aid_page_escapes_and_links_the_form() -> None:
    site = enrich(catalog({"x": aide(titre="A <b> & co", secteurs=["tous"])}), TODAY)
    spec = aide_page(site.aides["x"], site, Body("<p>Corps</p>"))
    assert spec.url == "/aides/x/" and spec.src == "aides/x.md"
    assert "A &lt;b&gt; &amp; co" in spec.before
    assert "data-pagefind" not in spec.before + spec.after  # indexed from its own document
    assert "/demande/?aide=x" in spec.after
    assert spec.body == "<p>Corps</p>" and not spec.markdown


def test_listings_hide_closed_aids_and_group_by_need() -> None:
    site = enrich(
        catalog(
            {
                "open": aide(besoins=["emploi", "locaux"], territoires=["DEP-59"]),
                "closed": aide(cloture="2026-01-01", territoires=["FR"]),
            },
            {"r": reseau()},
        ),
        TODAY,
    )
    listings = territory_listings(site)
    deps, regs = listings.departements, listings.regions
    assert [a.slug for a in deps["59"].by_besoin["emploi"]] == ["open"]
    assert list(deps["59"].by_besoin) == ["emploi", "locaux"]
    assert [r.slug for r in deps["59"].reseaux] == ["r"]
    assert regs["32"].count == 1 and "75" not in deps
    assert listings.france.count == 0 and listings.departement("75").count == 0
    counts = facet_counts(site)
    assert counts["departement"]["59"] == 1 and counts["statut"]["cloturee"] == 1


def test_national_items_are_listed_once_on_france() -> None:
    site = enrich(
        catalog(
            {
                "national": aide(besoins=["emploi"], territoires=["FR"]),
                "regional": aide(besoins=["emploi"], territoires=["REG-32"]),
            },
            {"nat": reseau(territoires=["FR"]), "nord": reseau()},
        ),
        TODAY,
    )
    listings = territory_listings(site)
    assert [a.slug for a in listings.france.by_besoin["emploi"]] == ["national"]
    assert [r.slug for r in listings.france.reseaux] == ["nat"]
    nord = listings.departement("59")
    assert [a.slug for a in nord.by_besoin["emploi"]] == ["regional"]
    assert [r.slug for r in nord.reseaux] == ["nord"]
    assert all(listing.count <= 1 for listing in listings.departements.values())


def test_unique_titles() -> None:
    pages = [PageSpec("/aides/a/", "Même"), PageSpec("/aides/b/", "Même"), PageSpec("/", "X")]
    assert [p.title for p in unique_titles(pages)] == ["Même (a)", "Même (b)", "X"]


@pytest.mark.parametrize(
    ("ouvertes", "a_confirmer", "qualifier", "text"),
    [
        (103, 157, "", "103 aides ouvertes ou à venir, 157 aux dates à confirmer"),
        (1, 1, "", "1 aide ouverte ou à venir, 1 aux dates à confirmer"),
        (0, 0, "", "0 aide ouverte ou à venir"),
        (52, 0, "", "52 aides ouvertes ou à venir"),
        (0, 3, "nationale", "0 aide nationale ouverte ou à venir, 3 aux dates à confirmer"),
        (2, 0, "nationale", "2 aides nationales ouvertes ou à venir"),
    ],
)
def test_counts_name_dates_to_be_confirmed_apart(
    ouvertes: int, a_confirmer: int, qualifier: str, text: str
) -> None:
    assert compte_aides(ouvertes, a_confirmer, qualifier) == text


def test_listing_counts_aids_to_be_confirmed_apart() -> None:
    site = enrich(
        catalog(
            {
                "ouverte": aide(territoires=["DEP-59"]),
                "annuelle": aide(
                    territoires=["DEP-59"], recurrence="recurrente", periode="chaque hiver",
                    derniere_session="inconnue",
                ),
            }
        ),
        TODAY,
    )  # fmt: skip
    nord = territory_listings(site).departement("59")
    assert (nord.count, nord.ouvertes, nord.a_confirmer) == (2, 1, 1)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({}, "toutes tailles"),
        ({"effectif_max": 0}, "structures sans salarié (bénévoles seulement)"),
        ({"effectif_max": 29}, "jusqu'à 29 salariés (ETP)"),
        ({"effectif_min": 1}, "employeuses, au moins 1 salarié (ETP)"),
        ({"effectif_min": 1, "effectif_max": 9}, "employeuses, de 1 salarié à 9 salariés (ETP)"),
    ],
)
def test_the_size_line_says_both_ends_of_the_condition(changes: dict[str, int], said: str) -> None:
    """DASESS (employers only) said « toutes tailles » at the top of its page."""
    from generator.wording import taille

    site = enrich(catalog({"a": aide(**changes)}), date(2026, 3, 1))
    assert taille(next(iter(site.aides.values()))) == said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("de 5 000 € à 100 000 €", "de 5\u202f000\u00a0€ à 100\u202f000\u00a0€"),
        ("jusqu'à 80 % des dépenses", "jusqu'à 80\u00a0% des dépenses"),
        ("1 250 000 € en 2025", "1\u202f250\u202f000\u00a0€ en 2025"),
        ("les 12 et 13 juin, 2 000 places", "les 12 et 13 juin, 2\u202f000 places"),
        ("en 2024 2025", "en 2024 2025"),  # two years are not one number
    ],
)
def test_free_text_holds_its_numbers_and_units(written: str, said: str) -> None:
    """A card's summary never breaks « 5 000 € » before « € » on a phone."""
    assert insecables(written) == said
