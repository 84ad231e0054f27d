"""The `aidess` command: one subcommand per job, each delegating to its module."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from generator.vocabularies import BESOINS, EFFECTIFS, ETAPES, SECTEURS, STRUCTURES


def _validate(args: argparse.Namespace) -> int:
    from generator.catalog import load
    from generator.issues import errors, warnings

    _, issues = load(args.content, date.today())
    for issue in issues:
        print(issue.format())
    n_err, n_warn = len(errors(issues)), len(warnings(issues))
    print(f"{n_err} erreur(s), {n_warn} avertissement(s)")
    return 1 if n_err else 0


def _new(args: argparse.Namespace) -> int:
    from generator.scaffold import create

    try:
        path = create(args.content, args.kind, args.titre, date.today())
    except (FileExistsError, ValueError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from generator.model import json_schema

    print(json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2))
    return 0


def _build(args: argparse.Namespace) -> int:
    from generator.build import build

    return build(args.content, args.out, date.today())


def _route(args: argparse.Namespace) -> int:
    from form_service.commands import route

    return route(args)


def _serve(args: argparse.Namespace) -> int:
    from form_service.commands import serve

    return serve(args)


def _outbox(args: argparse.Namespace) -> int:
    from form_service.commands import outbox

    return outbox(args)


def _purge(args: argparse.Namespace) -> int:
    from form_service.commands import purge

    return purge(args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="aidess",
        description="AidESS : annuaire des aides de l'ESS et service de mise en relation.",
    )
    sub = root.add_subparsers(dest="command", required=True)

    def with_content(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            help="dossier du contenu (défaut : content)",
        )
        return p

    with_content(sub.add_parser("validate", help="vérifier tout le contenu")).set_defaults(
        func=_validate
    )

    build = with_content(sub.add_parser("build", help="construire le site statique"))
    build.add_argument("--out", type=Path, default=Path("site"), help="dossier de sortie")
    build.set_defaults(func=_build)

    serve = with_content(sub.add_parser("serve", help="tout le produit sur 127.0.0.1"))
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--out", type=Path, default=Path("site"))
    serve.set_defaults(func=_serve)

    route = with_content(sub.add_parser("route", help="qui recevrait une demande de rappel"))
    route.add_argument("--departement", required=True, help="code du département, ex. 59")
    route.add_argument("--forme", required=True, choices=list(STRUCTURES))
    route.add_argument("--effectif", required=True, choices=list(EFFECTIFS))
    route.add_argument("--secteur", required=True, choices=list(SECTEURS))
    route.add_argument(
        "--besoin",
        action="append",
        required=True,
        choices=list(BESOINS),
        dest="besoins",
        help="à répéter, de 1 à 5 fois",
    )
    route.add_argument("--etape", choices=list(ETAPES))
    route.add_argument("--aide", help="identifiant de l'aide d'où vient la demande")
    route.set_defaults(func=_route)

    new = with_content(sub.add_parser("new", help="créer un fichier à compléter"))
    new.add_argument("kind", choices=["aide", "reseau"])
    new.add_argument("titre")
    new.set_defaults(func=_new)

    schema = sub.add_parser("schema", help="schéma JSON d'un type de contenu")
    schema.add_argument("kind", choices=["aide", "reseau"])
    schema.set_defaults(func=_schema)

    outbox = with_content(sub.add_parser("outbox", help="envoyer les courriels en attente"))
    outbox.add_argument("--once", action="store_true", help="un seul passage, puis s'arrêter")
    outbox.set_defaults(func=_outbox)

    purge = sub.add_parser("purge", help="effacer les données personnelles échues")
    purge.add_argument(
        "--older-than", type=int, dest="older_than", help="jours (défaut : AIDESS_RETENTION_DAYS)"
    )
    purge.set_defaults(func=_purge)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
