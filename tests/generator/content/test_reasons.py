"""Every reason `ranking.standing` can give has its French wording."""

from __future__ import annotations

import re
from pathlib import Path

from generator.content import ranking
from generator.content.reasons import REASONS


def test_every_reason_code_of_the_partition_is_worded() -> None:
    source = Path(ranking.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'return (?:BARRED|IN_PART), "(\w+)"', source))
    assert codes == {"structure", "employeur", "effectif", "agrement", "secteur", "territoire",
                     "partie"}  # fmt: skip
    assert codes <= REASONS.keys()
    assert "agrements" in REASONS  # several agreements missing
