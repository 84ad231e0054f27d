"""The HTTP headers a static host should send with the built site (docs/operations.md,
« Static-site headers »): how long each file may be cached, and the security headers the
pages are built to allow.

The browser tests serve the site with these headers (tests/e2e/test_headers.py): a page or a
Pagefind search that a header would break fails there, not in production."""

from __future__ import annotations

import posixpath

from generator.assets import HASHED

YEAR = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # kept, but checked with the server (ETag / Last-Modified) every time
PRIVATE = "no-store"  # the form service's answers: a dossier, a form sent back with its values
SERVICE_PATHS = ("/demandes", "/signalements", "/propositions", "/dossiers/")
# Pagefind's index, filter, fragment and metadata files are named by their content.
PAGEFIND_HASHED = (".pf_index", ".pf_filter", ".pf_fragment", ".pf_meta")

# What both policies (the public site's and /admin/'s) forbid alike.
_HARDENING: tuple[tuple[str, str], ...] = (
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("object-src", "'none'"),
)


def _policy(directives: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives)


# Every script is a same-origin file (no inline script: theme/partials/javascripts/); Pagefind
# compiles its WebAssembly ('wasm-unsafe-eval') and runs it in a same-origin worker; Material's
# stylesheet draws its icons with data: SVG images.
CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    *_HARDENING,
)
CONTENT_SECURITY_POLICY = _policy(CSP_DIRECTIVES)

# /admin/ is Decap CMS (generator/cms.py), a React application with needs of its own
# (tests/e2e/test_admin.py runs it under this policy, and shows the public one breaks it):
# it injects its styles at run time ('unsafe-inline' styles), compiles its configuration's
# JSON Schema with `new Function` ('unsafe-eval'), shows editors' avatars and media previews
# (HTTPS and blob: images), and talks to the Git host's API (Decap's default `api_root`s).
# Its default script is Decap's pinned build on unpkg (generator/cms.py, checked by its SRI
# hash), which loads its chunks from the same folder.
# Its GitHub login reads the answer of the OAuth popup it opens (`window.opener`), which
# `Cross-Origin-Opener-Policy: same-origin` would cut.
ADMIN_PATH = "/admin/"
ADMIN_CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'unsafe-eval' https://unpkg.com"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob: https:"),
    ("connect-src", "'self' https://api.github.com https://gitlab.com"),
    *_HARDENING,
)
ADMIN_CONTENT_SECURITY_POLICY = _policy(ADMIN_CSP_DIRECTIVES)
OPENER_POLICY = "same-origin"
ADMIN_OPENER_POLICY = "same-origin-allow-popups"

REFERRER_POLICY = "strict-origin-when-cross-origin"  # keeps the Origin the form service checks
# A dossier page's URL holds its key: the service sends `same-origin` itself, and a host must
# not send a second, weaker Referrer-Policy after it (the last one wins).
OWN_REFERRER_POLICY = ("/dossiers/",)
# The same on every path (only the CSP and COOP above depend on it: `content_security_policy`).
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def cache_control(path: str) -> str:
    """`Cache-Control` for a file of the built site, by its URL path."""
    name = posixpath.basename(path)
    if path.startswith(SERVICE_PATHS):
        return PRIVATE
    if HASHED.search(name) or (path.startswith("/pagefind/") and name.endswith(PAGEFIND_HASHED)):
        return YEAR
    # Pages, open data, and Pagefind's entry points (pagefind.js, its worker, its WebAssembly,
    # pagefind-entry.json) keep their names from one build to the next.
    return REVALIDATE


def is_admin(path: str) -> bool:
    return path.startswith(ADMIN_PATH) or path == ADMIN_PATH.rstrip("/")


def content_security_policy(path: str) -> str:
    return ADMIN_CONTENT_SECURITY_POLICY if is_admin(path) else CONTENT_SECURITY_POLICY


def opener_policy(path: str) -> str:
    return ADMIN_OPENER_POLICY if is_admin(path) else OPENER_POLICY


def referrer_policy(path: str) -> str | None:
    """The Referrer-Policy a host adds, or None where the form service sends its own."""
    return None if path.startswith(OWN_REFERRER_POLICY) else REFERRER_POLICY


def headers_for(path: str) -> dict[str, str]:
    """Every header a host adds to the response for `path`."""
    headers = {
        "Cache-Control": cache_control(path),
        "Content-Security-Policy": content_security_policy(path),
        "Cross-Origin-Opener-Policy": opener_policy(path),
        **SECURITY_HEADERS,
    }
    policy = referrer_policy(path)
    if policy is not None:
        headers["Referrer-Policy"] = policy
    return headers
