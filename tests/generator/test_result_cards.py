"""The home page's build-time cards and the default listing's order the script asks Pagefind
for: the same cards, the same order, on both sides."""

from __future__ import annotations

import re
from datetime import date

from generator.enrich import Site, enrich
from generator.home import home_page
from generator.indexing import search_document
from generator.result_cards import PAGE, default_order, first_cards, ranks
from tests.generator.test_enrich import aide, catalog

TODAY = date(2026, 3, 1)


def site_of(aides: dict[str, dict[str, object]]) -> Site:
    return enrich(catalog({slug: aide(**fields) for slug, fields in aides.items()}), TODAY)


def test_default_order_national_open_soonest_deadline_first_then_titles() -> None:
    site = site_of(
        {
            "nord": {"titre": "A", "territoires": ["DEP-59"]},
            "permanente-b": {"titre": "Bêta"},
            "permanente-a": {"titre": "alpha"},
            "avril": {"titre": "Z", "cloture": "2026-04-30", "recurrence": "ponctuelle"},
            "mars": {"titre": "Y", "cloture": "2026-03-15", "recurrence": "ponctuelle"},
            "close": {"titre": "X", "cloture": "2026-02-01", "recurrence": "ponctuelle"},
        }
    )
    order = [e.slug for e in default_order(site)]
    # Without a place asked, the widest area first; closed aids last.
    assert order == ["mars", "avril", "permanente-a", "permanente-b", "close", "nord"]
    assert ranks(site) == {
        "mars": "0",
        "avril": "1",
        "permanente-a": "2",
        "permanente-b": "3",
        "close": "4",
        "nord": "5",
    }
    shown = [c.slug for c in first_cards(site)]
    assert shown == ["mars", "avril", "permanente-a", "permanente-b", "nord"]  # closed: not


def test_ranks_sort_as_text_and_as_numbers() -> None:
    site = site_of({f"a{i:02}": {"titre": f"Aide {i:02}"} for i in range(12)})
    values = list(ranks(site).values())
    assert values[:2] == ["00", "01"] and values[-1] == "11"
    assert sorted(values) == sorted(values, key=int)


def test_first_cards_are_one_page_and_link_the_prefilled_callback() -> None:
    site = site_of(
        {f"a{i:02}": {"titre": f"Aide {i:02}", "territoires": ["DEP-59"]} for i in range(15)}
    )
    cards = first_cards(site)
    assert len(cards) == PAGE
    card = cards[0]
    assert card.url == "/aides/a00/"
    assert card.callback == "/demande/?aide=a00&departement=59"
    assert card.facts == [
        ("Pour qui", "Toutes les associations."),
        ("Où", "Nord (59)"),
        ("Porteurs", "État"),
    ]


def test_home_draws_the_first_cards_and_the_index_carries_their_order() -> None:
    site = site_of({f"a{i:02}": {"titre": f"Aide n° {i:02} <b>"} for i in range(12)})
    html = home_page(site).before
    titles = re.findall(r'<li class="aidess-card"><h3><a href="(/aides/[^"]+/)">', html)
    assert titles == [f"/aides/a{i:02}/" for i in range(PAGE)]
    assert "Aide n° 00 &lt;b&gt;" in html and 'data-total="12"' in html
    assert html.count("Être rappelé<span") == PAGE
    document = search_document(site.aides["a03"], "<p>x</p>", ranks(site)["a03"])
    assert '<span data-pagefind-sort="cloture">9999-12-31-03</span>' in document["html"]
    assert '<span data-pagefind-sort="pertinence">03</span>' in document["html"]
