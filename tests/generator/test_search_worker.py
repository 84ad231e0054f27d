from __future__ import annotations

import json
from pathlib import Path

from generator.search_worker import write_documents


def test_write_documents_writes_each_html_at_its_path(tmp_path: Path) -> None:
    line = json.dumps({"path": "aides/x/index.html", "html": "<main><h2>Qui</h2></main>"})
    assert write_documents([line], tmp_path) == 1
    html = (tmp_path / "aides" / "x" / "index.html").read_text(encoding="utf-8")
    assert html == "<main><h2>Qui</h2></main>"
