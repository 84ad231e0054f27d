"""Reading a front matter, broken or not: every syntax error with its line, and every field
that can still be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.front_matter import parse_front_matter, top_level_blocks

PATH = Path("aides/une-aide.md")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("titre: a\nresume: b\n", [(0, 1), (1, 2)]),
        ("porteurs:\n- État\n- Région\ntitre: a\n", [(0, 3), (3, 4)]),  # items at the margin
        ("porteurs:\n  - État\n\n# note\ntitre: a\n", [(0, 4), (4, 5)]),
        ("natures: [a,\n  b\n]\ntitre: x\n", [(0, 3), (3, 4)]),  # a bracket closed at the margin
        ("montant:\n  min: 1\n  max: 2\n", [(0, 3)]),
        ("# avant\ntitre: a\n", [(0, 1), (1, 2)]),
        ("", [(0, 0)]),
    ],
    ids=["flat", "margin-items", "comment-blank", "flow", "nested", "preamble", "empty"],
)
def test_top_level_blocks(text: str, blocks: list[tuple[int, int]]) -> None:
    assert top_level_blocks(_lines(text)) == blocks


def test_a_valid_front_matter_is_read_whole() -> None:
    read = parse_front_matter(PATH, _lines("titre: a\nmontant:\n  min: 1\n"), first_line=2)
    assert read is not None
    assert (read.data, read.issues, read.complete) == (
        {"titre": "a", "montant": {"min": 1}},
        [],
        True,
    )
    assert read.lines[("montant", "min")] == 4


def test_every_syntax_error_is_reported_and_the_rest_read() -> None:
    text = (
        'titre: "FDVA 1\n'  # a quote left open
        "resume: Une aide.\n"
        "besoins: [emploi\n"  # a bracket left open
        "montant:\n"
        "  min: 1\n"
        "  max: 2\n"
        "pour_qui: Les associations : toutes\n"  # an unquoted « : »
        "natures: [pret]\n"
    )
    read = parse_front_matter(PATH, _lines(text), first_line=2)
    assert read is not None and not read.complete
    assert [(i.line, i.field) for i in read.issues] == [
        (2, "titre"),
        (4, "besoins"),
        (8, "pour_qui"),
    ]
    assert "guillemet non fermé" in read.issues[0].message
    assert "crochets mal fermée" in read.issues[1].message
    assert "contient « : »" in read.issues[2].message
    assert read.data == {
        "resume": "Une aide.",
        "montant": {"min": 1, "max": 2},
        "natures": ["pret"],
    }
    assert read.lines[("montant", "max")] == 7
    assert read.lines[("natures", 0)] == 9
    assert read.unreadable == {"titre", "besoins", "pour_qui"}


def test_a_field_shifted_right_is_unreadable_with_the_one_above() -> None:
    read = parse_front_matter(PATH, _lines("titre: x\n  resume: y\nnatures: [pret]\n"), 2)
    assert read is not None
    assert [(i.line, i.field) for i in read.issues] == [(3, "resume")]
    assert "décalé vers la droite" in read.issues[0].message
    assert read.unreadable == {"titre", "resume"}
    assert read.data == {"natures": ["pret"]}


def test_fields_that_parse_alone_but_not_together_still_give_the_parsers_error() -> None:
    read = parse_front_matter(PATH, _lines("titre: x\n...\nresume: y\n"), first_line=2)
    assert read is not None and not read.complete
    assert len(read.issues) == 1
    assert read.issues[0].message.startswith("YAML invalide : ")


def test_a_list_is_not_a_front_matter() -> None:
    assert parse_front_matter(PATH, _lines("- titre\n- resume\n"), first_line=2) is None
