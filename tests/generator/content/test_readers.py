from pathlib import Path

import pytest

from generator.content.readers import read_document
from generator.content.vocabularies import effectif_buckets


def test_key_lines_follow_the_file(tmp_path: Path) -> None:
    path = tmp_path / "une-aide.md"
    path.write_text(
        "---\ntitre: X\nmontant:\n  min: 1\n  max: 2\nnatures:\n  - pret\n  - don\n---\nCorps\n"
    )
    doc, issues = read_document(path, "aide")
    assert issues == [] and doc is not None
    assert doc.line_of(("titre",)) == 2
    assert doc.line_of(("montant", "max")) == 5
    assert doc.line_of(("natures", 1)) == 8
    assert doc.line_of(("absent",)) == 1
    assert doc.body == "Corps\n"


def test_dates_stay_text_until_validated(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ncloture: 2026-02-30\nmise_a_jour: 2026-01-05\n---\nx\n")
    doc, issues = read_document(path, "aide")
    assert doc is not None and issues == []
    assert doc.data == {"cloture": "2026-02-30", "mise_a_jour": "2026-01-05"}


@pytest.mark.parametrize(
    ("effectif_min", "effectif_max", "buckets"),
    [
        (None, None, ["0", "1-3", "4-10", "11-49", "50+"]),
        (None, 3, ["0", "1-3"]),
        (None, 30, ["0", "1-3", "4-10", "11-49"]),  # pour_qui says the exact limit
        (1, None, ["1-3", "4-10", "11-49", "50+"]),  # employers only: never « 0 »
        (1, 10, ["1-3", "4-10"]),
        (4, None, ["4-10", "11-49", "50+"]),
        (3, 3, ["1-3"]),
        (0, 0, ["0"]),
        (50, None, ["50+"]),
        (60, None, ["50+"]),
    ],
)
def test_size_buckets_meet_the_staff_range(
    effectif_min: int | None, effectif_max: int | None, buckets: list[str]
) -> None:
    assert effectif_buckets(effectif_max, effectif_min) == buckets


def test_size_buckets_follow_effectif_max() -> None:
    assert effectif_buckets(None) == ["0", "1-3", "4-10", "11-49", "50+"]
    assert effectif_buckets(3) == ["0", "1-3"]
    assert effectif_buckets(0) == ["0"]
    assert effectif_buckets(10) == ["0", "1-3", "4-10"]
