from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient; httpx (installed) still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from form_service.app import create_app
from form_service.db.database import Database, Postgres, Target
from form_service.devmail import MailSink
from form_service.settings import Settings
from tests import pg_server
from tests.conftest import absent
from tests.form_service.form_support import make_settings, write_content

__all__ = ["TestClient"]
BACKENDS = ("sqlite", "postgresql")
_schemas = itertools.count(1)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `both_backends` that use the database run on SQLite and PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_server.Server]:
    """One PostgreSQL server for the whole run (each test gets a schema of its own)."""
    bin_dir = pg_server.binaries()
    if bin_dir is None:  # seen at collection (tests/conftest.py) unless a module sets `backend`
        absent("postgresql")
    server = pg_server.Server(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Target]:
    """The test's database: a SQLite file in tmp_path, or an empty PostgreSQL schema."""
    if backend == "sqlite":
        yield tmp_path / "var" / "aidess.sqlite3"
        return
    server: pg_server.Server = request.getfixturevalue("pg")
    schema = f"t{next(_schemas)}"
    pg_server.execute(server.url(), f"CREATE SCHEMA {schema}")
    try:
        yield Postgres(server.url(schema=schema))
    finally:
        from form_service.db.postgres import close_all

        close_all()
        pg_server.execute(server.url(), f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def db(database: Target) -> Iterator[Database]:
    """The test's database, migrated to the latest schema."""
    migrated = Database(database)
    migrated.migrate()
    yield migrated
    migrated.close()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


@pytest.fixture
def sink() -> Iterator[MailSink]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    with MailSink() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, content: Path, sink: MailSink, database: Target) -> Settings:
    return make_settings(tmp_path, content, sink.port, database=database)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
