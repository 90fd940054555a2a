"""Small fixtures: an app on a temp-file database with a fixed clock, its clients, logins."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import create_app
from server.clock import FixedClock
from server.settings import Settings
from server.setup.admin.users import add_account
from server.setup.catalog import prepare_database
from server.setup.kiosk_devices import register_kiosk
from server.storage.db import open_database
from tests.live_server import start_postgres, start_redis, stop_process

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY_MORNING = datetime(2026, 11, 26, 9, 0, tzinfo=TZ)
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(THURSDAY_MORNING)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo catalog and three users, built once per run.

    Each test copies it: hashing passwords and installing the catalog for every test would
    cost most of the suite's time.
    """
    path = tmp_path_factory.mktemp("template") / "motcua.db"
    prepare_database(Settings(database=path))
    db = open_database(path)
    moment = FixedClock(THURSDAY_MORNING)
    for username, role in (("canbo", "officer"), ("canbo2", "officer"), ("quantri", "admin")):
        add_account(db, moment, None, {"username": username, "password": PASSWORD, "role": role})
    db.conn.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_database: Path) -> Path:
    """A fresh copy of the template (through SQLite's backup API, so nothing in a WAL is lost)."""
    path = tmp_path / "motcua.db"
    source, target = sqlite3.connect(template_database), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


@pytest.fixture
def app_config(db_path: Path, clock: FixedClock, tmp_path: Path) -> dict[str, Any]:
    """Override in a test module to change settings (e.g. priority_in_row)."""
    return {
        "database": db_path,
        "clock": clock,
        "async_mode": "threading",
        "printer": f"dir:{tmp_path / 'receipts'}",
        "secret_key": "test-secret",
        "ticket_rate": 0,
        "TESTING": True,
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    yield create_app(app_config)


@pytest.fixture
def db(app: Flask, db_path: Path) -> Iterator[Any]:
    """A connection of the test's own, to look at what the app wrote."""
    connection = open_database(db_path)
    yield connection
    connection.conn.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    """A client logged in as an officer."""
    return logged_in(app, "canbo")


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    return logged_in(app, "quantri")


def logged_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/api/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return client


@pytest.fixture
def tablet(app: Flask, db: Any, clock: FixedClock) -> FlaskClient:
    """A registered device (`motcua kiosk add`): a client that sends its token, as the rating
    tablet and the kiosk pages do."""
    client = app.test_client()
    client.environ_base["HTTP_X_KIOSK_TOKEN"] = register_kiosk(db, clock, "quay-2-danh-gia")
    return client


@pytest.fixture
def issue(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    """Take a ticket like the kiosk does; returns the ticket."""

    def take(procedure_id: str = "chung-thuc-ban-sao", **body: Any) -> dict[str, Any]:
        payload = {"procedure_id": procedure_id, "documents_complete": True, "priority": None}
        payload.update(body)
        response = client.post("/api/tickets", json=payload)
        assert response.status_code == 201, response.json
        return response.json

    return take


@pytest.fixture
def socket_client(app: Flask) -> Callable[..., Any]:
    """A Socket.IO test client connected to a channel, e.g. socket_client("display")."""
    clients = []

    def connect(channel: Any, since: int | None = None, browser: FlaskClient | None = None) -> Any:
        """browser: a Flask test client whose session cookie the connection carries."""
        realtime = app.extensions["motcua"].realtime
        auth: dict[str, Any] = {"channel": channel}
        if since is not None:
            auth["since"] = since
        connected = realtime.socketio.test_client(app, auth=auth, flask_test_client=browser)
        clients.append(connected)
        return connected

    yield connect
    for connected in clients:
        if connected.is_connected():
            connected.disconnect()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server: nothing saved, loopback only."""
    process, url = start_redis(tmp_path)
    yield url
    stop_process(process)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session (tests/live_server.py start_postgres):
    the URL of its empty database `motcua_hub`. Its folder is made under the system's temp
    folder, not pytest's (0700 to root, which the `postgres` user could not enter)."""
    folder = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    process, url = start_postgres(folder)
    yield url
    stop_process(process)
    shutil.rmtree(folder, ignore_errors=True)
