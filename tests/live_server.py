"""A real `motcua serve` process on a free port of 127.0.0.1, for end-to-end tests.

The server runs on the machine's clock; `open_every_day=True` gives it a catalog open at all
hours with the no-appointment model every day, so browser tests see the full kiosk flow and
the "Không hẹn" badge whenever they run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
import yaml

from server.clock import SystemClock
from server.settings import DEFAULT_CATALOG, settings_from_env
from server.setup.admin.users import add_account
from server.setup.catalog import prepare_database
from server.storage.db import open_database

START_TIMEOUT = 20.0
OFFICER_PASSWORD = "mat-khau-can-bo-1"
ADMIN_PASSWORD = "mat-khau-quan-tri-1"
USERS = (("canbo", "officer", OFFICER_PASSWORD), ("canbo2", "officer", OFFICER_PASSWORD),
         ("quantri", "admin", ADMIN_PASSWORD))  # fmt: skip


def motcua_command() -> list[str]:
    """The console script next to this interpreter (the venv's), else the module."""
    script = Path(sys.executable).parent / "motcua"
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def always_open_catalog(folder: Path) -> Path:
    """The demo catalog with the center open at every hour of every day."""
    data = yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    data["center"]["opening_hours"] = {"mon-sun": ["00:00-23:59"]}
    path = folder / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class LiveServer:
    """Start, stop and restart one server process over one database file."""

    def __init__(
        self, folder: Path, *, open_every_day: bool = True, add_users: bool = True, **env: str
    ) -> None:
        """add_users=False for a second process over a database that already has them."""
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "MOTCUA_DB": str(folder / "motcua.db"),
            "MOTCUA_TICKET_RATE": "0",
            "MOTCUA_PRINTER": "none",
            "MOTCUA_SECRET_KEY": "live-server-secret",
            "PYTHONUNBUFFERED": "1",
        }
        if open_every_day:
            self.env["MOTCUA_CATALOG"] = str(always_open_catalog(folder))
            self.env["MOTCUA_NO_APPOINTMENT_DAYS"] = "mon,tue,wed,thu,fri,sat,sun"
            self.env["MOTCUA_NO_APPOINTMENT_UNTIL"] = "23:59"
        self.env.update(env)
        self.process: subprocess.Popen[bytes] | None = None
        if add_users:
            self.add_users()

    def add_users(self) -> None:
        """USERS in the database, as `motcua user add` does (tests/test_cli.py runs that):
        done here, since three extra processes cost each server seconds to start."""
        settings = settings_from_env(self.env)
        prepare_database(settings)
        db = open_database(settings.database)
        try:
            for username, role, password in USERS:
                body = {"username": username, "password": password, "role": role}
                add_account(db, SystemClock.in_zone(settings.timezone), None, body)
        finally:
            db.conn.close()

    def run(self, *arguments: str, stdin: str = "") -> str:
        done = subprocess.run(
            [*motcua_command(), *arguments],
            input=stdin.encode(),
            env=self.env,
            capture_output=True,
            timeout=60,
            check=True,
        )
        return done.stdout.decode()

    def start(self) -> LiveServer:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*motcua_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text(errors='replace')}")
            try:
                if requests.get(f"{self.url}/api/counters", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def login(self, username: str = "canbo") -> requests.Session:
        """An HTTP session logged in as one of the USERS."""
        password = dict((name, pw) for name, _, pw in USERS)[username]
        session = requests.Session()
        response = session.post(
            f"{self.url}/api/session", json={"username": username, "password": password}, timeout=5
        )
        response.raise_for_status()
        return session
