"""Configuration of the form service, read from `AIDESS_*` environment variables.

Every problem is reported in French with the variable's name, so an operator knows what to fix.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from form_service.db.database import Target, target
from form_service.db.quotas import RateLimit

PERIODS: dict[str, int] = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class ConfigError(Exception):
    """A missing or invalid setting, or content that does not validate (French message)."""


@dataclass(frozen=True)
class Settings:
    site_url: str  # public base URL of the site, without trailing slash
    mail_from: str
    fallback_email: str
    smtp_host: str
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    content: Path = Path("content")
    database: Target = Path("var/aidess.sqlite3")  # or Postgres("postgresql://…")
    allowed_origins: frozenset[str] = frozenset()
    retention_days: int = 365
    rate_limit: RateLimit = RateLimit(5, 3600)
    site_dir: Path | None = Path("site")  # where the built site's form page is looked for
    outbox_worker: bool = True
    editors_email: str | None = None  # receives the reports (None: the fallback address)
    # Not read from the environment: tuned by tests and by `aidess serve`.
    static_dir: Path | None = None  # serve the built site too (aidess serve)
    dev_mail_dir: Path | None = None  # list the sink's mails at /dev/courriels (aidess serve)
    dev_reload: bool = False  # pages reload themselves after a rebuild (aidess serve)
    busy_timeout: float = 5.0  # seconds a write waits for the SQLite lock before a 503
    smtp_timeout: float = 30.0
    outbox_poll: float = 5.0  # seconds between two outbox passes when idle
    reminders_poll: float = 300.0  # seconds between two passes of the dossiers' reminders
    body_timeout: float = 10.0  # seconds for a whole request body to arrive
    # Proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
    trusted_proxies: frozenset[str] = frozenset()
    header_timeout: float = 10.0  # seconds for a request's headers to arrive
    max_connections: int = 500  # open connections (the default file limit is 1,024)
    alerts_schedule: bool = True  # queue the alert digests on Monday mornings (not in tests)

    @property
    def editors(self) -> str:
        """Where reports go (AIDESS_EDITORS_EMAIL, else the fallback address)."""
        return self.editors_email or self.fallback_email


def _origin(value: str, name: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(
            f"{name} : « {value} » n'est pas une origine valide "
            "(attendu : https://domaine.example, sans chemin)"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def _email(value: str, name: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ConfigError(f"{name} : adresse électronique invalide « {value} » ({exc})") from exc


def _bool(value: str, name: str) -> bool:
    if value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ConfigError(f"{name} : « {value} » invalide, attendu true ou false")


def _int(value: str, name: str, minimum: int, maximum: int = 10**9) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} : « {value} » n'est pas un nombre entier") from None
    if not minimum <= number <= maximum:
        raise ConfigError(f"{name} : {number} hors limites ({minimum} à {maximum})")
    return number


def parse_rate_limit(value: str, name: str = "AIDESS_RATE_LIMIT") -> RateLimit:
    count, _, period = value.strip().partition("/")
    if period not in PERIODS:
        raise ConfigError(
            f"{name} : « {value} » invalide, attendu NOMBRE/PÉRIODE avec une période parmi "
            f"{', '.join(PERIODS)} (ex. 5/hour)"
        )
    return RateLimit(_int(count, name, 1), PERIODS[period])


def parse_proxies(value: str, name: str = "AIDESS_TRUSTED_PROXIES") -> frozenset[str]:
    """Comma-separated addresses or networks (127.0.0.1, 10.0.0.0/8, ::1)."""
    proxies = set()
    for item in value.split(","):
        if not item.strip():
            continue
        try:
            proxies.add(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise ConfigError(
                f"{name} : « {item.strip()} » n'est ni une adresse IP ni un réseau "
                "(ex. 127.0.0.1, 10.0.0.0/8, ::1)"
            ) from None
    return frozenset(proxies)


POSTGRES_SCHEMES = ("postgresql", "postgres")


def database(env: Mapping[str, str]) -> Target:
    """AIDESS_DATABASE: a SQLite file (default var/aidess.sqlite3) or a postgresql:// URL.
    Any other URL is refused: it must not become a local file named after it."""
    value = (env.get("AIDESS_DATABASE") or "").strip() or "var/aidess.sqlite3"
    scheme, found, rest = value.partition("://")
    if not found:
        return target(value)
    if scheme.lower() not in POSTGRES_SCHEMES:
        raise ConfigError(
            f"AIDESS_DATABASE : « {scheme}:// » non reconnu ; indiquez le chemin d'un fichier "
            "SQLite ou une adresse postgresql://utilisateur@hôte/base"
        )
    url = f"{scheme.lower()}://{rest}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks the port
    except ValueError as exc:
        raise ConfigError(
            f"AIDESS_DATABASE : adresse PostgreSQL illisible ({exc}) ; forme attendue : "
            "postgresql://utilisateur:mot-de-passe@hôte:5432/base"
        ) from None
    return target(url)


def retention_days(env: Mapping[str, str]) -> int:
    return _int(env.get("AIDESS_RETENTION_DAYS") or "365", "AIDESS_RETENTION_DAYS", 1, 36500)


def from_env(env: Mapping[str, str], defaults: Mapping[str, str] | None = None) -> Settings:
    """Settings from `env`, falling back on `defaults` (used by `aidess serve`)."""
    merged = {**(defaults or {}), **{k: v for k, v in env.items() if k.startswith("AIDESS_")}}

    def get(name: str) -> str | None:
        value = merged.get(name)
        return value if value is not None and value.strip() != "" else None

    def required(name: str, what: str) -> str:
        value = get(name)
        if value is None:
            raise ConfigError(f"{name} manquant : indiquez {what}")
        return value

    site_url = _origin(required("AIDESS_SITE_URL", "l'adresse publique du site"), "AIDESS_SITE_URL")
    starttls = _bool(get("AIDESS_SMTP_STARTTLS") or "false", "AIDESS_SMTP_STARTTLS")
    port = get("AIDESS_SMTP_PORT")
    origins_raw = get("AIDESS_ALLOWED_ORIGINS")
    origins = (
        frozenset(_origin(o, "AIDESS_ALLOWED_ORIGINS") for o in origins_raw.split(",") if o.strip())
        if origins_raw
        else frozenset({site_url})
    )
    user, password = get("AIDESS_SMTP_USER"), get("AIDESS_SMTP_PASSWORD")
    if (user is None) != (password is None):
        raise ConfigError(
            "AIDESS_SMTP_USER et AIDESS_SMTP_PASSWORD vont ensemble : indiquez les deux ou aucun"
        )
    site_dir = get("AIDESS_SITE_DIR")
    editors = get("AIDESS_EDITORS_EMAIL")
    return Settings(
        site_url=site_url,
        mail_from=_email(
            required("AIDESS_MAIL_FROM", "l'expéditeur des courriels"), "AIDESS_MAIL_FROM"
        ),
        fallback_email=_email(
            required("AIDESS_FALLBACK_EMAIL", "l'adresse qui reçoit les demandes sans réseau"),
            "AIDESS_FALLBACK_EMAIL",
        ),
        smtp_host=required("AIDESS_SMTP_HOST", "le serveur SMTP (ex. smtp.example.org)"),
        smtp_port=_int(port, "AIDESS_SMTP_PORT", 1, 65535) if port else (587 if starttls else 25),
        smtp_user=user,
        smtp_password=password,
        smtp_starttls=starttls,
        content=Path(get("AIDESS_CONTENT") or "content"),
        database=database(merged),
        allowed_origins=origins,
        retention_days=retention_days(merged),
        rate_limit=parse_rate_limit(get("AIDESS_RATE_LIMIT") or "5/hour"),
        site_dir=Path(site_dir) if site_dir else Path("site"),
        outbox_worker=_bool(get("AIDESS_OUTBOX_WORKER") or "true", "AIDESS_OUTBOX_WORKER"),
        editors_email=_email(editors, "AIDESS_EDITORS_EMAIL") if editors else None,
        trusted_proxies=parse_proxies(get("AIDESS_TRUSTED_PROXIES") or ""),
    )
