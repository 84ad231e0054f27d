"""What pertinence reads of one aid (generator/content/ranking.py), as a small JSON-ready
mapping: the build's listings and the acknowledgment mail rank with it, and the search index
carries it (the `classement` meta) for the browser's re-ranking
(theme/assets/aidess/classement.js)."""

from __future__ import annotations

from typing import Any

from generator.content import matching
from generator.content.model import Aide
from generator.content.ranking import DEPARTMENT, INSIDE, NATIONAL, REGION, Features
from generator.content.sector_condition import required_sectors
from generator.content.territories import NATIONAL as FRANCE
from generator.content.territories import Level, reference
from generator.content.vocabularies import TOUS, effectif_buckets

LOCAL = ("EPCI-", "COM-")
TEXT = ("titre", "resume")  # the features a search result or a card already shows
GRAINS = {Level.DEPARTMENT: DEPARTMENT, Level.REGION: REGION, Level.NATIONAL: NATIONAL}


def features(slug: str, aide: Aide, statut: str, *, text: bool = True) -> dict[str, Any]:
    """The aid's features. `lieux` gives each department it applies in (at least in part)
    its grain there, `regions` each region likewise (REGION when it covers it, INSIDE when
    only part of it); a national aid lists instead the departments and regions it leaves out
    (`hors`, `hors_regions`). `text=False` leaves out the title and summary (the search index
    has them as meta already)."""
    ref = reference()
    territoires, exclusions = list(aide.territoires), list(aide.exclusions)
    out: dict[str, Any] = {"slug": slug}
    if text:
        out.update(titre=aide.titre, resume=aide.resume)  # TEXT
    out.update(
        besoins=list(aide.besoins),
        secteurs=[] if TOUS in aide.secteurs else list(aide.secteurs),  # named ones only
        structures=list(aide.structures),
        natures=list(aide.natures),
        effectifs=effectif_buckets(aide.effectif_max, aide.effectif_min),
        agrements=list(aide.agrements or ()),
        statut=statut,
        cloture=aide.cloture.isoformat() if aide.cloture and statut != "a-confirmer" else "",
    )
    required = required_sectors(aide.secteurs, aide.pour_qui)
    if required:  # its `pour_qui` makes the sector a condition (sector_condition.py)
        out["secteurs_requis"] = required
    if FRANCE in territoires and FRANCE not in exclusions:
        out["national"] = True
        out["exclus"] = [k for k in exclusions if k.startswith(LOCAL)]
        out["hors"] = sorted(
            d for d in ref.departments if not matching.covers_department(territoires, exclusions, d)
        )
        out["hors_regions"] = sorted(
            r for r in ref.regions if not matching.covers_region(territoires, exclusions, r)
        )
        return out
    lieux: dict[str, int] = {}
    for code in sorted(matching.covered_departments(territoires, exclusions)):
        found = matching.match_level(territoires, exclusions, code)
        lieux[code] = GRAINS[found[0]] if found else INSIDE
    regions: dict[str, int] = {}
    for code in sorted(matching.covered_regions(territoires, exclusions)):
        covers = matching.covers_region(territoires, exclusions, code)
        regions[code] = REGION if covers else INSIDE
    # Its EPCI and communes, and those it leaves out, for a visitor who gave their commune.
    fine = [k for k in matching.remaining(territoires, exclusions) if k.startswith(LOCAL)]
    excluded = [k for k in exclusions if k.startswith(LOCAL)]
    out.update(national=False, lieux=lieux, regions=regions, locaux=fine, exclus=excluded)
    return out


def without_text(found: Features) -> dict[str, Any]:
    """Features without the title and summary, as `features(..., text=False)` gives them."""
    return {k: v for k, v in found.items() if k not in TEXT}
