from __future__ import annotations

from pathlib import Path

import pytest

from form_service.db.database import Postgres
from form_service.settings import ConfigError, RateLimit, database, from_env, parse_rate_limit

BASE = {
    "AIDESS_SITE_URL": "https://aides.example.org/",
    "AIDESS_MAIL_FROM": "ne-pas-repondre@aidess.example",
    "AIDESS_FALLBACK_EMAIL": "orientation@aidess.example",
    "AIDESS_SMTP_HOST": "smtp.example.org",
}


def test_defaults() -> None:
    settings = from_env(BASE)
    assert settings.site_url == "https://aides.example.org"
    assert settings.allowed_origins == {"https://aides.example.org"}
    assert settings.smtp_port == 25 and not settings.smtp_starttls
    assert settings.database == Path("var/aidess.sqlite3")
    assert settings.content == Path("content")
    assert settings.retention_days == 365
    assert settings.rate_limit == RateLimit(5, 3600)
    assert settings.outbox_worker


def test_everything_set() -> None:
    settings = from_env(
        {
            **BASE,
            "AIDESS_SMTP_STARTTLS": "true",
            "AIDESS_SMTP_USER": "u",
            "AIDESS_SMTP_PASSWORD": "p",
            "AIDESS_ALLOWED_ORIGINS": "https://a.example.org, https://B.example.org",
            "AIDESS_RATE_LIMIT": "10/minute",
            "AIDESS_RETENTION_DAYS": "30",
            "AIDESS_OUTBOX_WORKER": "false",
            "AIDESS_SITE_DIR": "public",
        }
    )
    assert settings.smtp_port == 587 and settings.smtp_user == "u"
    assert settings.allowed_origins == {"https://a.example.org", "https://b.example.org"}
    assert settings.rate_limit == RateLimit(10, 60)
    assert settings.retention_days == 30 and not settings.outbox_worker
    assert settings.site_dir == Path("public")


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"AIDESS_SITE_URL": ""}, "AIDESS_SITE_URL manquant"),
        ({"AIDESS_SITE_URL": "aides.example.org"}, "AIDESS_SITE_URL"),
        ({"AIDESS_MAIL_FROM": "personne"}, "AIDESS_MAIL_FROM"),
        ({"AIDESS_FALLBACK_EMAIL": ""}, "AIDESS_FALLBACK_EMAIL manquant"),
        ({"AIDESS_SMTP_HOST": ""}, "AIDESS_SMTP_HOST manquant"),
        ({"AIDESS_SMTP_PORT": "smtp"}, "AIDESS_SMTP_PORT"),
        ({"AIDESS_SMTP_PORT": "70000"}, "AIDESS_SMTP_PORT"),
        ({"AIDESS_SMTP_STARTTLS": "oui"}, "AIDESS_SMTP_STARTTLS"),
        ({"AIDESS_SMTP_USER": "u"}, "AIDESS_SMTP_USER et AIDESS_SMTP_PASSWORD"),
        ({"AIDESS_ALLOWED_ORIGINS": "https://a.example.org/form"}, "AIDESS_ALLOWED_ORIGINS"),
        ({"AIDESS_RETENTION_DAYS": "0"}, "AIDESS_RETENTION_DAYS"),
        ({"AIDESS_RATE_LIMIT": "5/week"}, "AIDESS_RATE_LIMIT"),
        ({"AIDESS_RATE_LIMIT": "x/hour"}, "AIDESS_RATE_LIMIT"),
        ({"AIDESS_OUTBOX_WORKER": "1"}, "AIDESS_OUTBOX_WORKER"),
    ],
)
def test_errors_name_the_variable(changes: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_env({**BASE, **changes})
    assert str(info.value).startswith(variable)


def test_rate_limit_periods() -> None:
    assert parse_rate_limit("3/second") == RateLimit(3, 1)
    assert parse_rate_limit("100/day") == RateLimit(100, 86400)


def test_trusted_proxies() -> None:
    assert from_env(BASE).trusted_proxies == frozenset()  # none by default
    settings = from_env({**BASE, "AIDESS_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1"})
    assert settings.trusted_proxies == {"127.0.0.1/32", "10.0.0.0/8", "::1/128"}
    with pytest.raises(ConfigError, match=r"AIDESS_TRUSTED_PROXIES : « proxy\.local » n.est ni"):
        from_env({**BASE, "AIDESS_TRUSTED_PROXIES": "proxy.local"})


def test_database_is_a_sqlite_file_or_a_postgresql_url() -> None:
    from form_service.db.database import Postgres

    assert from_env({**BASE, "AIDESS_DATABASE": "/srv/aidess.db"}).database == Path(
        "/srv/aidess.db"
    )
    url = "postgresql://aidess:s3cret@db.internal:5432/aidess?sslmode=require"
    database = from_env({**BASE, "AIDESS_DATABASE": url}).database
    assert database == Postgres(url)
    assert "s3cret" not in str(database)  # it goes to the logs
    assert str(database) == "postgresql://aidess:***@db.internal:5432/aidess?sslmode=require"


@pytest.mark.parametrize(
    "value", ["postgresql+psycopg://u@h/b", "pgsql://u@h/b", "mysql://u@h/b", "sqlite:///x.db"]
)
def test_an_unknown_database_scheme_is_refused_not_made_a_file(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"AIDESS_DATABASE : « .*:// » non reconnu"):
        database({"AIDESS_DATABASE": value})
    assert list(tmp_path.iterdir()) == []


def test_a_postgres_url_is_read_whatever_its_scheme_case() -> None:
    found = database({"AIDESS_DATABASE": "POSTGRESQL://u@localhost/aidess"})
    assert isinstance(found, Postgres) and found.url == "postgresql://u@localhost/aidess"
    with pytest.raises(ConfigError, match="adresse PostgreSQL illisible"):
        database({"AIDESS_DATABASE": "postgresql://[::1"})
