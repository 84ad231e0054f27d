"""The site's subcommands of `aidess` (validate, build, new, schema), each delegating to its
module. The command itself is assembled in aidess/cli.py; this package never imports
form_service."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeAlias

# What add_subparsers() returns (a private class of argparse, hence the string).
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _validate(args: argparse.Namespace) -> int:
    from generator.annotations import github
    from generator.content.catalog import load
    from generator.content.issues import Severity, errors
    from generator.report import report

    _, issues = load(args.content, date.today())
    if args.format == "github":
        # One annotation per problem, errors first: GitHub shows each on its line.
        shown = [i for i in issues if i.severity is Severity.ERROR]
        if not args.erreurs_seulement:
            shown += [i for i in issues if i.severity is not Severity.ERROR]
        lines = [github(i) for i in shown] + [report(issues, errors_only=True)[-1]]
    else:
        lines = report(issues, args.erreurs_seulement, args.avertissements)
    for line in lines:
        print(line)
    return 1 if errors(issues) else 0


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
    from generator.content.model import json_schema

    print(json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2))
    return 0


def _build(args: argparse.Namespace) -> int:
    from generator.build import build

    return build(args.content, args.out, date.today())


def _fraicheur(args: argparse.Namespace) -> int:
    from generator.freshness import table
    from generator.freshness_content import load_fiches

    if args.mois < 0:
        print("erreur : --mois doit être positif ou nul", file=sys.stderr)
        return 2
    items, problems = load_fiches(args.content, date.today(), args.mois)
    print(table(items))
    if problems:
        print(
            f"{problems} fichier(s) invalide(s) non examiné(s) : lancez « aidess validate »",
            file=sys.stderr,
        )
    return 0


def _liens(args: argparse.Namespace) -> int:
    from generator.links import run

    return run(args.content, args.concurrence, args.timeout)


def with_content(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the --content option most subcommands share."""
    p.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        help="dossier du contenu (défaut : content)",
    )
    return p


def _add_validate(sub: Subparsers) -> None:
    validate = with_content(sub.add_parser("validate", help="vérifier tout le contenu"))
    validate.add_argument(
        "--format",
        choices=["texte", "github"],
        default="texte",
        help="github : annotations de GitHub Actions (::error file=…,line=…::message)",
    )
    shown = validate.add_mutually_exclusive_group()
    shown.add_argument(
        "--erreurs-seulement",
        action="store_true",
        dest="erreurs_seulement",
        help="n'afficher que les erreurs (et le total)",
    )
    shown.add_argument(
        "--avertissements",
        action="store_true",
        help="afficher chaque avertissement, même ceux qui se répètent",
    )
    validate.set_defaults(func=_validate)


def _add_build(sub: Subparsers) -> None:
    build = with_content(sub.add_parser("build", help="construire le site statique"))
    build.add_argument("--out", type=Path, default=Path("site"), help="dossier de sortie")
    build.set_defaults(func=_build)


def _add_new(sub: Subparsers) -> None:
    new = with_content(sub.add_parser("new", help="créer un fichier à compléter"))
    new.add_argument("kind", choices=["aide", "reseau"])
    new.add_argument("titre")
    new.set_defaults(func=_new)


def _add_schema(sub: Subparsers) -> None:
    schema = sub.add_parser("schema", help="schéma JSON d'un type de contenu")
    schema.add_argument("kind", choices=["aide", "reseau"])
    schema.set_defaults(func=_schema)


def _add_fraicheur(sub: Subparsers) -> None:
    fraicheur = with_content(sub.add_parser("fraicheur", help="les fiches à revérifier"))
    fraicheur.add_argument(
        "--mois", type=int, default=12, help="fiches non vérifiées depuis ce nombre de mois"
    )
    fraicheur.set_defaults(func=_fraicheur)


def _add_liens(sub: Subparsers) -> None:
    liens = with_content(sub.add_parser("liens", help="vérifier les liens du contenu"))
    liens.add_argument("--concurrence", type=int, default=8, help="requêtes simultanées")
    liens.add_argument("--timeout", type=float, default=15.0, help="délai par requête (s)")
    liens.set_defaults(func=_liens)


# One function per subcommand: it adds its parser and sets `func` (args -> exit code).
COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    _add_validate,
    _add_build,
    _add_new,
    _add_schema,
    _add_fraicheur,
    _add_liens,
)


def register(sub: Subparsers) -> None:
    """Add this package's subcommands to the `aidess` command (see aidess/cli.py)."""
    for add in COMMANDS:
        add(sub)
