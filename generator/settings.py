"""Build settings read from the environment (AIDESS_*), with the defaults of `aidess serve`."""

from __future__ import annotations

import os
from dataclasses import dataclass

from generator.cms import CmsSettings


@dataclass(frozen=True)
class Settings:
    form_action: str = "/demandes"  # where the callback form posts (AIDESS_FORM_URL)
    retention_days: int = 365  # personal data retention (AIDESS_RETENTION_DAYS)
    responsable: str = "L'équipe qui édite AidESS"  # data controller (AIDESS_RESPONSABLE)
    contact: str = "contact@aidess.example"  # privacy and accessibility contact (AIDESS_CONTACT)
    cms: CmsSettings | None = None  # /admin/ and edit links (AIDESS_CMS_*); None: no /admin/

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
        )
