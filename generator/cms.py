"""`/admin/`: Decap CMS for editors (docs/interfaces.md §9), configured at build time from the
content
model and `AIDESS_CMS_*`. Without `AIDESS_CMS_REPO` there is no `/admin/` at all."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.cms_fields import fields_of
from generator.content.model import Aide, Reseau

BACKENDS = ("github", "gitlab", "test-repo")  # test-repo: Decap's in-browser demo, to try it
CONTENT_DIR = "content"  # where the content lives in the repository
BUNDLE_NAME = "decap-cms.js"
# Without a self-hosted bundle or an address of its own, /admin/ loads Decap's official
# published build of a pinned version, checked by its Subresource Integrity hash: the sha384
# of package/dist/decap-cms.js in the npm tarball of that version, which the CDN serves as is
# (tests/e2e/test_admin.py recomputes it from `npm pack`).
DECAP_VERSION = "3.16.3"
DEFAULT_SCRIPT = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
DEFAULT_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"


class CmsConfigError(ValueError):
    """A French message naming the variable to fix."""


@dataclass(frozen=True)
class CmsSettings:
    repo: str  # owner/name (GitHub) or group/project (GitLab)
    backend: str = "github"
    branch: str = "main"
    script: str = DEFAULT_SCRIPT  # URL of Decap's script, as index.html loads it
    integrity: str | None = DEFAULT_INTEGRITY  # its SRI hash, when it is the pinned default
    bundle: Path | None = None  # Decap's dist/ folder, copied to /admin/ (self-hosted)
    auth_url: str | None = None  # OAuth provider (`base_url`), for GitHub outside Netlify
    app_id: str | None = None  # GitLab OAuth application id (PKCE)
    site_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CmsSettings | None:
        repo = (env.get("AIDESS_CMS_REPO") or "").strip()
        if not repo:
            return None
        backend = (env.get("AIDESS_CMS_BACKEND") or "github").strip()
        if backend not in BACKENDS:
            raise CmsConfigError(
                f"AIDESS_CMS_BACKEND : « {backend} » inconnu (github, gitlab ou test-repo)"
            )
        if repo.count("/") < 1 or " " in repo:
            raise CmsConfigError(
                f"AIDESS_CMS_REPO : « {repo} » n'est pas de la forme propriétaire/dépôt"
            )
        bundle_text = (env.get("AIDESS_CMS_BUNDLE") or "").strip()
        script = (env.get("AIDESS_CMS_SCRIPT") or "").strip()
        bundle = Path(bundle_text) if bundle_text else None
        if bundle is not None and not (bundle / BUNDLE_NAME).is_file():
            raise CmsConfigError(
                f"AIDESS_CMS_BUNDLE : pas de {BUNDLE_NAME} dans « {bundle} » (le dossier dist/ "
                "du paquet npm decap-cms est attendu)"
            )
        if bundle is not None:
            script, integrity = BUNDLE_NAME, None
        elif script:
            integrity = None
        else:
            script, integrity = DEFAULT_SCRIPT, DEFAULT_INTEGRITY
        return cls(
            repo=repo,
            backend=backend,
            branch=(env.get("AIDESS_CMS_BRANCH") or "main").strip(),
            script=script,
            integrity=integrity,
            bundle=bundle,
            auth_url=(env.get("AIDESS_CMS_AUTH_URL") or "").strip() or None,
            app_id=(env.get("AIDESS_CMS_APP_ID") or "").strip() or None,
            site_url=(env.get("AIDESS_SITE_URL") or "").strip().rstrip("/") or None,
        )

    def edit_url(self, path_in_content: str) -> str | None:
        """The repository's web editor for a content file (`aides/x.md`), if it has one."""
        path = f"{CONTENT_DIR}/{path_in_content}"
        if self.backend == "github":
            return f"https://github.com/{self.repo}/edit/{self.branch}/{path}"
        if self.backend == "gitlab":
            return f"https://gitlab.com/{self.repo}/-/edit/{self.branch}/{path}"
        return None


