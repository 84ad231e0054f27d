"""`aidess serve`: the whole product on one machine for a newcomer — the site built, rebuilt
as content changes, and served with the form service and a local SMTP sink."""

from __future__ import annotations

import argparse
import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aidess.service_commands_common import fail as _fail
from aidess.service_commands_common import setup_logging as _logging
from form_service.settings import ConfigError
from generator.cli import Subparsers, with_content

if TYPE_CHECKING:  # the service and the build load only for `aidess serve` (a quick CLI)
    from generator.watch import Watcher


def serve(args: argparse.Namespace) -> int:
    """Build the site, then serve it with the form service and a local SMTP sink."""
    from form_service.app import create_app
    from form_service.devmail import MailSink
    from form_service.devserver import dev_settings, uvicorn_server
    from generator.build import build

    _logging()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: one line per event
    out: Path = args.out
    if build(args.content, out, date.today()):
        return _fail("la construction du site a échoué : rien n'est servi")
    url = f"http://{args.host}:{args.port}"
    var = Path(os.environ.get("AIDESS_VAR_DIR", "var"))
    with MailSink(var / "courriels") as sink:
        try:
            settings = dev_settings(args.content, out, var, url, sink.port)
            app = create_app(settings)
        except ConfigError as exc:
            return _fail(str(exc))
        print(
            f"AidESS : {url}/  ·  courriels reçus : {url}/dev/courriels  ·  SMTP local :{sink.port}"
        )
        watcher = _watch(args.content, out)
        try:
            uvicorn_server(app, settings, args.host, args.port).run()
        finally:
            watcher.stop()
    return 0


def _watch(content: Path, out: Path) -> Watcher:
    """Rebuild the site each time a content file changes; the open pages reload themselves
    (form_service/devreload.py). A build error is printed and the previous site stays."""
    from generator.build import build
    from generator.watch import Watcher

    def rebuild(changed: list[Path]) -> None:
        names = ", ".join(str(p) for p in changed[:3]) + (" …" if len(changed) > 3 else "")
        print(f"modification de {names} : reconstruction du site…", flush=True)
        if build(content, out, date.today()) == 0:
            print("site reconstruit : les pages ouvertes se rechargent", flush=True)
        else:
            print("le site n'a pas été reconstruit : corrigez les erreurs ci-dessus", flush=True)

    return Watcher(content, rebuild).start()


def add_serve(sub: Subparsers) -> None:
    p = with_content(sub.add_parser("serve", help="tout le produit sur 127.0.0.1"))
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--out", type=Path, default=Path("site"))
    p.set_defaults(func=serve)
