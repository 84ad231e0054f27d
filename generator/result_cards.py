"""One aid as a result card, the same on both sides: the home page's default listing drawn at
build time (generator/home.py) and the Pagefind meta the script draws later cards from
(generator/indexing.py, theme/assets/aidess/cartes.js `card`). And the default listing's
order, pertinence for a visitor who asked nothing (generator/content/ranking.py), which the
index carries in its `pertinence` sort (generator/indexing.py) so « Afficher plus » continues
the cards the server sent."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content import territories, urls
from generator.content.ranking import Demand
from generator.content.vocabularies import STATUTS
from generator.enrich import AideEntry, Site
from generator.listings import ranked
from generator.search_terms import single_department
from generator.wording import echeance, insecables, montant_court

PAGE = 10  # cards per batch (recherche.js PAGE)
TERRITOIRE_MAX = 120  # characters of the territory shown on a card


def short(text: str, limit: int = TERRITOIRE_MAX) -> str:
    return text if len(text) < limit else text[: limit - 3] + "…"


@dataclass(frozen=True)
class Card:
    slug: str
    title: str
    resume: str
    etat: str  # status slug (colour of the badge)
    statut: str  # its French label
    echeance: str
    territoire: str
    montant: str
    porteurs: str
    departement: str  # the one department it covers, else ""
    pour_qui: str = ""  # the decisive eligibility condition

    @property
    def url(self) -> str:
        return urls.aide(self.slug)

    @property
    def facts(self) -> list[tuple[str, str]]:
        pairs = [
            ("Pour qui", self.pour_qui),
            ("Où", self.territoire),
            ("Montant", self.montant),
            ("Porteurs", self.porteurs),
        ]
        return [(name, value) for name, value in pairs if value]

    @property
    def callback(self) -> str:
        """The callback form for this aid (and its department), as the script links it."""
        return urls.form(self.slug, self.departement or None)


def card(entry: AideEntry) -> Card:
    aide = entry.data
    return Card(
        slug=entry.slug,
        title=aide.titre,
        resume=insecables(aide.resume),
        etat=entry.statut,
        statut=STATUTS[entry.statut],
        echeance=echeance(entry),
        territoire=short(territories.describe(aide.territoires, aide.exclusions)),
        montant=montant_court(entry),
        porteurs=short(", ".join(aide.porteurs)),
        departement=single_department(entry),
        pour_qui=insecables(aide.pour_qui),
    )


def default_order(site: Site) -> list[AideEntry]:
    """The listing without words or filters: pertinence for a visitor who asked nothing
    (national aids first, open ones, the soonest deadline, the title)."""
    return ranked(list(site.aides.values()), Demand())


def ranks(site: Site) -> dict[str, str]:
    """Each aid's place in the default listing, zero-padded (its `pertinence` sort value in the
    index, and the end of its `cloture` and `nouveautes` ones)."""
    ordered = default_order(site)
    width = len(str(len(ordered)))
    return {entry.slug: str(i).zfill(width) for i, entry in enumerate(ordered)}


def first_cards(site: Site) -> list[Card]:
    """The cards of the home page's first screen: the first open aids of the default order."""
    return [card(e) for e in default_order(site) if e.open][:PAGE]