def _backend(settings: CmsSettings) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": settings.backend}
    if settings.backend != "test-repo":
        backend |= {"repo": settings.repo, "branch": settings.branch}
        backend["commit_messages"] = {
            "create": "Ajout de {{collection}} « {{slug}} »",
            "update": "Mise à jour de {{collection}} « {{slug}} »",
            "delete": "Retrait de {{collection}} « {{slug}} »",
            "uploadMedia": "Ajout du fichier « {{path}} »",
            "deleteMedia": "Retrait du fichier « {{path}} »",
        }
    if settings.auth_url:
        backend["base_url"] = settings.auth_url
    if settings.backend == "gitlab" and settings.app_id:
        backend |= {"auth_type": "pkce", "app_id": settings.app_id}
    return backend


def _collection(
    name: str, label: str, singular: str, identifier: str, fields: list[dict[str, Any]]
) -> dict[str, Any]:
    body = {
        "name": "body",
        "label": "Texte de la fiche",
        "widget": "markdown",
        "hint": "Ce que l'aide finance, pour qui, comment la demander (Markdown)"
        if name == "aides"
        else "Ce que fait le réseau et comment le contacter (Markdown)",
    }
    return {
        "name": name,
        "label": label,
        "label_singular": singular,
        "folder": f"{CONTENT_DIR}/{name}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "slug": "{{slug}}",
        "identifier_field": identifier,
        "summary": "{{" + identifier + "}} — vérifiée le {{mise_a_jour}}",
        "sortable_fields": [identifier, "mise_a_jour"],
        "fields": [*fields, body],
    }


def config(settings: CmsSettings) -> dict[str, Any]:
    """Decap's config.yml, as data."""
    result: dict[str, Any] = {
        "backend": _backend(settings),
        "publish_mode": "editorial_workflow",  # each save is a pull request, reviewed
        "locale": "fr",
        "media_folder": f"{CONTENT_DIR}/medias",
        "public_folder": "/medias",
        # Lowercase ASCII file names, the slugs `aidess validate` accepts.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            _collection("aides", "Aides", "Aide", "titre", fields_of(Aide)),
            _collection("reseaux", "Réseaux", "Réseau", "nom", fields_of(Reseau)),
        ],
    }
    if settings.backend == "test-repo":
        del result["publish_mode"]  # the demo backend has no pull requests
    if settings.site_url:
        result["site_url"] = result["display_url"] = settings.site_url
    return result


INDEX = """<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Administration du contenu — AidESS</title>
</head>
<body>
  <noscript>L'administration du contenu a besoin de JavaScript. Sans lui, vous pouvez
  <a href="/contribuer/">signaler une erreur ou proposer une modification</a>.</noscript>
  <script src="{script}"{integrity}></script>
</body>
</html>
"""


def write_admin(site_dir: Path, settings: CmsSettings) -> Path:
    """Write /admin/index.html and /admin/config.yml (and Decap's script when self-hosted)."""
    admin = site_dir / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config(settings), allow_unicode=True, sort_keys=False, width=100)
    (admin / "config.yml").write_text(text, encoding="utf-8")
    checked = ""
    if settings.integrity:
        checked = f' integrity="{escape(settings.integrity)}" crossorigin="anonymous"'
    index = INDEX.format(script=escape(settings.script), integrity=checked)
    (admin / "index.html").write_text(index, "utf-8")
    if settings.bundle is not None:
        copy_bundle(settings.bundle, admin)
    return admin


def copy_bundle(dist: Path, admin: Path) -> None:
    """Decap's script and the chunks and WebAssembly files it loads from its own folder (not
    the source maps, nor cms.js, the build without React)."""
    for path in sorted(dist.iterdir()):
        name = path.name
        if name.endswith(("decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")):
            shutil.copyfile(path, admin / name)
