"""Build settings read from the environment (AIDESS_*), with the defaults of `aidess serve`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.cms import CmsSettings


@dataclass(frozen=True)
class Settings:
    form_action: str = "/demandes"  # where the callback form posts (AIDESS_FORM_URL)
    retention_days: int = 365  # personal data retention (AIDESS_RETENTION_DAYS)
    responsable: str = "L'équipe qui édite AidESS"  # data controller (AIDESS_RESPONSABLE)
    contact: str = "contact@aidess.example"  # privacy and accessibility contact (AIDESS_CONTACT)
    cms: CmsSettings | None = None  # /admin/ and edit links (AIDESS_CMS_*); None: no /admin/
    site_url: str = "http://127.0.0.1:8000"  # public address, for sitemap.xml (AIDESS_SITE_URL)
    # The file `aidess dossiers stats --format json` wrote (AIDESS_STATS): /statistiques/.
    stats: Path | None = None

    @property
    def report_action(self) -> str:
        """Where the report form posts: next to the callback form's service."""
        base = self.form_action.removesuffix("/demandes")
        return f"{base}/signalements" if base != self.form_action else "/signalements"

    def correction_url(self, kind_dir: str, slug: str) -> str:
        """The repository's editor for a record when AIDESS_CMS_REPO is set, else the report
        form on the page itself."""
        edit = self.cms.edit_url(f"{kind_dir}/{slug}.md") if self.cms else None
        return edit or "#signaler"

    @classmethod
    def from_env(cls) -> Settings:
        """Raises CmsConfigError (a French message) on a wrong AIDESS_CMS_* variable."""
        env = os.environ
        default = cls()
        return cls(
            form_action=env.get("AIDESS_FORM_URL") or default.form_action,
            retention_days=int(env.get("AIDESS_RETENTION_DAYS") or default.retention_days),
            responsable=env.get("AIDESS_RESPONSABLE") or default.responsable,
            contact=env.get("AIDESS_CONTACT") or default.contact,
            cms=CmsSettings.from_env(env),
            site_url=site_url(env.get("AIDESS_SITE_URL") or default.site_url),
            stats=Path(env["AIDESS_STATS"]) if env.get("AIDESS_STATS") else None,
        )


def site_url(value: str) -> str:
    """The site's public address without its trailing slash; a clear error otherwise."""
    value = value.strip().rstrip("/")
    scheme, _, rest = value.partition("://")
    if scheme not in {"http", "https"} or not rest or "/" in rest or " " in rest:
        raise ValueError(
            f"AIDESS_SITE_URL invalide « {value} » : l'adresse du site est attendue, "
            "par exemple https://aides.example.org"
        )
    return value
