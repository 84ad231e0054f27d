"""The built site over loopback HTTP as a CDN would serve it: static files, gzip on the fly
for text (Pagefind's index files are already compressed), `index.html` for folders.

`BENCH_SITE_DIR=site uvicorn bench.static_app:app`
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

app = Starlette(
    routes=[Mount("/", StaticFiles(directory=os.environ.get("BENCH_SITE_DIR", "site"), html=True))],
    middleware=[
        Middleware(
            GZipMiddleware,
            minimum_size=500,
            compresslevel=6,  # nginx's and most CDNs' usual level
            # Pagefind's index, fragments and WASM are gzipped files already.
            exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/octet-stream"),
        )
    ],
)
