"""End to end: `motcua serve` as a real process, real HTTP and Socket.IO clients.

The server runs on the machine's clock, so nothing here assumes a particular day of the
week. Every wait is bounded; the server is stopped (SIGTERM, then kill) whatever happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from server.line.tickets import public_ticket
from tests.live_events import EVENT_TIMEOUT, TICKET_EVENTS, Listener
from tests.live_server import OFFICER_PASSWORD, LiveServer

PROCEDURE = "chung-thuc-ban-sao"  # served by counters 1 and 2 of the demo catalog
HTTP_TIMEOUT = 5.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh `motcua serve` with the shipped demo catalog, on the machine's clock."""
    running = LiveServer(tmp_path, open_every_day=False).start()
    yield running
    running.stop()


@pytest.fixture
def listen(server: LiveServer) -> Iterator[Callable[..., Listener]]:
    listeners: list[Listener] = []

    def connect(channel: str, since: int | None = None) -> Listener:
        auth: dict[str, Any] = {"channel": channel}
        if since is not None:
            auth["since"] = since
        listener = Listener(server.url, auth)
        listeners.append(listener)
        listener.wait_for(lambda events: "stats" in (n for n, _ in events), "stats on connect")
        return listener

    yield connect
    for listener in listeners:
        listener.close()


def count_ticket_events(count: int) -> Callable[[list[tuple[str, Any]]], bool]:
    return lambda events: sum(name in TICKET_EVENTS for name, _ in events) >= count


def post(http: requests.Session, url: str, body: dict[str, Any] | None = None) -> Any:
    return http.post(url, json=body, timeout=HTTP_TIMEOUT)


def issue(server: LiveServer, http: requests.Session) -> dict[str, Any]:
    response = post(
        http,
        f"{server.url}/api/tickets",
        {"procedure_id": PROCEDURE, "documents_complete": True, "priority": None},
    )
    assert response.status_code == 201, response.text
    return response.json()


def log_in(server: LiveServer) -> requests.Session:
    officer = requests.Session()
    response = post(
        officer, f"{server.url}/api/session", {"username": "canbo", "password": OFFICER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"username": "canbo", "role": "officer"}
    return officer


def without(event: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key not in keys}


def test_issue_call_finish_reach_display_and_counter(server, listen):
    display = listen("display")
    counter = listen("counter:1")
    first_stats = display.stats()[0]
    assert first_stats["issued"] == 0
    assert [c["id"] for c in first_stats["counters"]][:6] == [1, 2, 3, 4, 5, 6]

    kiosk = requests.Session()
    ticket = issue(server, kiosk)
    assert ticket["status"] == "waiting"
    assert ticket["number"] == "A001"

    officer = log_in(server)
    called = post(officer, f"{server.url}/api/counters/1/next")
    assert called.status_code == 200, called.text
    assert called.json()["id"] == ticket["id"]
    assert called.json()["status"] == "called"
    assert called.json()["counter_id"] == 1

    finished = post(
        officer, f"{server.url}/api/tickets/{ticket['id']}/finish", {"outcome": "resolved"}
    )
    assert finished.status_code == 200, finished.text
    assert finished.json()["status"] == "finished"
    assert finished.json()["outcome"] == "resolved"

    for listener in (display, counter):
        listener.wait_for(count_ticket_events(3), "three ticket events")
        issued_event, called_event, finished_event = listener.ticket_events()
        assert issued_event["event"] == "ticket_issued"
        assert called_event["event"] == "ticket_called"
        assert finished_event["event"] == "ticket_updated"
        seq = issued_event["seq"]
        assert isinstance(seq, int)
        assert [called_event["seq"], finished_event["seq"]] == [seq + 1, seq + 2]

        # The lobby and the screen above counter 1 hear each ticket as its public projection.
        assert without(issued_event, "event", "seq") == public_ticket(ticket)
        assert called_event["counter_name"].startswith("Quầy 1")
        assert called_event["recall"] is False
        assert without(
            called_event, "event", "seq", "counter_name", "recall", "announcement"
        ) == public_ticket(called.json())
        assert finished_event["action"] == "finished"
        assert without(finished_event, "event", "seq", "action") == public_ticket(finished.json())

        listener.wait_for(
            lambda events: any(name == "stats" and data["finished"] == 1 for name, data in events),
            "stats with the finished ticket",
        )
        last = listener.stats()[-1]
        assert last["issued"] == 1
        assert last["waiting"] == 0
        assert last["called"] == 0
        assert last["finished"] == 1
        counter_one = next(c for c in last["counters"] if c["id"] == 1)
        assert counter_one["open"] is True
        assert counter_one["current"] is None
        assert [call["number"] for call in last["recent_calls"]] == [ticket["number"]]
        chung_thuc = next(p for p in last["procedures"] if p["id"] == PROCEDURE)
        assert (chung_thuc["issued"], chung_thuc["finished"], chung_thuc["resolved"]) == (1, 1, 1)
        # the snapshot on connect comes first; one follows the last change
        names = listener.names()
        assert names[0] == "stats"
        assert "stats" in names[names.index("ticket_updated") :]


def test_an_unknown_channel_is_refused(server, listen):
    for auth in ({"channel": "kiosk"}, {"channel": "counter:99"}, {"channel": "ticket:nope"}, {}):
        client = socketio.Client(reconnection=False, handle_sigint=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                server.url, transports=["websocket"], auth=auth, wait_timeout=EVENT_TIMEOUT
            )
        assert not client.connected
    assert listen("display").stats()  # the server still serves known channels


def test_a_display_that_reconnects_receives_what_it_missed_once(server, listen):
    kiosk = requests.Session()
    officer = log_in(server)
    display = listen("display")
    first = issue(server, kiosk)
    display.wait_for(count_ticket_events(1), "ticket_issued")
    last_seen = display.ticket_events()[-1]["seq"]
    display.close()

    called = post(officer, f"{server.url}/api/counters/1/next")
    assert called.status_code == 200, called.text
    assert called.json()["id"] == first["id"]
    second = issue(server, kiosk)

    again = listen("display", since=last_seen)
    again.wait_for(count_ticket_events(2), "the two missed events")
    missed = again.ticket_events()
    assert [(e["event"], e["number"], e["seq"]) for e in missed] == [
        ("ticket_called", first["number"], last_seen + 1),
        ("ticket_issued", second["number"], last_seen + 2),
    ]
    assert without(
        missed[0], "event", "seq", "counter_name", "recall", "announcement"
    ) == public_ticket(called.json())
    assert without(missed[1], "event", "seq") == public_ticket(second)
    # replayed first, then the snapshot; and nothing is sent twice
    assert again.names()[:3] == ["ticket_called", "ticket_issued", "stats"]

    finished = post(
        officer, f"{server.url}/api/tickets/{first['id']}/finish", {"outcome": "resolved"}
    )
    assert finished.status_code == 200, finished.text
    again.wait_for(count_ticket_events(3), "the live event after the replay")
    assert [e["seq"] for e in again.ticket_events()] == [
        last_seen + 1,
        last_seen + 2,
        last_seen + 3,
    ]
    # a display that saw everything gets nothing replayed
    current = listen("display", since=last_seen + 3)
    time.sleep(0.3)
    assert current.ticket_events() == []
