"""Real processes on free ports of 127.0.0.1: `motcua serve`, the redis-server that
joins several of them, and the province hub (`motcua hub serve`) with its PostgreSQL. The
tests and the benchmarks (bench/, run as modules from the repository's root: `python -m
bench.load`) both start their servers here, so a benchmark measures the server the tests
check, started and stopped the same way.

LiveServer is the tests' server: it runs on the machine's clock; `open_every_day=True` gives
it a catalog open at all hours with the no-appointment model every day, so browser tests see
the full kiosk flow and the "Không hẹn" badge whenever they run. The benchmarks build their
own environment and call start_server and stop_process directly.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
import requests
import yaml

from server.clock import SystemClock
from server.settings import DEFAULT_CATALOG, settings_from_env
from server.setup.admin.users import add_account
from server.setup.catalog import prepare_database
from server.storage.db import open_database

START_TIMEOUT = 30.0  # a loaded machine (three test workers, a benchmark's clients) is slow
STOP_TIMEOUT = 10.0  # after SIGTERM, before SIGKILL
OFFICER_PASSWORD = "mat-khau-can-bo-1"
ADMIN_PASSWORD = "mat-khau-quan-tri-1"
USERS = (("canbo", "officer", OFFICER_PASSWORD), ("canbo2", "officer", OFFICER_PASSWORD),
         ("quantri", "admin", ADMIN_PASSWORD))  # fmt: skip


def motcua_command() -> list[str]:
    """The console script next to this interpreter (the venv's), else the module."""
    script = Path(sys.executable).parent / "motcua"
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: each server, test or benchmark gets its
    own, so they run side by side (pytest-xdist's workers) without a fixed port to clash on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_motcua(env: dict[str, str], *arguments: str, stdin: str = "") -> str:
    """One `motcua` command over the database of `env`, as an administrator types it; its
    output. Raises CalledProcessError when it fails."""
    done = subprocess.run(
        [*motcua_command(), *arguments],
        input=stdin.encode(),
        env=env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return done.stdout.decode()


def wait_until_answers(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = START_TIMEOUT
) -> None:
    """Return once GET `url` answers 200; raise RuntimeError (with `log`) as soon as the
    process has exited, or once `timeout` seconds have passed: a start is never waited for
    unbounded, and a server that crashed says why."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"the process behind {url} exited:\n{output}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def spawn_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`motcua serve` on 127.0.0.1:`port` with `env`, its output appended to `log`; not
    waited for (bench/startup.py times its first answer itself)."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [*motcua_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`motcua serve` on 127.0.0.1:`port` with `env`, its output appended to `log`, once it
    answers HTTP (stopped again if it does not)."""
    process = spawn_server(env, port, log)
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/api/counters", process, log)
    except RuntimeError:
        stop_process(process)
        raise
    return process


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a server closes its connections and database), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A throwaway redis-server on a free port of 127.0.0.1 and its URL, once it answers
    PING: what MOTCUA_MESSAGE_QUEUE points several server processes at."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: apt-get install redis-server")
    port = free_port()
    log = folder / "redis.log"
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no"]  # nothing written to disk
    with log.open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{log.read_text(errors='replace')}")
            try:
                client.ping()
                return process, url
            except redis.ConnectionError:
                time.sleep(0.05)
    finally:
        client.close()
    stop_process(process)
    raise RuntimeError(f"redis-server did not answer within {START_TIMEOUT} s")


POSTGRES_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"))  # Debian's, newest last
POSTGRES_USER = "postgres"  # initdb refuses root: as root, the cluster runs as this user


def postgres_binary(name: str) -> str:
    found = [folder / name for folder in POSTGRES_BINARIES if (folder / name).exists()]
    path = shutil.which(name) or (str(found[-1]) if found else None)
    if path is None:
        raise RuntimeError(f"{name} is missing: apt-get install postgresql")
    return path


def as_postgres_user(command: list[str]) -> list[str]:
    """The command as the `postgres` user when the tests run as root (CI), else as is."""
    return ["runuser", "-u", POSTGRES_USER, "--", *command] if os.geteuid() == 0 else command


def start_postgres(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A throwaway PostgreSQL cluster in `folder` on a free port of 127.0.0.1 (its socket in
    the folder too, fsync off: nothing here outlives the test session) and the URL of its
    database `motcua_hub`, once it answers."""
    data, log = folder / "pgdata", folder / "postgres.log"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(folder, POSTGRES_USER)
        shutil.chown(data, POSTGRES_USER)
    subprocess.run(
        as_postgres_user([postgres_binary("initdb"), "-D", str(data), "-U", "motcua",
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    command = [postgres_binary("postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
               "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
               "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(
            as_postgres_user(command), stdout=output, stderr=subprocess.STDOUT
        )
    server = f"postgresql://motcua@127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postgres exited:\n{log.read_text(errors='replace')}")
        try:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute("CREATE DATABASE motcua_hub")
            return process, f"{server}/motcua_hub"
        except psycopg.OperationalError:
            time.sleep(0.1)
    stop_process(process)
    raise RuntimeError(f"postgres did not answer within {START_TIMEOUT} s")


def fresh_database(server_url: str, name: str) -> str:
    """A new empty database beside `server_url`'s (each test its own); its URL."""
    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


class LiveHub:
    """One `motcua hub serve` process over a PostgreSQL database."""

    def __init__(self, folder: Path, database_url: str, **env: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"hub-{self.port}.log"
        self.env = {
            **os.environ,
            "MOTCUA_HUB_DATABASE": database_url,
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def run(self, *arguments: str, stdin: str = "") -> str:
        """`motcua hub ARGUMENTS…` over this hub's database."""
        return run_motcua(self.env, "hub", *arguments, stdin=stdin)

    def add_center(self, center_id: str, name: str) -> str:
        """Register a center as the operator does; its token."""
        return self.run("add-center", center_id, "--name", name).strip().splitlines()[-1]

    def start(self) -> LiveHub:
        command = [*motcua_command(), "hub", "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--threads", "4"]  # fmt: skip
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            wait_until_answers(f"{self.url}/api/hub/health", self.process, self.log)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            stop_process(process)

    def login(self, username: str, password: str) -> requests.Session:
        session = requests.Session()
        response = session.post(
            f"{self.url}/api/session", json={"username": username, "password": password}, timeout=5
        )
        response.raise_for_status()
        return session


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
        return run_motcua(self.env, *arguments, stdin=stdin)

    def start(self) -> LiveServer:
        self.process = start_server(self.env, self.port, self.log)
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            stop_process(process)

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
