"""The HTTP headers a static host should send with the built site (README, « Deploying »):
how long each file may be cached, and the security headers the pages are built to allow.

The browser tests serve the site with these headers (tests/e2e/test_headers.py): a page or a
Pagefind search that a header would break fails there, not in production."""

from __future__ import annotations

import posixpath

from generator.assets import HASHED

YEAR = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # kept, but checked with the server (ETag / Last-Modified) every time
PRIVATE = "no-store"  # the form service's answers: a dossier, a form sent back with its values
SERVICE_PATHS = ("/demandes", "/signalements", "/dossiers/")
# Pagefind's index, filter, fragment and metadata files are named by their content.
PAGEFIND_HASHED = (".pf_index", ".pf_filter", ".pf_fragment", ".pf_meta")

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
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("object-src", "'none'"),
)
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES)

REFERRER_POLICY = "strict-origin-when-cross-origin"  # keeps the Origin the form service checks
# A dossier page's URL holds its key: the service sends `same-origin` itself, and a host must
# not send a second, weaker Referrer-Policy after it (the last one wins).
OWN_REFERRER_POLICY = ("/dossiers/",)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
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


def referrer_policy(path: str) -> str | None:
    """The Referrer-Policy a host adds, or None where the form service sends its own."""
    return None if path.startswith(OWN_REFERRER_POLICY) else REFERRER_POLICY


def headers_for(path: str) -> dict[str, str]:
    """Every header a host adds to the response for `path`."""
    headers = {"Cache-Control": cache_control(path), **SECURITY_HEADERS}
    policy = referrer_policy(path)
    if policy is not None:
        headers["Referrer-Policy"] = policy
    return headers
