"""What the alert form (generator/content/forms/alert.py) asks on each page of the site: the
search's filters on the home page, the territory of a territory page, the needs of an aid."""

from __future__ import annotations

import json
from typing import Any

from generator.content import territories
from generator.content.forms.alert import context
from generator.content.vocabularies import BESOINS, EFFECTIFS, SECTEURS, STRUCTURES
from generator.enrich import AideEntry


def home() -> dict[str, Any]:
    """On the home page: the search's current filters, copied at submit time by alertes.js;
    without JavaScript, the department only."""
    ref = territories.reference()
    labels = {
        "region": {code: r.nom for code, r in ref.regions.items()},
        "besoin": BESOINS,
        "secteur": SECTEURS,
        "structure": STRUCTURES,
        "effectif": EFFECTIFS,
    }
    return {**context(copy_filters=True), "libelles": json.dumps(labels, ensure_ascii=False)}


def territory(departement: str | None = None, region: str | None = None) -> dict[str, Any]:
    """On a department or region page: that territory, fixed."""
    ref = territories.reference()
    if departement:
        name, hidden = ref.name(f"DEP-{departement}"), [("departement", departement)]
    else:
        assert region is not None
        name, hidden = ref.name(f"REG-{region}"), [("region", region)]
    return context(
        choose_departement=False,
        hidden=hidden,
        summary=f"Pour les aides qui concernent : {name}.",
    )


def aid(entry: AideEntry) -> dict[str, Any]:
    """On an aid page: the aid's needs; its department when it has exactly one."""
    aide = entry.data
    only = [t for t in aide.territoires if t.startswith("DEP-")]
    values = (
        {"departement": only[0].removeprefix("DEP-")} if len(aide.territoires) == 1 and only else {}
    )
    needs = ", ".join(BESOINS[b] for b in aide.besoins)
    return context(
        hidden=[("besoin", b) for b in aide.besoins],
        summary=f"Pour les aides de ces besoins : {needs}.",
        values=values,
    )
