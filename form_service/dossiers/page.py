"""The dossier page (GET /dossiers/<id>?cle=…): what a network or the requester sees, in the
site's look (site_shell.py), and the same « not found » page for unknown ids and wrong keys."""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from form_service.dossiers.mails import Public
from form_service.dossiers.model import (
    ANSWERS,
    ISSUES,
    MAX_MOTIF,
    MAX_NOTE,
    REQUESTER,
    STATES,
    STATUSES,
    allowed,
    closed_by_requester,
    requester_view,
    state,
    status,
    taken_by,
)
from form_service.dossiers.needs import held
from form_service.dossiers.queries import Loaded
from form_service.dossiers.texts import (
    VIA,
    describe,
    need_label,
    needs_list,
    when,
    who_does_what,
)
from form_service.requests.emails import request_rows
from form_service.requests.phones import national, tel_uri
from form_service.web import site_shell
from form_service.web.templating import environment
from generator.content.forms.promise import PROMISE

# Sent with every dossier page: a mail's link brings the key in its URL (moved at once into a
# cookie, dossiers/http.py); nothing of the page may leak or be kept.
HEADERS = {
    "Cache-Control": "no-store",
    # same-origin, not no-referrer: the URL never leaves the site, and the browser still sends
    # the Origin that every action POST is checked against (no-referrer makes it « null »).
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}
DONE = {
    "prendre": "votre réseau prend en charge la demande ; la structure et les autres réseaux "
    "sont prévenus.",
    "decliner": "votre réseau décline ce dossier.",
    "injoignable": "structure injoignable.",
    "terminer": "accompagnement terminé.",
    "noter": "votre note est envoyée aux autres réseaux du dossier.",
    "transmettre": "le dossier est transmis ; le réseau a reçu son propre lien.",
    "repondre": "merci, votre réponse est enregistrée ; les réseaux du dossier la voient.",
    "plus-besoin": "les réseaux sont prévenus par courriel que vous n'avez plus besoin d'être "
    "rappelé ; votre demande est close.",
}


@dataclass(frozen=True)
class Line:
    at: datetime
    what: str
    text: str | None


def timeline(
    loaded: Loaded, viewer: str, names: Mapping[str, str], aides: Mapping[str, str]
) -> list[Line]:
    """Who did what, when: for the requester without notes nor motifs."""
    d = loaded.dossier
    events = requester_view(d) if viewer == REQUESTER else list(d.events)
    lines = [
        Line(e.at, describe(d, e, dict(names), aides), None if viewer == REQUESTER else e.text)
        for e in events
    ]
    for r in d.recipients:
        if r.via != "routage":
            lines.append(Line(r.added, f"{r.nom} rejoint le dossier ({VIA[r.via]}).", None))
    return sorted(lines, key=lambda line: line.at)


def render(
    site_dir: Path | None,
    loaded: Loaded,
    viewer: str,
    key: str,
    post_url: str,
    public: Mapping[str, Public],
    names: Mapping[str, str],
    transmit: list[tuple[str, str]],
    retention_days: int,
    done: str | None = None,
    error: str | None = None,
    sent: bool = False,
    answer: str | None = None,
    aides: Mapping[str, str] | None = None,
    figure: str | None = None,
) -> str:
    d = loaded.dossier
    requester = viewer == REQUESTER
    actions = allowed(d, viewer)
    me = d.recipient(viewer)
    caller = loaded.request.submission if loaded.request and not requester else None
    closed = closed_by_requester(d)

    def status_label(rid: str) -> str:
        # After « plus besoin », nobody is left « Nouvelle » on a closed dossier.
        current = status(d, rid)
        if closed and current in ("nouvelle", "prise-en-charge", "injoignable"):
            return "Clos : la structure n'a plus besoin d'être rappelée"
        return STATUSES[current]

    present = {r.slug for r in d.recipients}
    rows = (
        request_rows(loaded.request.submission, loaded.request.snapshot.aide)
        if (loaded.request and not requester)
        else None
    )
    body = (
        environment()
        .get_template("dossier.html")
        .render(
            dossier=d,
            requester=requester,
            me=me,
            caller=caller,
            caller_tel=tel_uri(caller.telephone) if caller else None,
            prefers_mail=caller is not None and caller.contact == "courriel",
            my_needs=needs_list(held(d, me)) if me else "",
            secondary=[a for a in actions if a != "prendre"],
            status_label=status_label,
            closed=closed,
            tel=tel_uri,
            promise=PROMISE if figure is None else f"{PROMISE} {figure}",
            key=key,
            post_url=post_url,
            actions=actions,
            tokens={a: secrets.token_urlsafe(16) for a in actions},
            done=DONE.get(done or ""),
            sent=sent and requester,
            error=error,
            state=state(d),
            state_label=STATES[state(d)],
            status=lambda rid: status(d, rid),
            taken=taken_by(d),
            board=who_does_what(d),
            needs_of=lambda r: ", ".join(need_label(b) for b in held(d, r)),
            public=public,
            phone=national,
            request_rows=rows,
            # For the networks only: to the requester it would tell anyone who knows a
            # structure's public RNA or SIRET that it asked before.
            follows_reference=None if requester else loaded.follows_reference,
            timeline=timeline(loaded, viewer, names, aides or {}),
            answers=ANSWERS,
            answer=answer if requester and "repondre" in actions else None,
            aides=sorted((aides or {}).items(), key=lambda item: item[1]),
            transmit=[(s, n) for s, n in transmit if s not in present],
            issues=ISSUES,
            via=VIA,
            when=when,
            max_note=MAX_NOTE,
            max_motif=MAX_MOTIF,
            retention_days=retention_days,
        )
    )
    title = f"{'Votre demande' if requester else 'Dossier'} {d.reference}"
    if sent and requester:
        title = f"Demande envoyée ({d.reference})"
    return site_shell.wrap(site_dir, title, body)


