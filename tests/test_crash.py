"""Crash safety with real processes: SIGKILL mid-burst, power loss mid-transaction, and an
online backup while tickets are being issued."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.live_server import LiveServer

PROCEDURE = "chung-thuc-ban-sao"  # field A of the demo catalog
BURST = 500
CLIENTS = 5
KILL_AFTER = 150  # tickets answered before the power goes
RETRY_DEADLINE = 60.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path).start()
    yield live
    live.stop()


class ReconnectingDisplay:
    """A lobby TV's connection: reconnects by itself, asking for what it missed since the
    highest seq it saw, and drops a seq it already has (as server/static/common/live.js
    does). A live event can come before the replay it overlaps: seqs are kept as a set."""

    def __init__(self, url: str) -> None:
        self.seen: set[int] = set()
        self.last_stats: dict[str, Any] = {}
        self.connections = 0
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.client.on("connect", self._connected)
        self.client.on("ticket_issued", self._ticket_event)
        self.client.on("stats", self._stats)
        self.client.connect(url, transports=["websocket"], auth=self._auth, wait_timeout=5)

    def _auth(self) -> dict[str, Any]:
        with self.lock:
            return {"channel": "display", "since": max(self.seen, default=0)}

    def _connected(self) -> None:
        with self.lock:
            self.connections += 1

    def _ticket_event(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.seen.add(data["seq"])

    def _stats(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.last_stats = data

    def wait_until(self, done: Any, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if done(self):
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self.client.disconnect()


def kiosk_until_answered(
    url: str, key: str, answered: list[tuple[int, dict]], failures: list[str]
) -> None:
    """One kiosk tap: retried with the same Idempotency-Key until the server answers, as the
    kiosk page does when the connection drops."""
    deadline = time.monotonic() + RETRY_DEADLINE
    while time.monotonic() < deadline:
        try:
            response = requests.post(
                f"{url}/api/tickets",
                json={"procedure_id": PROCEDURE, "documents_complete": True, "priority": None},
                headers={"Idempotency-Key": key},
                timeout=5,
            )
        except requests.RequestException:
            failures.append(key)
            time.sleep(0.05)
            continue
        assert response.status_code in (200, 201), response.text
        answered.append((response.status_code, response.json()))
        return
    raise AssertionError(f"no answer for {key} within {RETRY_DEADLINE} s")


def table(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(query).fetchall()
    connection.close()
    return rows


def assert_consistent(path: Path) -> None:
    """What power loss must never leave behind: a damaged file, a number used twice, a gap
    in the event log, a ticket without its event or an event without its ticket."""
    assert table(path, "PRAGMA integrity_check") == [("ok",)]
    assert table(path, "PRAGMA foreign_key_check") == []
    numbers = table(path, "SELECT day, letter, number FROM tickets")
    assert len(numbers) == len(set(numbers))
    seqs = [seq for (seq,) in table(path, "SELECT seq FROM ticket_events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    unlogged = "SELECT id FROM tickets WHERE id NOT IN (SELECT ticket_id FROM ticket_events)"
    assert table(path, unlogged) == []
    last_numbers = table(path, "SELECT day, letter, last_number FROM day_numbers")
    for day, letter, last in last_numbers:
        issued = table(
            path, f"SELECT number FROM tickets WHERE day = '{day}' AND letter = '{letter}'"
        )
        assert sorted(n for (n,) in issued) == list(range(1, last + 1))


def test_sigkill_during_a_burst_loses_no_answered_ticket(server):
    display = ReconnectingDisplay(server.url)
    answered: list[tuple[int, dict]] = []
    failures: list[str] = []
    keys = [f"kiosk-{index % CLIENTS}-{uuid.uuid4()}" for index in range(BURST)]

    def killer() -> None:
        while len(answered) < KILL_AFTER:
            time.sleep(0.005)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=5)
        server.start()  # the unit's Restart=always

    restart = threading.Thread(target=killer)
    restart.start()
    with ThreadPoolExecutor(max_workers=CLIENTS) as kiosks:
        list(
            kiosks.map(lambda key: kiosk_until_answered(server.url, key, answered, failures), keys)
        )
    restart.join(timeout=30)
    assert failures, "the server went down between two requests: no request saw the crash"

    # Every answered ticket exists with the number it was given, and only once.
    database = server.folder / "motcua.db"
    stored = dict(table(database, "SELECT id, letter || printf('%03d', number) FROM tickets"))
    assert len(answered) == BURST
    assert {ticket["id"]: ticket["number"] for _, ticket in answered}.items() <= stored.items()
    assert len(stored) == BURST  # a retry after the crash got its ticket back, not a new one
    assert sorted(stored.values()) == [f"A{n:03d}" for n in range(1, BURST + 1)]
    assert_consistent(database)

    # The TV came back by itself, caught up without a gap and shows the right count.
    assert display.wait_until(
        lambda d: d.seen == set(range(1, BURST + 1)) and d.last_stats.get("issued") == BURST
    ), f"display saw {len(display.seen)} events, stats {display.last_stats.get('issued')}"
    assert display.connections == 2
    display.close()


CRASHING_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from server.line import tickets
    from server.clock import SystemClock
    from server.storage.db import open_database
    from server.settings import Settings

    settings = Settings(database=Path(sys.argv[1]))
    clock = SystemClock.in_zone(settings.timezone)
    db = open_database(settings.database)
    if sys.argv[2] == "inside":
        # Stall after the ticket and its event are written, before the commit.
        append_event = tickets.append_event
        def stalled(*args, **kwargs):
            event = append_event(*args, **kwargs)
            print("inside", flush=True)
            time.sleep(60)
        tickets.append_event = stalled
    else:
        print("looping", flush=True)
    while True:
        tickets.issue_ticket(db, clock, settings, procedure_id="chung-thuc-ban-sao",
                             documents_complete=True)
    """
)


