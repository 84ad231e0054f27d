"""The callback form's HTML: empty on the site, with values and errors on a 422."""

from __future__ import annotations

from collections.abc import Mapping

from generator.content.forms.fields import HONEYPOT, LABELS, MAX_BESOINS, MAX_LENGTH, REQUIRED
from generator.content.forms.rendering import render
from generator.content.territories import reference
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES

# The site's form page wraps the form in these markers, so the service can re-render the same
# page (same theme) with values and errors by swapping what lies between them.
START_MARK = "<!--aidess-form-->"
END_MARK = "<!--/aidess-form-->"

Values = Mapping[str, str | list[str]]


def render_form(
    action: str,
    values: Values | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """The <form> element, between the markers, ready to drop into a page."""
    ref = reference()
    regions = [
        (region.nom, ref.departments_of_region(code)) for code, region in ref.regions.items()
    ]
    html = render(
        "demande_form.html",
        action=action,
        values=values or {},
        errors=errors or {},
        labels=LABELS,
        required=REQUIRED,
        max_length=MAX_LENGTH,
        max_besoins=MAX_BESOINS,
        honeypot=HONEYPOT,
        regions=sorted(regions, key=lambda r: r[0]),
        structures=STRUCTURES,
        effectifs=EFFECTIFS,
        secteurs=SECTEURS,
        besoins=BESOINS,
        etapes=ETAPES,
    )
    return f"{START_MARK}{html}{END_MARK}"


def replace_form(page: str, form_html: str) -> str:
    """The page with its form swapped for `form_html` (which carries its own markers)."""
    start, end = page.find(START_MARK), page.find(END_MARK)
    if start < 0 or end < start:
        raise ValueError("page sans formulaire AidESS")
    return page[:start] + form_html + page[end + len(END_MARK) :]
