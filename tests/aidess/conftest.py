"""The `aidess` command's tests run the service's commands on the service's test fixtures."""

from tests.form_service.conftest import app, backend, client, content, database, settings, sink

__all__ = ["app", "backend", "client", "content", "database", "settings", "sink"]
