"""Every built page is valid HTML for the Nu Html Checker (the W3C validator), 0 errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checkers import require_vnu, vnu_errors


def test_every_built_page_is_valid_html(real_site: Path) -> None:
    require_vnu()
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 200  # the whole real site, not an empty folder
    errors = vnu_errors(real_site)
    if errors:  # each error with its page, line and extract
        pages_in_error = len({m.page for m in errors})
        report = "\n".join(m.format() for m in errors)
        pytest.fail(f"{len(errors)} erreur(s) HTML sur {pages_in_error} page(s) :\n{report}")
