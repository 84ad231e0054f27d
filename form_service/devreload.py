"""`aidess serve` only: the built site's pages reload themselves after a rebuild, so an editor
sees the page change as they save. Each HTML page gets a small script that asks
/dev/version once a second; the version changes when the site folder is swapped."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

SCRIPT_URL = "/dev/rechargement.js"
TAG = f'<script src="{SCRIPT_URL}" defer></script>'
SCRIPT = """(function () {
  "use strict";
  var known = null;
  function look() {
    fetch("/dev/version", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) {
        if (!v) { return; }
        if (known !== null && v.version !== known) { window.location.reload(); return; }
        known = v.version;
      })
      .catch(function () {})
      .then(function () { window.setTimeout(look, 1000); });
  }
  look();
})();
"""


def version(site_dir: Path) -> str:
    """Changes each time the build swaps a new site folder in (a new directory)."""
    try:
        stat = os.stat(site_dir)
    except FileNotFoundError:  # between the two renames of a swap
        return ""
    return f"{stat.st_ino}-{stat.st_mtime_ns}"


class LiveStaticFiles(StaticFiles):
    """StaticFiles whose HTML pages load the reload script."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if isinstance(response, FileResponse) and response.media_type == "text/html":
            html = Path(response.path).read_text(encoding="utf-8")
            html = html.replace("</body>", f"{TAG}</body>", 1)
            return HTMLResponse(html, response.status_code, headers={"Cache-Control": "no-store"})
        return response


def routes(site_dir: Path) -> list[BaseRoute]:
    async def current(request: Request) -> Response:
        return JSONResponse({"version": version(site_dir)}, headers={"Cache-Control": "no-store"})

    async def script(request: Request) -> Response:
        return Response(SCRIPT, media_type="text/javascript")

    return [
        Route("/dev/version", current, methods=["GET"]),
        Route(SCRIPT_URL, script, methods=["GET"]),
    ]
