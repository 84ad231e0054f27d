"""HTML answers: the form re-rendered with its errors, and short French error pages."""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

from generator.content import urls
from generator.content.forms.callback import (
    END_MARK,
    START_MARK,
    Values,
    render_form,
    replace_form,
)


def _standalone(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} – AidESS</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}.aidess-error{color:#b00020}"
        ".aidess-field{margin:1rem 0}label{display:block;font-weight:600}"
        ".aidess-summary{border:3px solid #b00020;padding:0 1rem}</style>\n"
        f"</head>\n<body>\n<main>\n<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


class FormPage:
    """The form page with values and errors: inside the built site's own page when there is
    one (same look), else a minimal standalone page."""

    def __init__(self, site_dir: Path | None, site_url: str) -> None:
        self.site_dir, self.site_url = site_dir, site_url

    def _site_page(self) -> str | None:
        if self.site_dir is None:
            return None
        path = self.site_dir / urls.FORM_PATH.strip("/") / "index.html"
        try:
            page = path.read_text(encoding="utf-8")
        except OSError:
            return None
        return page if START_MARK in page and END_MARK in page else None

    def render(self, action: str, values: Values, errors: Mapping[str, str]) -> str:
        form = render_form(action, values, errors)
        page = self._site_page()
        if page is None:
            return _standalone("Demande de rappel : à corriger", form)
        if "<base " not in page:
            # The page's relative links (styles, scripts) must resolve against the site even
            # when this service answers from another address.
            base = f'<base href="{html.escape(self.site_url + urls.FORM_PATH)}">'
            page = page.replace("<head>", f"<head>{base}", 1)
        if "<title>" in page:
            page = page.replace("<title>", "<title>Erreurs – ", 1)
        return replace_form(page, form)


def error_page(
    title: str, message: str, back: str | None = None, back_text: str = "Revenir au formulaire"
) -> str:
    link = f'<p><a href="{html.escape(back)}">{html.escape(back_text)}</a></p>' if back else ""
    return _standalone(title, f"<p>{html.escape(message)}</p>{link}")
