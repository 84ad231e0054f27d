"""The relevance test set (tests/data/pertinence.yml) and its figures, as pure functions.

Each query has the words and filters a visitor gives the home search, the persona's profile,
the aids a support adviser expects graded 2 (must be in the top 3) or 1 (relevant), and the
aids the profile cannot get. The figures (README « Pertinence »):
- hit@3: the share of queries with a grade-2 aid among their first three results (over the
  queries that expect one);
- nDCG@10: the mean normalised discounted cumulative gain of the first ten results, gain
  2^grade - 1, discount log2(rank + 1) (over the queries that expect any aid);
- ineligible in a top 3: how many aids the profile cannot get appear in a first three.

Each query is run twice (tests/e2e/test_pertinence.py): « sans profil », the URL alone, and
« avec le profil de la structure », its `profil` stored in the browser as « Votre structure »
stores it (theme/assets/aidess/profil.js; `stored_profile` writes the same value).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import yaml

from generator.content.territories import communes, reference
from generator.content.vocabularies import effectif_buckets

DATA = Path(__file__).resolve().parent / "data" / "pertinence.yml"
TOP = 3
DEPTH = 10
# URL parameters of the home search (theme/assets/aidess/recherche.js) a query may set.
URL_FILTERS = frozenset(
    {
        "q",
        "region",
        "departement",
        "commune",
        "secteur",
        "besoin",
        "structure",
        "effectif",
        "etape",
        "nature",
        "statut",
        "tri",
    }
)


@dataclass(frozen=True)
class Query:
    id: str
    persona: str
    mots: str
    filtres: Mapping[str, tuple[str, ...]]
    profil: Mapping[str, object]
    attendus: Mapping[str, int]  # aid slug → grade (2: in the top 3; 1: relevant)
    inadmissibles: frozenset[str] = field(default_factory=frozenset)

    def url(self) -> str:
        """The home page's query string for this query (words, then filters)."""
        pairs: list[tuple[str, str]] = []
        if self.mots:
            pairs.append(("q", self.mots))
        for name, values in self.filtres.items():
            pairs.extend((name, v) for v in values)
        return "/?" + urlencode(pairs) if pairs else "/"


PROFILE_VERSION = 1  # profil.js VERSION


def stored_profile(profil: Mapping[str, object]) -> dict[str, object]:
    """The value « Votre structure » keeps in localStorage for this `profil` (profil.js
    `write`): the staff count as its size bucket, the commune with its department, region
    and label (« Hazebrouck (59) »), the agreements as told ([] for none)."""
    stored: dict[str, object] = {"version": PROFILE_VERSION}
    if profil.get("structure"):
        stored["structure"] = str(profil["structure"])
    salaries = profil.get("salaries")
    if isinstance(salaries, int):
        stored["effectif"] = effectif_buckets(salaries, salaries)[0]
    if profil.get("secteur"):
        stored["secteur"] = str(profil["secteur"])
    code = str(profil.get("commune") or "")
    departement = str(profil.get("departement") or "")
    if code:
        commune = communes().communes[code]
        departement = commune.departement
        stored["commune"] = code
    if departement:
        dep = reference().departments[departement]
        stored["departement"] = departement
        stored["region"] = dep.region
        nom = communes().communes[code].nom if code else dep.nom
        stored["lieu"] = f"{nom} ({departement})"
    agrements = profil.get("agrements")
    if isinstance(agrements, list):
        stored["agrements"] = [str(a) for a in agrements]
    # profil.js writes its keys in this order; JSON comparisons do not depend on it.
    order = ["version", "structure", "effectif", "secteur", "departement", "region", "commune"]
    return {k: stored[k] for k in [*order, "lieu", "agrements"] if k in stored}


def _values(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list):
        return tuple(str(v) for v in raw)
    return (str(raw),)


def parse(data: object) -> list[Query]:
    """The queries of a loaded pertinence.yml; a malformed entry raises ValueError naming it."""
    if not isinstance(data, dict) or not isinstance(data.get("requetes"), list):
        raise ValueError("pertinence.yml : une liste « requetes » est attendue")
    queries: list[Query] = []
    for i, raw in enumerate(data["requetes"], 1):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ValueError(f"pertinence.yml : requête n° {i} sans « id »")
        name = str(raw["id"])
        filtres = raw.get("filtres") or {}
        if not isinstance(filtres, dict):
            raise ValueError(f"pertinence.yml : {name} : « filtres » doit être un dictionnaire")
        unknown = set(filtres) - URL_FILTERS
        if unknown:
            raise ValueError(f"pertinence.yml : {name} : filtres inconnus {sorted(unknown)}")
        attendus = raw.get("attendus") or {}
        if not isinstance(attendus, dict) or any(g not in (1, 2) for g in attendus.values()):
            raise ValueError(f"pertinence.yml : {name} : « attendus » note chaque aide 1 ou 2")
        queries.append(
            Query(
                id=name,
                persona=str(raw.get("persona") or ""),
                mots=str(raw.get("mots") or "").strip(),
                filtres={k: _values(v) for k, v in filtres.items() if _values(v)},
                profil=dict(raw.get("profil") or {}),
                attendus={str(k): int(v) for k, v in attendus.items()},
                inadmissibles=frozenset(_values(raw.get("inadmissibles"))),
            )
        )
    ids = [q.id for q in queries]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        raise ValueError(f"pertinence.yml : identifiants en double {doubles}")
    return queries


