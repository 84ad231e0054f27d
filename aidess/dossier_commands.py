"""`aidess dossiers relancer` (the reminders, from cron) and `aidess dossiers stats`."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, date, datetime

from aidess.service_commands_common import fail, open_database
from form_service.settings import ConfigError
from generator.cli import Subparsers


def relancer(args: argparse.Namespace) -> int:
    """Run the reminders that are due; their mails go out through the outbox."""
    from form_service.app import load_catalog
    from form_service.db.database import Database, DatabaseBusy
    from form_service.dossiers.jobs import run_due
    from form_service.dossiers.wiring import env_for
    from form_service.settings import from_env

    try:
        settings = from_env(os.environ)
        catalog = load_catalog(settings)
    except ConfigError as exc:
        return fail(str(exc))
    storage = Database(settings.database, settings.busy_timeout)
    try:
        storage.migrate()
        report = run_due(storage, env_for(settings, catalog))
    except DatabaseBusy:
        return fail("base occupée : relancez la commande dans un instant")
    finally:
        storage.close()
    print(
        f"{report.relances} relance(s), {report.coordinations} dossier(s) au coordinateur, "
        f"{report.sans_suite} clos sans suite ; {report.mails} courriel(s) en file "
        "(envoyés par le service ou aidess outbox)"
    )
    return 0


def stats(args: argparse.Namespace) -> int:
    """Per department × need: requests, taken, median working hours to the first
    « prendre », sans-suite. No personal data."""
    from form_service.dossiers import queries as dossier_queries
    from form_service.dossiers.network_stats import as_csv as networks_csv
    from form_service.dossiers.network_stats import as_json as networks_json
    from form_service.dossiers.network_stats import by_network
    from form_service.dossiers.stats import as_csv, as_json, facts_of, lines

    since = None
    if args.depuis:
        try:
            since = datetime.combine(date.fromisoformat(args.depuis), datetime.min.time(), UTC)
        except ValueError:
            return fail(f"--depuis : date invalide « {args.depuis} » (attendu AAAA-MM-JJ)")
    storage = open_database()
    if isinstance(storage, int):
        return storage
    try:
        with storage.connect() as conn:
            loaded = [dossier_queries.load(conn, i) for i in dossier_queries.all_ids(conn)]
            dossiers = [item.dossier for item in loaded if item is not None]
    finally:
        storage.close()
    if args.par == "reseau":
        per_network = by_network(dossiers, since)
        out = networks_json(per_network) if args.format == "json" else networks_csv(per_network)
        print(out, end="\n" if args.format == "json" else "")
        return 0
    facts = [facts_of(d) for d in dossiers]
    result = lines(facts, since, par=args.par)
    print(as_json(result, args.par) if args.format == "json" else as_csv(result, args.par), end="")
    if args.format == "json":
        print()
    return 0


def add_dossiers(sub: Subparsers) -> None:
    p = sub.add_parser("dossiers", help="relances et statistiques des dossiers")
    actions = p.add_subparsers(dest="dossiers_command", required=True)
    r = actions.add_parser("relancer", help="envoyer les relances dues (à lancer par cron)")
    r.set_defaults(func=relancer)
    s = actions.add_parser(
        "stats", help="statistiques anonymes par territoire et besoin, ou par réseau"
    )
    s.add_argument("--depuis", help="date de début (AAAA-MM-JJ)")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument(
        "--par",
        choices=["departement", "region", "reseau"],
        default="departement",
        help="département × besoin (défaut), région × besoin, ou par réseau (refus, délais)",
    )
    s.set_defaults(func=stats)