def run_writer(database: Path, mode: str) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(database), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() in ("inside", "looping")
    writer.stdout.close()
    return writer


def test_power_loss_inside_a_transaction_leaves_a_consistent_database(server):
    database = server.folder / "motcua.db"
    before = server.login().get(f"{server.url}/api/stats/today", timeout=5).json()["issued"]

    writer = run_writer(database, "inside")  # a ticket written, not yet committed
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=5)
    assert_consistent(database)
    assert table(database, "SELECT count(*) FROM tickets") == [(before,)]

    # Many more kills at arbitrary moments of a tight issuing loop.
    for pause in (0.05, 0.11, 0.2, 0.33, 0.5):
        writer = run_writer(database, "loop")
        time.sleep(pause)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=5)
        assert_consistent(database)

    # The server, which never stopped, goes on with the next number.
    issued = table(database, "SELECT max(number) FROM tickets WHERE letter = 'A'")[0][0] or 0
    response = requests.post(
        f"{server.url}/api/tickets",
        json={"procedure_id": PROCEDURE, "documents_complete": True, "priority": None},
        timeout=5,
    )
    assert response.status_code == 201
    assert response.json()["number"] == f"A{issued + 1:03d}"


def test_backup_while_tickets_are_issued_gives_a_sound_copy(server, tmp_path):
    backups = tmp_path / "backups"
    stop = threading.Event()
    issued: list[int] = []

    def kiosk() -> None:
        while not stop.is_set():
            response = requests.post(
                f"{server.url}/api/tickets",
                json={"procedure_id": PROCEDURE, "documents_complete": True, "priority": None},
                timeout=5,
            )
            assert response.status_code == 201
            issued.append(1)

    kiosks = [threading.Thread(target=kiosk) for _ in range(3)]
    for thread in kiosks:
        thread.start()
    try:
        outputs = []
        for _ in range(3):
            while len(issued) < 20 * (len(outputs) + 1):
                time.sleep(0.01)
            outputs.append(server.run("backup", "--to", str(backups), "--keep", "2"))
            time.sleep(1.05)  # one backup per second: their names carry the time
    finally:
        stop.set()
        for thread in kiosks:
            thread.join(timeout=10)

    assert "Đã sao lưu và kiểm tra" in outputs[-1]
    copies = sorted(backups.glob("motcua-*.db"))
    assert len(copies) == 2  # --keep 2: the oldest went
    counts = []
    for copy in copies:
        assert_consistent(copy)
        counts.append(table(copy, "SELECT count(*) FROM tickets")[0][0])
    assert 0 < counts[0] < counts[1] <= len(issued)
