"""The report form's HTML (templates/signaler.html), shared by the site's pages and by the
service, which shows it again with its errors."""

from __future__ import annotations

from collections.abc import Mapping

from generator.content.forms.rendering import render

MESSAGE_LABELS = {
    False: "Ce qui est faux ou manque sur cette page",
    True: "Votre message : l'erreur, ou l'aide ou le réseau (nom, territoire, page officielle)",
}


def report_form(
    action: str,
    page: str,
    choices: bool = False,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """`choices`: the Contribuer page's form (an error, a missing aid, a network)."""
    return render(
        "signaler.html",
        action=action,
        page=page,
        choices=choices,
        values=values or {},
        errors=errors or {},
        message_label=MESSAGE_LABELS[choices],
    )
