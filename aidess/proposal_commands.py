"""`aidess propositions lister | importer ID` (docs/interfaces.md §4, §9): the aids proposed
on the site, and one of them written into the content for a pull request (the command is
assembled in aidess/cli.py)."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from aidess.service_commands_common import fail, open_database
from generator.cli import Subparsers, with_content


def lister(args: argparse.Namespace) -> int:
    """One line per proposal, newest first: id, day, imported or not, file, title."""
    from form_service.propositions import queries

    storage = open_database()
    if isinstance(storage, int):
        return storage
    try:
        found = queries.listing(storage)
    finally:
        storage.close()
    if not found:
        print("aucune proposition")
        return 0
    for p in found:
        day = datetime.fromtimestamp(p.created, UTC).strftime("%Y-%m-%d")
        state = "importée" if p.imported else "à relire"
        print(f"{p.id[:8]}  {day}  {state:9}  {p.slug}.md  {p.titre}")
    print(f"{len(found)} proposition(s) ; « aidess propositions importer ID » pour en importer une")
    return 0


def importer(args: argparse.Namespace) -> int:
    """Write the proposal's file into content/aides/; never over an existing file."""
    from form_service.propositions import queries

    prefix = args.id.strip().lower()
    if len(prefix) < 4:
        return fail("donnez au moins les 4 premiers caractères de l'identifiant")
    storage = open_database()
    if isinstance(storage, int):
        return storage
    try:
        found = queries.find(storage, prefix)
        if len(found) != 1:
            return fail(
                f"aucune proposition « {args.id} » (voir « aidess propositions lister »)"
                if not found
                else f"« {args.id} » désigne {len(found)} propositions : donnez plus de caractères"
            )
        (proposal,) = found
        path = args.content / "aides" / f"{proposal.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(proposal.fichier)
        except FileExistsError:
            return fail(f"{path} existe déjà : rien n'a été écrit")
        queries.mark_imported(storage, proposal.id, time.time())
    finally:
        storage.close()
    print(path)
    print(
        "Vérifiez chaque champ sur la page officielle, mettez « mise_a_jour » au jour de cette "
        "vérification, puis « aidess validate »."
    )
    return 0


def _add_propositions(sub: Subparsers) -> None:
    p = sub.add_parser("propositions", help="les aides proposées sur le site")
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("lister", help="lister les propositions").set_defaults(func=lister)
    imp = with_content(
        actions.add_parser("importer", help="écrire une proposition dans le contenu")
    )
    imp.add_argument("id", help="identifiant (ses 8 premiers caractères suffisent)")
    imp.set_defaults(func=importer)


def register(sub: Subparsers) -> None:
    """Add the proposals' subcommands to the `aidess` command."""
    _add_propositions(sub)
