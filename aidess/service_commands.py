"""The form service's subcommands of `aidess`: route, serve, outbox, purge (the command is
assembled in aidess/cli.py)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import time
from collections.abc import Callable

from aidess.dossier_commands import add_dossiers
from aidess.serve_command import add_serve
from aidess.service_commands_common import fail as _fail
from aidess.service_commands_common import open_database
from aidess.service_commands_common import setup_logging as _logging
from form_service.settings import ConfigError
from generator.cli import Subparsers, with_content
from generator.content.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES


def _positive(value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"« {value} » : un nombre entier d'au moins 1")
    return number


def route(args: argparse.Namespace) -> int:
    """Print who would receive a request, as JSON (docs/interfaces.md §3)."""
    from form_service.app import load_catalog
    from form_service.requests.dispatch import Profile
    from form_service.requests.dispatch import route as choose
    from form_service.settings import Settings
    from generator.content.places import find_commune
    from generator.content.territories import reference

    departement = str(args.departement).upper().removeprefix("DEP-")
    if departement not in reference().departments:
        return _fail(f"département inconnu « {args.departement} » (ex. 59, 2A, 971)")
    commune = None
    if args.commune:  # a code, as the API: « --commune 59512 »; a name or « 59100 Roubaix » too
        commune, reason = find_commune(args.commune, departement, typed=False)
        if commune is None:
            return _fail(f"--commune : {reason}")
    if len(set(args.besoins)) > 5:
        return _fail("5 besoins au plus")
    try:
        catalog = load_catalog(
            Settings(
                site_url="", mail_from="", fallback_email="", smtp_host="", content=args.content
            )
        )
    except ConfigError as exc:
        return _fail(str(exc))
    aide_reseaux: list[str] = []
    if args.aide:
        if args.aide not in catalog.aides:
            return _fail(f"aide inconnue « {args.aide} »")
        aide_reseaux = catalog.aides[args.aide].data.reseaux
    profile = Profile(
        departement=departement,
        forme=args.forme,
        effectif=args.effectif,
        secteur=args.secteur,
        besoins=tuple(dict.fromkeys(args.besoins)),
        etape=args.etape,
        aide=args.aide,
        commune=commune.code if commune else None,
    )
    reseaux = {slug: record.data for slug, record in catalog.reseaux.items()}
    routing = choose(profile, reseaux, aide_reseaux)
    print(json.dumps(routing.as_json(), ensure_ascii=False, indent=2))
    return 0


def service(args: argparse.Namespace) -> int:
    """The form service in production: configured by AIDESS_*, under uvicorn with only the
    configured proxies trusted and the limits of form_service/server.py; with --workers N
    (PostgreSQL only), N processes on one port (form_service/workers.py)."""
    from form_service import workers
    from form_service.app import create_app
    from form_service.db.database import Postgres
    from form_service.server import server
    from form_service.settings import from_env

    _logging()
    try:
        settings = from_env(os.environ)
    except ConfigError as exc:
        return _fail(str(exc))
    if args.workers > 1 and not isinstance(settings.database, Postgres):
        return _fail(
            f"--workers {args.workers} : plusieurs workers demandent PostgreSQL "
            "(AIDESS_DATABASE=postgresql://…) ; avec un fichier SQLite, un seul worker"
        )

    def prepare() -> Callable[[list[socket.socket] | None], None] | int:
        # With --workers, in each forked worker: its own app, database pool and event loop.
        try:
            app = create_app(settings)
        except ConfigError as exc:
            return _fail(str(exc))
        return server(app, settings, args.host, args.port, access_log=not args.no_access_log).run

    try:
        if args.workers > 1:
            return workers.run(prepare, args.host, args.port, args.workers)
        # Bound here rather than by uvicorn: a port in use gets a French message.
        sock = workers.bound_socket(args.host, args.port)
    except workers.PortTaken as exc:
        return _fail(f"{exc.strerror} : arrêtez-le, ou choisissez un autre --port")
    serve = prepare()
    if isinstance(serve, int):
        sock.close()
        return serve
    sock.listen(workers.BACKLOG)
    serve([sock])
    return 0


def outbox(args: argparse.Namespace) -> int:
    """Send queued emails: one pass with --once, else until interrupted."""
    from form_service.app import outbox_worker, smtp_mailer
    from form_service.db.database import Database, DatabaseBusy
    from form_service.outbox import queries as outbox_queries
    from form_service.settings import from_env

    _logging()
    try:
        settings = from_env(os.environ)
    except ConfigError as exc:
        return _fail(str(exc))
    storage = Database(settings.database, settings.busy_timeout)
    storage.migrate()
    worker = outbox_worker(settings, storage, smtp_mailer(settings))
    try:
        while True:
            try:
                report = worker.run_once()
            except DatabaseBusy:
                logging.getLogger("aidess.outbox").warning("base occupée, nouvel essai")
            else:
                if args.once:
                    print(
                        f"{report.sent} envoyé(s), {report.retried} reporté(s), "
                        f"{report.failed} en échec ; en attente : {outbox_queries.counts(storage)}"
                    )
                    return 1 if report.failed else 0
            time.sleep(settings.outbox_poll)
    except KeyboardInterrupt:
        return 0
    finally:
        storage.close()


def purge(args: argparse.Namespace) -> int:
    """Erase personal data older than the retention period; keep anonymous counts."""
    from form_service import retention
    from form_service.alerts import run
    from form_service.db.database import DatabaseError
    from form_service.propositions import queries as proposal_queries
    from form_service.settings import retention_days
    from form_service.signalements import queries as signalement_queries

    try:
        days = args.older_than if args.older_than is not None else retention_days(os.environ)
        if days < 0:
            raise ConfigError("--older-than : nombre de jours positif attendu")
    except ConfigError as exc:
        return _fail(str(exc))
    storage = open_database()
    if isinstance(storage, int):
        return storage
    try:
        now = time.time()
        before = now - days * 86400
        count = retention.purge(storage, before, now)
        reports = signalement_queries.purge(storage, before, now)
        proposals = proposal_queries.purge(storage, before, now)
        alerts = run.purge(storage, now)
        # Once more after every erasure (retention.purge checkpoints after the requests
        # only): no erased report, address or alert stays in SQLite's WAL.
        storage.checkpoint()
    except DatabaseError as exc:
        return _fail(f"base {storage.target} : {exc}")
    finally:
        storage.close()
    print(f"{count} demande(s) anonymisée(s) (plus de {days} jours)")
    print(f"{reports} signalement(s) effacé(s) (plus de {days} jours)")
    print(f"{proposals} adresse(s) de proposition effacée(s) (plus de {days} jours)")
    print(f"{alerts} alerte(s) non confirmée(s) sous 7 jours effacée(s)")
    return 0


def _add_route(sub: Subparsers) -> None:
    p = with_content(sub.add_parser("route", help="qui recevrait une demande de rappel"))
    p.add_argument("--departement", required=True, help="code du département, ex. 59")
    p.add_argument("--forme", required=True, choices=list(STRUCTURES))
    p.add_argument("--effectif", required=True, choices=list(EFFECTIFS))
    p.add_argument("--secteur", required=True, choices=list(SECTEURS))
    p.add_argument(
        "--besoin",
        action="append",
        required=True,
        choices=list(BESOINS),
        dest="besoins",
        help="à répéter, de 1 à 5 fois",
    )
    p.add_argument("--etape", choices=list(ETAPES))
    p.add_argument("--aide", help="identifiant de l'aide d'où vient la demande")
    p.add_argument("--commune", help="code INSEE (ex. 59512) ou nom de la commune")
    p.set_defaults(func=route)


def _add_service(sub: Subparsers) -> None:
    p = sub.add_parser("service", help="le service de formulaire seul, en production")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--no-access-log",
        action="store_true",
        dest="no_access_log",
        help="pas de ligne par requête (le proxy les journalise déjà)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processus servant le même port (plus d'un : PostgreSQL seulement)",
    )
    p.set_defaults(func=service)


def _add_outbox(sub: Subparsers) -> None:
    p = with_content(sub.add_parser("outbox", help="envoyer les courriels en attente"))
    p.add_argument("--once", action="store_true", help="un seul passage, puis s'arrêter")
    p.set_defaults(func=outbox)


def _add_purge(sub: Subparsers) -> None:
    p = sub.add_parser("purge", help="effacer les données personnelles échues")
    p.add_argument(
        "--older-than", type=int, dest="older_than", help="jours (défaut : AIDESS_RETENTION_DAYS)"
    )
    p.set_defaults(func=purge)


# One function per subcommand: it adds its parser and sets `func` (args -> exit code).
COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_serve,
    _add_service,
    _add_route,
    _add_outbox,
    _add_purge,
    add_dossiers,
)


def register(sub: Subparsers) -> None:
    """Add this package's subcommands to the `aidess` command."""
    for add in COMMANDS:
        add(sub)
