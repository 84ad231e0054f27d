"""The relevance figures (tests/pertinence.py), on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from tests.pertinence import Query, figures, first_rank, hit, ineligible, ndcg, parse

GRADES = {"a": 2, "b": 1, "c": 1}


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        (["a", "b", "c"], 1.0),  # the ideal order
        (["b", "c", "a"], (1 + 1 / math.log2(3) + 3 / 2) / (3 + 1 / math.log2(3) + 1 / 2)),
        (["x", "y"], 0.0),
        ([], 0.0),
        # Past the tenth result, nothing counts.
        ([f"x{i}" for i in range(10)] + ["a", "b", "c"], 0.0),
    ],
)
def test_ndcg(ranked: list[str], expected: float) -> None:
    assert ndcg(ranked, GRADES) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranked", "hits", "rank"),
    [
        (["x", "y", "a"], True, 3),
        (["x", "y", "z", "a"], False, 4),
        (["b", "c", "x"], False, None),  # grade 1 is not a hit
        ([], False, None),
    ],
)
def test_hit_and_first_rank(ranked: list[str], hits: bool, rank: int | None) -> None:
    assert hit(ranked, GRADES) is hits
    assert first_rank(ranked, GRADES) == rank


def test_ineligible_counts_only_the_top_3() -> None:
    assert ineligible(["x", "a", "y", "z"], {"x", "z"}) == ["x"]


def query(name: str, attendus: dict[str, int], barred: frozenset[str] = frozenset()) -> Query:
    return Query(name, "", "", {}, {}, attendus, barred)


def test_figures_average_over_the_queries_that_expect_something() -> None:
    queries = [
        query("q1", {"a": 2}, frozenset({"z"})),
        query("q2", {"b": 2, "c": 1}),
        query("q3", {"d": 1}),  # no grade 2: left out of hit@3
        query("q4", {}),  # nothing expected: left out of both means
    ]
    ranked = {"q1": ["z", "a"], "q2": ["x", "y", "z", "b"], "q3": ["d"], "q4": ["z"]}
    total = figures(queries, ranked)
    assert total.queries == 4
    assert total.hit_at_3 == pytest.approx(1 / 2)
    q2 = (3 / math.log2(5)) / (3 + 1 / math.log2(3))
    assert total.ndcg_at_10 == pytest.approx((3 / math.log2(3) / 3 + q2 + 1.0) / 3)
    assert total.ineligible_top3 == 1


def test_parse_builds_the_home_url() -> None:
    (q,) = parse(
        {
            "requetes": [
                {
                    "id": "tpe-nord",
                    "mots": " trésorerie ",
                    "filtres": {"departement": ["59"], "effectif": "1-3"},
                    "attendus": {"dasess": 2},
                    "inadmissibles": ["scop-only"],
                }
            ]
        }
    )
    assert q.url() == "/?q=tr%C3%A9sorerie&departement=59&effectif=1-3"
    assert q.inadmissibles == {"scop-only"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "requetes"),
        ({"requetes": [{"mots": "x"}]}, "sans « id »"),
        ({"requetes": [{"id": "a", "filtres": {"ville": ["x"]}}]}, "filtres inconnus"),
        ({"requetes": [{"id": "a", "attendus": {"x": 3}}]}, "1 ou 2"),
        ({"requetes": [{"id": "a"}, {"id": "a"}]}, "double"),
    ],
)
def test_parse_names_the_faulty_entry(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(data)
