"""The pages the service answers for alerts, in the site's look: the built /alertes/ page (or
/alertes/envoyee/, one level deeper) with its content swapped, so relative links (styles,
navigation) resolve from the service's URL as from the page's. Without a built site, a plain
page with the same content."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path

from form_service.alerts.filters import REMINDERS, Filters
from generator.content import places, territories
from generator.content.forms import alert as alert_form
from generator.content.forms.alert import END_MARK, START_MARK, Values

_PLAIN = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title></title>\n'
    "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.5}.aidess-error{color:#b3261e}"
    ".aidess-summary{border:2px solid #b3261e;padding:0 1rem}</style>\n"
    f"</head>\n<body>\n<main>\n{START_MARK}{END_MARK}\n</main>\n</body>\n</html>\n"
)


class Pages:
    def __init__(self, site_dir: Path | None) -> None:
        self.site_dir = site_dir
        self._shells: dict[int, str] = {}

    def _shell(self, depth: int) -> str:
        if depth not in self._shells:
            path = alert_form.PAGE_PATH if depth == 1 else alert_form.SENT_PATH
            page = ""
            if self.site_dir is not None:
                try:
                    page = (self.site_dir / path.strip("/") / "index.html").read_text("utf-8")
                except OSError:
                    page = ""
            self._shells[depth] = page if START_MARK in page and END_MARK in page else _PLAIN
        return self._shells[depth]

    def render(self, title: str, body: str, depth: int = 1, index: bool = False) -> str:
        """A page with `title` and `body` (escaped HTML). `depth`: path segments of the URL
        the page answers at, after the site root, counting the last one as a folder only
        when it ends with /: 1 for /alertes and /alertes/<id>, 2 for /alertes/<id>/… ."""
        page = self._shell(depth)
        start, end = page.index(START_MARK), page.index(END_MARK) + len(END_MARK)
        page = page[:start] + body + page[end:]
        page = re.sub(
            r"<title>.*?</title>", f"<title>{html.escape(title)} – AidESS</title>", page,
            count=1, flags=re.S,
        )  # fmt: skip
        page = re.sub(r'<link rel="canonical"[^>]*>', "", page)
        if not index:
            page = page.replace(
                "<head>", '<head>\n<meta name="robots" content="noindex, nofollow">', 1
            )
        return page

    def subscribe_form(self, values: Values, errors: Mapping[str, str]) -> str:
        """/alertes/ again, with what was sent and the French errors."""
        return self.render(
            "Erreurs – Recevoir les nouvelles aides", alert_form.page(values, errors)
        )


def filters_values(filters: Filters) -> dict[str, str | list[str]]:
    """A subscription's filters as form values."""
    commune = territories.communes().communes.get(filters.commune or "")
    return {
        "departement": filters.departement or "",
        # « Roubaix (59) »: the form reads a typed text, where five digits are a postcode.
        "commune": places.label(commune) if commune else "",
        "region": filters.region or "",
        "secteur": list(filters.secteur),
        "besoin": list(filters.besoin),
        "structure": list(filters.structure),
        "effectif": list(filters.effectif),
        "echeances": "oui" if filters.echeances else "",
    }


def _rows(filters: Filters) -> str:
    rows = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in filters.describe()
    )
    return f'<dl class="aidess-facts">{rows}</dl>'


def manage(
    subscription: str,
    key: str,
    filters: Filters,
    notice: str | None,
    values: Values | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """The body of /alertes/<id>: the filters, the form to change them, the unsubscribe
    button."""
    e = html.escape
    form = alert_form.form_html(
        alert_form.context(
            full=True,
            action=f"{alert_form.ACTION}/{subscription}",
            values=values if values is not None else filters_values(filters),
            errors=errors,
            key=key,
            with_email=False,
            heading="Modifier mes critères",
            intro="",
            submit="Enregistrer mes critères",
        )
    )
    notice_html = f'<p class="aidess-notice" role="status">{e(notice)}</p>' if notice else ""
    reminders = f" ; et {REMINDERS}" if filters.echeances else ""
    return (
        "<h1>Mon alerte AidESS</h1>"
        f"{notice_html}"
        "<p>Chaque lundi, vous recevez par courriel les aides nouvelles, les sessions qui "
        "rouvrent et les dates limites proches pour ces critères, quand il y a du nouveau"
        f"{reminders}.</p>"
        f"<h2>Mes critères</h2>{_rows(filters)}{form}"
        "<h2>Me désabonner</h2>"
        "<p>Vous ne recevrez plus rien, et votre adresse est effacée.</p>"
        f'<form method="post" action="{e(alert_form.ACTION)}/{e(subscription)}/desabonnement">'
        f'<input type="hidden" name="cle" value="{e(key)}">'
        '<button type="submit" class="md-button">Me désabonner</button></form>'
    )


def confirm_page(subscription: str, key: str, filters: Filters) -> str:
    """The body of GET /alertes/<id> before confirmation: one button, which POSTs (mail
    scanners follow the confirmation link: it must not confirm by itself)."""
    e = html.escape
    reminders = f" ; et {REMINDERS}" if filters.echeances else ""
    return (
        "<h1>Confirmer mon alerte</h1>"
        "<p>Un clic sur le bouton ci-dessous confirme l'alerte : vous recevrez alors, le lundi "
        f"matin, les aides nouvelles pour ces critères, quand il y aura du nouveau{reminders}.</p>"
        f"{_rows(filters)}"
        f'<form method="post" action="{e(alert_form.ACTION)}/{e(subscription)}">'
        f'<input type="hidden" name="cle" value="{e(key)}">'
        '<input type="hidden" name="confirmer" value="1">'
        '<button type="submit" class="md-button md-button--primary">Confirmer mon alerte'
        "</button></form>"
        "<p>Vous n'avez rien demandé ? Ne faites rien : sans confirmation, l'adresse est "
        "effacée sous 7 jours.</p>"
    )


def unsubscribe_confirm(subscription: str, key: str, filters: Filters) -> str:
    """The body of GET /alertes/<id>/desabonnement: one button (a GET never erases: mail
    filters open links to check them)."""
    e = html.escape
    return (
        "<h1>Se désabonner</h1>"
        "<p>Vous ne recevrez plus les nouvelles aides pour ces critères, et votre adresse "
        f"sera effacée.</p>{_rows(filters)}"
        f'<form method="post" action="{e(alert_form.ACTION)}/{e(subscription)}/desabonnement">'
        f'<input type="hidden" name="cle" value="{e(key)}">'
        '<button type="submit" class="md-button md-button--primary">Me désabonner</button>'
        "</form>"
    )


UNSUBSCRIBED = (
    "<h1>Vous êtes désabonné</h1>"
    "<p>Vous ne recevrez plus d'alerte pour ces critères, et votre adresse a été effacée de "
    "notre base.</p>"
    f'<p><a href="{alert_form.PAGE_PATH}">Créer une nouvelle alerte</a> · '
    '<a href="/">Revenir à la recherche d\'aides</a></p>'
)
UNKNOWN = (
    "<h1>Lien inconnu</h1>"
    "<p>Aucune alerte ne correspond à ce lien : il est incomplet, ou l'alerte a été supprimée "
    "(désabonnement, ou pas de confirmation sous 7 jours).</p>"
    f'<p><a href="{alert_form.PAGE_PATH}">Créer une alerte</a></p>'
)


def problem(title: str, message: str) -> str:
    return f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