def load(path: Path = DATA) -> list[Query]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def dcg(grades: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(ranked: Sequence[str], attendus: Mapping[str, int], depth: int = DEPTH) -> float:
    """nDCG@depth of a result list against graded expectations (1.0: the ideal order)."""
    ideal = dcg(sorted(attendus.values(), reverse=True)[:depth])
    if ideal == 0:
        return 0.0
    return dcg(attendus.get(slug, 0) for slug in ranked[:depth]) / ideal


def hit(ranked: Sequence[str], attendus: Mapping[str, int], top: int = TOP) -> bool:
    """A grade-2 aid is among the first `top` results."""
    return any(attendus.get(slug) == 2 for slug in ranked[:top])


def ineligible(ranked: Sequence[str], inadmissibles: Iterable[str], top: int = TOP) -> list[str]:
    """The aids the profile cannot get among the first `top` results."""
    barred = set(inadmissibles)
    return [slug for slug in ranked[:top] if slug in barred]


def first_rank(ranked: Sequence[str], attendus: Mapping[str, int]) -> int | None:
    """1-based rank of the first grade-2 aid, None when it is not listed."""
    for rank, slug in enumerate(ranked, 1):
        if attendus.get(slug) == 2:
            return rank
    return None


@dataclass(frozen=True)
class Figures:
    queries: int
    hit_at_3: float  # share of the queries expecting a grade-2 aid
    ndcg_at_10: float  # mean over the queries expecting any aid
    ineligible_top3: int  # (query, aid) pairs


def figures(queries: Sequence[Query], ranked: Mapping[str, Sequence[str]]) -> Figures:
    """The set's figures, `ranked` giving each query id its ordered result slugs."""
    with_two = [q for q in queries if 2 in q.attendus.values()]
    graded = [q for q in queries if q.attendus]
    hits = sum(hit(ranked[q.id], q.attendus) for q in with_two)
    gains = [ndcg(ranked[q.id], q.attendus) for q in graded]
    barred = sum(len(ineligible(ranked[q.id], q.inadmissibles)) for q in queries)
    return Figures(
        queries=len(queries),
        hit_at_3=hits / len(with_two) if with_two else 0.0,
        ndcg_at_10=sum(gains) / len(gains) if gains else 0.0,
        ineligible_top3=barred,
    )


def report(
    queries: Sequence[Query],
    ranked: Mapping[str, Sequence[str]],
    heading: str = "",
    title: str = "# Pertinence : jeu de requêtes tests/data/pertinence.yml",
) -> str:
    """A Markdown report: the figures, then one row per query."""
    total = figures(queries, ranked)
    lines = [
        title,
        "",
        *([heading, ""] if heading else []),
        f"- requêtes : {total.queries}",
        f"- hit@3 : {total.hit_at_3:.3f}",
        f"- nDCG@10 : {total.ndcg_at_10:.3f}",
        f"- aides inadmissibles dans un top 3 : {total.ineligible_top3}",
        "",
        "| id | mots | filtres | hit@3 | 1er note 2 | nDCG@10 | inadmissibles top 3 | top 3 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for q in queries:
        found = ranked[q.id]
        rank = first_rank(found, q.attendus)
        filters = " ".join(f"{k}={','.join(v)}" for k, v in q.filtres.items())
        lines.append(
            "| {} | {} | {} | {} | {} | {:.2f} | {} | {} |".format(
                q.id,
                q.mots or "—",
                filters or "—",
                ("oui" if hit(found, q.attendus) else "non") if 2 in q.attendus.values() else "—",
                rank if rank is not None else "—",
                ndcg(found, q.attendus),
                " ".join(ineligible(found, q.inadmissibles)) or "—",
                " ".join(found[:TOP]) or "(aucun résultat)",
            )
        )
    return "\n".join(lines) + "\n"
