"""A thousand idle connections from one address leave the rest of the center working.

A real `motcua serve` (eventlet, as in production) on 127.0.0.1; the idle connections come
from other loopback addresses (tests/idle_clients.py), the well-behaved clients (a leader's
stats, the lobby TV, a kiosk) from 127.0.0.1. Before the bound, 1,024 idle connections took
every greenthread of the server and it answered nobody (docs/performance.md).
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from server.settings import Settings
from tests.idle_clients import (
    close_all,
    idle_live_clients,
    idle_tcp,
    polling_handshakes,
    still_open,
    timed_get,
)
from tests.live_events import Listener
from tests.live_server import LiveServer

BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True, "priority": None}
STATS = "/api/stats/today"
SHARE = Settings().connections_per_address  # 100


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path).start()
    yield live
    live.stop()


def the_center_still_works(server: LiveServer) -> None:
    """Stats answer at once, and a lobby display hears a ticket being taken."""
    status, seconds = timed_get("127.0.0.1", server.port, STATS)
    assert (status, seconds < 1) == (200, True), f"stats: {status} after {seconds:.1f} s"
    display = Listener(server.url, {"channel": "display"})
    try:
        response = requests.post(f"{server.url}/api/tickets", json=BODY, timeout=5)
        assert response.status_code == 201
        display.wait_for(lambda events: display.ticket_events(), "the ticket on the TV")
    finally:
        display.close()


def test_a_thousand_idle_connections_from_one_address_leave_the_center_working(server):
    idle = idle_tcp("127.0.0.1", server.port, 1100, source="127.0.0.2")
    try:
        kept = still_open(idle)
        assert SHARE <= kept < SHARE + 10  # its share; the others were closed at once
        the_center_still_works(server)
    finally:
        close_all(idle)
    deadline = time.monotonic() + 5  # the share is given back as the server sees them close
    while timed_get("127.0.0.1", server.port, STATS, 1, "127.0.0.2")[0] != 200:
        assert time.monotonic() < deadline, "127.0.0.2 was never let in again"
        time.sleep(0.1)


def test_idle_live_clients_from_one_address_leave_the_displays_working(server):
    idle = idle_live_clients("127.0.0.1", server.port, 300, {"channel": "display"}, "127.0.0.3")
    try:
        assert SHARE <= still_open(idle) < SHARE + 10
        the_center_still_works(server)
    finally:
        close_all(idle)


def test_live_sessions_that_hold_no_connection_are_bounded_too(server):
    """Long-polling handshakes, never polled again: each is a session until its ping timeout
    (45 s), though no connection stays open."""
    statuses = polling_handshakes("127.0.0.1", server.port, 150, source="127.0.0.4")
    assert statuses == [200] * SHARE + [401] * (150 - SHARE)
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=5, source_address=("127.0.0.4", 0)
    )
    connection.request("GET", "/socket.io/?EIO=4&transport=polling")
    response = connection.getresponse()
    refusal = json.loads(response.read())
    connection.close()
    assert response.status == 401
    assert refusal["code"] == "too_many_connections"
    assert refusal["message"].startswith("Quá nhiều kết nối từ địa chỉ này.")
    own = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=5)
    assert own.status_code == 200  # 127.0.0.1 has a share of its own
    the_center_still_works(server)


def test_behind_a_proxy_every_connection_comes_from_it_and_is_not_bounded(tmp_path):
    """nginx (MOTCUA_TRUSTED_PROXIES) connects for every client: limit_conn bounds them."""
    server = LiveServer(tmp_path, MOTCUA_TRUSTED_PROXIES="1").start()
    idle = idle_tcp("127.0.0.1", server.port, SHARE + 50, source="127.0.0.2")
    try:
        assert still_open(idle) == SHARE + 50
        the_center_still_works(server)
    finally:
        close_all(idle)
        server.stop()
