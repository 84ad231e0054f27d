from __future__ import annotations

import json
from pathlib import Path

import yaml

from generator.rendering import CONFIG_FILE
from generator.search_worker import BODY, EXTENSIONS, write_documents


def test_extensions_are_those_of_mkdocs_yml() -> None:
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert names == EXTENSIONS


def test_write_documents_puts_the_body_as_html(tmp_path: Path) -> None:
    line = json.dumps(
        {
            "path": "aides/x/index.html",
            "html": f"<main>{BODY}</main>",
            "markdown": "## Qui\n\n*Tous*",
        }
    )
    assert write_documents([line], tmp_path) == 1
    html = (tmp_path / "aides" / "x" / "index.html").read_text(encoding="utf-8")
    assert html == '<main><h2 id="qui">Qui</h2>\n<p><em>Tous</em></p></main>'
