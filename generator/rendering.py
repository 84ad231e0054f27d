"""Render the pages with MkDocs (strict) and mkdocs-material, the overrides in theme/, and a
small plugin that hands MkDocs each generated page: its Markdown source (from memory, not
from files), its title and its HTML."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from generator.assets import AssetNames, is_fingerprinted
from generator.bodies import Toc
from generator.pages import LazyPage, PageSpec, SitePage

# mkdocs.yml and theme/ live at the repository root, next to the package.
ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"
NAV_TEMPLATE = "partials/aidess-nav.html"
CONTENT_ID = "contenu"  # id of a generated page's content (theme/main.html): the skip link
# Material's drawer and search toggles are checkboxes with autocomplete="off", which HTML allows
# on text-like inputs only (the Nu Html Checker's error). They sit outside any template block,
# so the attribute is removed from the rendered page rather than by overriding base.html.
INVALID_MARKUP = tuple(
    (f'type="checkbox" id="__{name}" autocomplete="off">', f'type="checkbox" id="__{name}">')
    for name in ("drawer", "search")
)


class PagesPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Gives MkDocs what the generator computed, without front matter to parse per page."""

    def __init__(self, registry: dict[str, SitePage]) -> None:
        super().__init__()
        self.registry = registry
        self.env: Environment | None = None
        self.navs: dict[tuple[str, ...], str] = {}  # nav sidebars of pages out of the nav
        self.assets = AssetNames()

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Serve the theme's own static files under content-hashed names (generator/assets.py);
        templates name them through the `asset` filter."""
        for file in list(files):
            if file.is_static_page() or not is_fingerprinted(file.src_uri):
                continue
            served = self.assets.add(file.src_uri, file.content_bytes)
            files.remove(file)
            files.append(
                File(
                    file.src_uri,
                    file.src_dir,
                    file.dest_dir,
                    file.use_directory_urls,
                    dest_uri=served,
                    inclusion=file.inclusion,
                )
            )
        favicon = config.theme["favicon"]
        if favicon in self.assets.names:
            config.theme["favicon"] = self.assets(favicon)
        for src, spec in self.registry.items():
            # A leading blank line: MkDocs never reads the body as front matter ("Montant: …").
            files.append(File.generated(config, src, content="\n" + spec.markdown))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.registry.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = _escape(spec.title)
            if spec.hide:
                page.meta["hide"] = list(spec.hide)
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.registry.get(page.file.src_uri)
        if spec is not None and not len(page.toc):  # pages of HTML; Markdown ones keep theirs
            # Material links its skip link to the first entry and lists the children of a
            # first level-1 entry as the table of contents: the content, then its headings.
            page.toc = TableOfContents([_anchor("Contenu", CONTENT_ID, 1, spec.toc)])
        return html

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        self.env = env
        env.filters["asset"] = self.assets
        return env

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        context["aidess"] = self._spec(page.file.src_uri)
        context["aidess_nav"] = self._nav(context, page, nav)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        # The page is written next: release what it held (memory at 10,000 pages).
        self.registry.pop(page.file.src_uri, None)
        page.markdown, page.content = "", ""
        return valid_markup(output)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return valid_markup(output_content)  # 404.html is a theme template, not a page

    def _spec(self, src: str) -> PageSpec | None:
        """The page's spec, a lazy page's rendered now: MkDocs writes it next."""
        spec = self.registry.get(src)
        return spec.spec() if isinstance(spec, LazyPage) else spec

    def _nav(self, context: Any, page: Page, nav: Navigation) -> str | None:
        """Material's nav sidebar of a page out of the nav: nothing is active in it, only its
        (relative) links depend on the page, so render it once per set of links."""
        if self.env is None or page in nav.pages:
            return None
        links = tuple(get_relative_url(p.url, page.url) for p in nav.pages)
        if links not in self.navs:
            self.navs[links] = self.env.get_template(NAV_TEMPLATE).render(context)
        return self.navs[links]


def valid_markup(html: str) -> str:
    """The page without the theme's markup that HTML forbids (INVALID_MARKUP)."""
    for invalid, valid in INVALID_MARKUP:
        html = html.replace(invalid, valid)
    return html


def _anchor(title: str, id: str, level: int, children: Toc) -> AnchorLink:
    link = AnchorLink(title, id, level)
    link.children = [_anchor(c["name"], c["id"], c["level"], c["children"]) for c in children]
    return link


def _escape(text: str) -> str:
    # Material prints page titles unescaped (they are HTML when they come from a heading).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_site(docs: Path, site: Path, registry: dict[str, SitePage]) -> None:
    """MkDocs build of the `registry`'s pages into `site` (`docs`: an empty folder, MkDocs'
    docs_dir); raises on any warning (strict mode)."""
    config = load_config(
        config_file=str(CONFIG_FILE), docs_dir=str(docs), site_dir=str(site), strict=True
    )
    config.plugins["aidess-pages"] = PagesPlugin(registry)
    config.plugins.on_startup(command="build", dirty=False)
    # MkDocs logs one INFO line per excluded page at scale; keep the build output useful.
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        mkdocs_build(config)
    finally:
        logger.setLevel(level)
        config.plugins.on_shutdown()
