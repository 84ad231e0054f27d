"""Cache and security headers for a static host (generator/headers.py), and the nginx example of
docs/operations.md kept true to them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.headers import (
    ADMIN_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    PRIVATE,
    REVALIDATE,
    SECURITY_HEADERS,
    YEAR,
    cache_control,
    content_security_policy,
    headers_for,
    opener_policy,
    referrer_policy,
)
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/assets/aidess/aidess.2acae5b9.css", YEAR),
        ("/assets/stylesheets/main.57a0d79d.min.css", YEAR),
        ("/assets/images/favicon.023854c4.png", YEAR),
        ("/pagefind/fragment/fr_1154625.pf_fragment", YEAR),
        ("/pagefind/pagefind.fr_bfdff3571e.pf_meta", YEAR),
        ("/pagefind/index/fr_fbced3b.pf_index", YEAR),
        ("/pagefind/filter/fr_1d87f95.pf_filter", YEAR),
        ("/pagefind/pagefind.js", REVALIDATE),
        ("/pagefind/pagefind-entry.json", REVALIDATE),
        ("/pagefind/wasm.fr.pagefind", REVALIDATE),
        ("/aides/postes-fonjep/", REVALIDATE),
        ("/index.html", REVALIDATE),
        ("/donnees/aides.csv", REVALIDATE),
        ("/assets/aidess/aidess.css", REVALIDATE),  # an unhashed name must never be kept a year
        ("/dossiers/3f2a9c/", PRIVATE),  # personal data: never stored
        ("/demandes", PRIVATE),
        ("/signalements", PRIVATE),
        ("/demande/", REVALIDATE),
    ],
)
def test_only_content_named_files_are_cached_for_a_year(path: str, expected: str) -> None:
    assert cache_control(path) == expected


def _operations() -> str:
    return (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def _nginx_map(name: str) -> list[tuple[re.Pattern[str] | None, str]]:
    block = re.search(rf"map \$uri \${name} \{{\n(.*?)\n\}}", _operations(), re.DOTALL)
    assert block, f"docs/operations.md : bloc `map $uri ${name}` introuvable"
    rules: list[tuple[re.Pattern[str] | None, str]] = []
    for line in block.group(1).splitlines():
        match = re.fullmatch(r'\s*(?:"~(.+)"|(default))\s+"([^"]*)";', line)
        assert match, f"docs/operations.md : ligne de map illisible : {line!r}"
        pattern, _, value = match.groups()
        rules.append((re.compile(pattern) if pattern else None, value))
    return rules


def _nginx_value(rules: list[tuple[re.Pattern[str] | None, str]], uri: str) -> str:
    for pattern, value in rules:  # nginx: regular expressions in order, then the default
        if pattern is not None and pattern.search(uri):
            return value
    return next(value for pattern, value in rules if pattern is None)


def test_operations_nginx_map_agrees_on_every_built_file(real_site: Path) -> None:
    rules = _nginx_map("aidess_cache")
    files = [p for p in real_site.rglob("*") if p.is_file()]
    assert len(files) > 300
    service = ["/demandes", "/signalements", "/dossiers/3f2a9c/", "/dossiers/3f2a9c/actions"]
    wrong = [
        f"{uri}: nginx {_nginx_value(rules, uri)!r}, attendu {cache_control(uri)!r}"
        for uri in [*("/" + p.relative_to(real_site).as_posix() for p in files), *service]
        if _nginx_value(rules, uri) != cache_control(uri)
    ]
    assert not wrong, "\n".join(wrong)
    assert {cache_control("/" + p.relative_to(real_site).as_posix()) for p in files} == {
        YEAR,
        REVALIDATE,
    }


def test_operations_referrer_map_leaves_the_dossier_pages_their_own_policy() -> None:
    rules = _nginx_map("aidess_referrer")
    for uri in ("/", "/aides/postes-fonjep/", "/demandes", "/dossiers/3f2a9c/"):
        assert (_nginx_value(rules, uri) or None) == referrer_policy(uri), uri
    assert referrer_policy("/dossiers/3f2a9c/") is None
    assert "add_header Referrer-Policy $aidess_referrer always;" in _operations()


def test_operations_sends_every_security_header() -> None:
    operations = _operations()
    for name, value in SECURITY_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in operations, name
    assert "add_header Content-Security-Policy $aidess_csp always;" in operations
    assert "add_header Cross-Origin-Opener-Policy $aidess_opener always;" in operations


ADMIN_URIS = [
    "/admin",
    "/admin/",
    "/admin/index.html",
    "/admin/config.yml",
    "/admin/1077.decap-cms.js",
]


@pytest.mark.parametrize(
    ("uri", "admin"),
    [*((u, True) for u in ADMIN_URIS), ("/administration/", False), ("/aides/admin/", False)],
)
def test_only_the_admin_gets_decaps_policy(uri: str, admin: bool) -> None:
    headers = headers_for(uri)
    policy = ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
    assert headers["Content-Security-Policy"] == policy
    opener = "same-origin-allow-popups" if admin else "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == opener
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY  # the public site never needs it


def test_operations_csp_and_opener_maps_agree_on_every_built_file(real_site: Path) -> None:
    uris = ["/" + p.relative_to(real_site).as_posix() for p in real_site.rglob("*") if p.is_file()]
    for name, rule in (("aidess_csp", content_security_policy), ("aidess_opener", opener_policy)):
        rules = _nginx_map(name)
        wrong = [
            f"{uri}: nginx {_nginx_value(rules, uri)!r}, attendu {rule(uri)!r}"
            for uri in [*uris, *ADMIN_URIS, "/administration/"]
            if _nginx_value(rules, uri) != rule(uri)
        ]
        assert not wrong, "\n".join(wrong)
