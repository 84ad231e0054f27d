"""Floor of the page-rendering stage: read the same aid files (YAML + Markdown) and render one
page each with Jinja2 and python-markdown alone, no MkDocs, no validation. The pages carry the
same kind of Pagefind markup as the site (body, filters, meta), so Pagefind can index them too.

`python -m bench.floor_jinja CONTENT OUT [--workers K]`
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
import yaml
from jinja2 import Environment, select_autoescape

from generator.content.matching import covered_departments
from generator.content.territories import reference

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ aide.titre }} · AidESS</title>
<meta name="description" content="{{ aide.resume }}">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header><a href="/">AidESS</a>
<nav aria-label="Navigation principale"><ul>
<li><a href="/">Rechercher une aide</a></li><li><a href="/reseaux/">Réseaux</a></li>
<li><a href="/territoires/">Territoires</a></li><li><a href="/demande/">Être rappelé</a></li>
<li><a href="/contribuer/">Contribuer</a></li></ul></nav></header>
<main data-pagefind-body>
<h1 data-pagefind-meta="title">{{ aide.titre }}</h1>
<p class="resume" data-pagefind-meta="resume">{{ aide.resume }}</p>
<dl>
<dt>Porteurs</dt><dd>{{ aide.porteurs | join(", ") }}</dd>
<dt>Territoires</dt><dd>{{ territoires }}</dd>
{% if aide.montant %}<dt>Montant</dt><dd>{{ aide.montant.texte }}</dd>{% endif %}
{% if aide.cloture %}<dt>Date limite</dt><dd>{{ aide.cloture }}</dd>{% endif %}
</dl>
<div data-pagefind-ignore hidden>
{% for key, values in filters.items() %}{% for value in values %}
<span data-pagefind-filter="{{ key }}">{{ value }}</span>
{% endfor %}{% endfor %}
</div>
{{ body | safe }}
<p><a class="button" href="/demande/?aide={{ slug }}">Être rappelé</a>
<a href="{{ aide.source }}">Page officielle</a></p>
</main>
<footer><a href="/donnees-personnelles/">Données personnelles</a> ·
<a href="/accessibilite/">Accessibilité</a> · <a href="/donnees/">Données ouvertes</a></footer>
</body>
</html>
"""

_env = Environment(autoescape=select_autoescape(default=True))
_template = _env.from_string(PAGE)


def _front(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data: dict[str, Any] = yaml.load(front, Loader=yaml.CSafeLoader)
    return data, body


def render_one(path: Path, out: Path) -> int:
    """Render one aid page; return the bytes written."""
    aide, body = _front(path)
    ref = reference()
    departments = covered_departments(aide["territoires"], aide.get("exclusions", []))
    filters = {
        "nature": aide["natures"],
        "besoin": aide["besoins"],
        "secteur": aide["secteurs"],
        "structure": aide["structures"],
        "departement": sorted(departments),
        "region": sorted({ref.departments[d].region for d in departments}),
    }
    html = _template.render(
        aide=aide,
        slug=path.stem,
        territoires=", ".join(ref.name(k) for k in aide["territoires"]),
        filters=filters,
        body=markdown.markdown(body, extensions=["sane_lists"]),
    )
    target = out / "aides" / path.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode()
    target.write_bytes(data)
    return len(data)


def _render_batch(paths: list[Path], out: Path) -> int:
    return sum(render_one(path, out) for path in paths)


def render_all(content: Path, out: Path, workers: int) -> int:
    paths = sorted((content / "aides").glob("*.md"))
    if workers <= 1:
        return _render_batch(paths, out)
    batches = [paths[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(_render_batch, batches, [out] * workers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    (args.out / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (args.out / "index.html").write_text(
        '<!doctype html><html lang="fr"><title>AidESS</title><body><main data-pagefind-body>'
        "<h1>AidESS</h1></main></body></html>",
        encoding="utf-8",
    )
    total = render_all(args.content, args.out, args.workers)
    print(f"{total} octets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
