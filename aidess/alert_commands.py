"""`aidess alertes envoyer | effacer` (the command is assembled in aidess/cli.py)."""

from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

from aidess.service_commands_common import fail, open_database
from form_service.settings import ConfigError
from generator.cli import Subparsers


def send(args: argparse.Namespace) -> int:
    """Record the content in the ledger, then queue this ISO week's digests and today's
    deadline reminders in the outbox (the service's outbox worker, or `aidess outbox`, sends
    them). Run daily, it sends each reminder on its day, and each digest once a week."""
    from form_service.alerts import run
    from form_service.app import load_catalog
    from form_service.db.database import Database
    from form_service.settings import from_env

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = from_env(os.environ)
        if args.content is not None:
            settings = replace(settings, content=args.content)
        catalog = load_catalog(settings)
    except ConfigError as exc:
        return fail(str(exc))
    storage = Database(settings.database, settings.busy_timeout)
    storage.migrate()
    now = time.time()
    aids = run.aids_of(catalog.aides)
    run.record_content(storage, aids, now)
    mailing = run.Mailing(settings.site_url, settings.mail_from, settings.fallback_email)
    report = run.queue_digests(storage, aids, mailing, now)
    reminded = run.queue_reminders(storage, aids, mailing, now)
    print(
        f"{report.queued} résumé(s) mis en file d'envoi, {report.empty} alerte(s) sans "
        f"nouveauté, {report.subscriptions} alerte(s) confirmée(s) sans résumé cette semaine ; "
        f"{reminded} rappel(s) de date limite"
    )
    return 0


def erase(args: argparse.Namespace) -> int:
    """Erase every alert of an address (asked by mail, e.g. the List-Unsubscribe mailto)."""
    from form_service.alerts import store

    storage = open_database()
    if isinstance(storage, int):
        return storage
    try:
        count = store.erase_address(storage, args.email.strip())
    finally:
        storage.close()
    print(f"{count} alerte(s) effacée(s) pour {args.email.strip()}")
    return 0


def _add_alertes(sub: Subparsers) -> None:
    p = sub.add_parser("alertes", help="alertes par courriel : résumés, effacement")
    actions = p.add_subparsers(dest="action", required=True)
    envoyer = actions.add_parser(
        "envoyer", help="mettre en file les résumés de la semaine et les rappels du jour"
    )
    envoyer.add_argument(
        "--content", type=Path, default=None, help="dossier du contenu (défaut : AIDESS_CONTENT)"
    )
    envoyer.set_defaults(func=send)
    effacer = actions.add_parser("effacer", help="effacer les alertes d'une adresse")
    effacer.add_argument("email", help="adresse électronique")
    effacer.set_defaults(func=erase)


def register(sub: Subparsers) -> None:
    """Add the alerts' subcommands to the `aidess` command."""
    _add_alertes(sub)
