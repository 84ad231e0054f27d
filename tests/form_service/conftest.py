from __future__ import annotations

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
from form_service.devmail import MailSink
from form_service.settings import Settings
from tests.form_service.form_support import make_settings, write_content

__all__ = ["TestClient"]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


@pytest.fixture
def sink() -> Iterator[MailSink]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    with MailSink() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, content: Path, sink: MailSink) -> Settings:
    return make_settings(tmp_path, content, sink.port)


@pytest.fixture
def app(settings: Settings) -> Starlette:
    return create_app(settings)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
