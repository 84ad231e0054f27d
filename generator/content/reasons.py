"""Why an aid is listed apart, said in French: the wording of each reason code
`ranking.standing` gives. The home page carries it (#aidess-raisons) for
theme/assets/aidess/cartes.js, which names the values each reason holds."""

from __future__ import annotations

# « agrément(s) requis : … » as the aid page's « Agréments requis » says it: the labels are of
# both genders (« reconnaissance d'utilité publique »), the category noun is not.
REASONS = {
    "structure": "réservée aux structures : {}",
    "employeur": "réservée aux structures employeuses",
    "effectif": "pas pour votre nombre de salariés",
    "agrement": "agrément requis : {}",
    "agrements": "agréments requis : {}",
    "secteur": "réservée au secteur : {}",
    "territoire": "pas sur votre territoire",
    "partie": "une partie du territoire seulement",
}
