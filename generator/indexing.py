"""Search index: Pagefind (French) over one small document per aid, built by its own process
(generator/search_worker.py) while MkDocs renders the pages, then moved into the site.

Only what a search matches on is indexed (title, summary, body, carriers and their acronyms,
the French labels of the aid's vocabulary, its territory names: generator/search_terms.py),
with the result card's meta (generator/result_cards.py), the deadline sort, the default
listing's order and the filters of docs/interfaces.md §2: not the page chrome."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from markupsafe import Markup

from generator.bodies import Bodies
from generator.content.rank_features import without_text
from generator.enrich import AideEntry, Site
from generator.listings import facet_values
from generator.pages import render
from generator.result_cards import card, ranks
from generator.search_terms import acronyms, deadline_key, labels, territory_names

BUNDLE = "pagefind"  # served at /pagefind/, where the home page's script loads it
DOCUMENTS = "recherche"  # work folder of the search documents
# A page's fragment: `fragment/<result id>.pf_fragment`, gzip of this signature then JSON.
FRAGMENTS = "fragment"
FRAGMENT_SIGNATURE = b"pagefind_dcd"


class IndexError_(RuntimeError):
    """Pagefind did not index what we expected."""


def search_document(entry: AideEntry, body: str, ordre: str = "") -> dict[str, str]:
    """One aid's search document: its path (hence its result URL) and its HTML, with the
    body already converted for the page (generator/bodies.py). Its sorts (each costs Pagefind
    ~2 bytes per page in its metadata, loaded by every first search): `pertinence`, its place
    in the default listing (`ordre`, generator/result_cards.py `ranks`); `cloture` (« échéance
    »), its deadline then that place; `nouveautes`, its last check date then that place. The
    `classement` meta is what the browser re-ranks it with (generator/content/rank_features.py
    without the title and summary, already meta)."""
    aide = entry.data
    suffix = f"-{ordre}" if ordre else ""
    html = render(
        "recherche.html",
        aide=aide,
        body=Markup(body),
        card=card(entry),
        cloture=deadline_key(entry) + suffix,
        nouveautes=aide.mise_a_jour.isoformat() + suffix,
        pertinence=ordre,
        classement=json.dumps(
            without_text(entry.features),
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        sigles=acronyms(entry, body),
        labels=labels(entry),
        lieux=territory_names(aide.territoires),
        filters=facet_values(entry),
    )
    return {"path": f"aides/{entry.slug}/index.html", "html": html}


class IndexJob:
    """The worker process indexing the aids; `finish` waits for it and moves the bundle."""

    def __init__(self, site: Site, bodies: Bodies, work: Path) -> None:
        self.work = work
        self.expected = len(site.aides)
        documents = work / f"{DOCUMENTS}.jsonl"
        order = ranks(site)
        with documents.open("w", encoding="utf-8") as out:
            for slug, entry in site.aides.items():
                document = search_document(entry, bodies.aides[slug].html, order[slug])
                out.write(json.dumps(document, ensure_ascii=False) + "\n")
        self.log = work / f"{DOCUMENTS}.log"
        argv = [sys.executable, "-m", "generator.search_worker", str(documents)]
        argv += [str(work / DOCUMENTS), str(work / BUNDLE), str(self.expected)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)

    def finish(self, site_dir: Path) -> int:
        """Wait for the index, move its bundle into `site_dir`; return the pages indexed."""
        if self.process.wait() != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise IndexError_(f"l'index de recherche a échoué : {tail.strip()}")
        shutil.move(self.work / BUNDLE, site_dir / BUNDLE)
        return self.expected

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def page_ids(bundle: Path) -> dict[str, str]:
    """Each indexed page's URL → the id Pagefind's search gives its result (the name of its
    fragment file, e.g. `fr_6b3a4c4`), read from the bundle: it hashes each fragment, so it
    is known only once the index is written. The territory listings carry it, so a word
    search within a territory joins Pagefind's results to its listing without loading a
    fragment per result (generator/listing_files.py `add_search_ids`)."""
    ids: dict[str, str] = {}
    for path in sorted((bundle / FRAGMENTS).glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise IndexError_(f"fragment de recherche illisible : {path.name}")
        fragment = json.loads(raw[len(FRAGMENT_SIGNATURE) :])
        ids[fragment["url"]] = path.name.removesuffix(".pf_fragment")
    return ids


@contextmanager
def start_index(site: Site, bodies: Bodies, work: Path) -> Iterator[IndexJob]:
    """Index the aids of `site` in the background; on any error, stop the worker."""
    job = IndexJob(site, bodies, work)
    try:
        yield job
    finally:
        job.stop()
