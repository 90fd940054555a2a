"""The bounds of server/web/connections.py, piece by piece (tests/test_connections.py runs them
in a real server against a thousand idle connections)."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

import pytest

from server import create_app
from server.settings import Settings
from server.web import connections
from server.web.connections import (
    IDLE_SECONDS,
    MAX_CONNECTIONS,
    SOCKET_TIMEOUT_SECONDS,
    AddressBoundPool,
    AddressShares,
    Refused,
    server_options,
)

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_address_holds_its_share_and_gets_it_back():
    shares = AddressShares(2, "kết nối")
    assert [shares.take("10.0.0.5", n) for n in range(3)] == [True, True, False]
    assert shares.take("10.0.0.6", "other") is True  # another address has its own
    shares.give_back(1)
    assert shares.take("10.0.0.5", 3) is True
    assert shares.held("10.0.0.5") == 2
    shares.give_back(0)
    shares.give_back(3)
    shares.give_back(3)  # twice: nothing more
    assert shares.held("10.0.0.5") == 0


def test_a_token_closed_without_a_word_stops_counting():
    shares = AddressShares(2, "kết nối trực tiếp")
    shares.take("10.0.0.5", "a")
    shares.take("10.0.0.5", "b")
    assert shares.take("10.0.0.5", "c", still_open=lambda token: token != "a") is True
    assert shares.take("10.0.0.5", "d", still_open=lambda token: True) is False


def test_refusals_are_logged_once_a_minute_per_address(caplog):
    clock = Clock()
    shares = AddressShares(1, "kết nối", clock)
    shares.take("10.0.0.5", "held")
    with caplog.at_level(logging.WARNING, logger=connections.__name__):
        for second in range(120):
            clock.now = second
            shares.take("10.0.0.5", second)
            shares.take("10.0.0.5", f"again {second}")
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Từ chối 1 kết nối từ 10.0.0.5: địa chỉ này đã giữ 1 (MOTCUA_CONNECTIONS_PER_ADDRESS).",
        "Từ chối 120 kết nối từ 10.0.0.5: địa chỉ này đã giữ 1 (MOTCUA_CONNECTIONS_PER_ADDRESS).",
    ]


class Thread:
    def __init__(self) -> None:
        self.links: list[Any] = []

    def link(self, function: Any, *args: Any) -> None:
        self.links.append((function, args))

    def end(self) -> None:
        for function, args in self.links:
            function(self, *args)


class Pool:
    """What eventlet.wsgi.server's pool does, for the test: hands out threads."""

    def __init__(self, size: int = 0) -> None:
        self.size = size
        self.spawned: list[Thread] = []

    def spawn(self, function: Any, *args: Any) -> Thread:
        self.spawned.append(Thread())
        return self.spawned[-1]

    def waitall(self) -> None:
        pass


def test_the_pool_refuses_a_connection_beyond_the_share_and_closes_it_at_once():
    pool = AddressBoundPool(Pool(), AddressShares(1, "kết nối"))
    first = pool.spawn(print, [("10.0.0.5", 40001), "socket", "idle"])
    second = pool.spawn(print, [("10.0.0.5", 40002), "socket", "idle"])
    assert isinstance(second, Refused)
    closed: list[Any] = []
    second.link(lambda thread, connection: closed.append(connection), "the connection")
    assert closed == ["the connection"]  # the server's cleanup ran: the socket is closed
    first.end()  # the first connection ended: its place is free again
    assert not isinstance(pool.spawn(print, [("10.0.0.5", 40003), "socket", "idle"]), Refused)


def test_the_server_waits_for_no_one_forever():
    options = server_options(Settings(), Pool)
    assert options["keepalive"] == IDLE_SECONDS
    assert options["socket_timeout"] == SOCKET_TIMEOUT_SECONDS
    pool = options["custom_pool"]
    assert pool.pool.size == MAX_CONNECTIONS
    assert pool.shares.limit == Settings().connections_per_address


@pytest.mark.parametrize(
    "settings", [Settings(trusted_proxies=1), Settings(connections_per_address=0)]
)
def test_no_share_behind_a_proxy_or_when_switched_off(settings):
    assert server_options(settings, Pool)["custom_pool"].shares is None


def test_werkzeug_gets_no_eventlet_options():
    assert server_options(Settings(), None) == {}


def test_the_pool_fits_the_files_the_process_may_open():
    """A hard limit of 1,024 open files (no systemd LimitNOFILE): the pool shrinks to fit
    rather than let an accept fail, which would stop the server."""
    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (512, 1024))\n"
        "from server.settings import Settings\n"
        "from server.web.connections import server_options\n"
        "print(server_options(Settings(), lambda size: size)['custom_pool'].pool)\n"
        "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.split() == ["768", "1024"]  # 1,024 files less the reserve of 256
    assert "Chỉ mở được 1024 tệp" in done.stderr


@pytest.fixture
def app_config(app_config):
    return {**app_config, "connections_per_address": 3, "trusted_proxies": 1}


def handshake(client: Any, forwarded_for: str) -> int:
    response = client.get(
        HANDSHAKE, headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": "::1"}
    )
    return response.status_code


def test_behind_nginx_each_client_has_its_own_share_of_live_sessions(client):
    assert [handshake(client, "192.168.1.21") for _ in range(4)] == [200, 200, 200, 401]
    assert handshake(client, "192.168.1.22") == 200


def test_without_a_proxy_a_forged_address_changes_nothing(app_config):
    client = create_app({**app_config, "trusted_proxies": 0}).test_client()
    statuses = [handshake(client, f"10.9.9.{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 401]