def not_found(site_dir: Path | None) -> str:
    body = (
        "<h1>Dossier introuvable</h1>\n"
        "<p>Ce lien ne correspond à aucun dossier : il est incomplet, ou le dossier a été "
        "effacé (les données sont effacées à la demande de la structure, ou au bout de la "
        "durée de conservation).</p>\n"
        "<p>Recopiez le lien entier depuis votre courriel, ou "
        '<a href="/">revenez à la recherche d\'aides</a>.</p>'
    )
    return site_shell.wrap(site_dir, "Dossier introuvable", body)


def erased(site_dir: Path | None) -> str:
    body = (
        "<h1>Vos données sont effacées</h1>\n"
        "<p>Vos coordonnées, votre message et les échanges sur votre demande sont effacés. "
        "Seules restent des données anonymes (département, besoins, dates) pour les "
        "statistiques. Ce lien ne fonctionne plus.</p>\n"
        '<p><a href="/">Revenir à la recherche d\'aides</a></p>'
    )
    return site_shell.wrap(site_dir, "Données effacées", body)


# The two buttons of the requester that cannot be undone ask first (a second form, without
# JavaScript): what happens, then the button that does it.
CONFIRM: dict[str, tuple[str, str, str]] = {
    "plus-besoin": (
        "Vous n'avez plus besoin d'être rappelé ?",
        "Les réseaux qui ont reçu votre demande sont prévenus par courriel et ne vous "
        "appelleront pas ; votre demande est close. Vous pourrez toujours en faire une "
        "nouvelle.",
        "Oui, je n'ai plus besoin d'être rappelé",
    ),
    "effacer": (
        "Effacer vos données ?",
        "Vos coordonnées, votre message et les échanges sur votre demande sont effacés tout "
        "de suite, définitivement. Les réseaux ne pourront plus vous rappeler à partir de ce "
        "dossier, et ce lien ne fonctionnera plus.",
        "Oui, effacer mes données",
    ),
}


def confirm(site_dir: Path | None, action: str, key: str, token: str, post_url: str) -> str:
    """The second step of an irreversible button: say what it does, then do it."""
    title, what, button = CONFIRM[action]
    back = post_url.removesuffix("/actions")  # the dossier's cookie holds the key
    body = (
        f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(what)}</p>\n"
        f'<form method="post" action="{html.escape(post_url)}" class="aidess-form">\n'
        f'<input type="hidden" name="cle" value="{html.escape(key)}">\n'
        f'<input type="hidden" name="jeton" value="{html.escape(token)}">\n'
        f'<input type="hidden" name="action" value="{html.escape(action)}">\n'
        '<input type="hidden" name="confirmer" value="oui">\n'
        f'<button type="submit" class="aidess-danger">{html.escape(button)}</button>\n'
        "</form>\n"
        f'<p><a href="{html.escape(back)}">Non, revenir à ma demande</a></p>'
    )
    return site_shell.wrap(site_dir, title, body)


def refused(site_dir: Path | None, title: str, message: str) -> str:
    body = f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(message)}</p>"
    return site_shell.wrap(site_dir, title, body)
