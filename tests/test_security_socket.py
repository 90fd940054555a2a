"""Against a real `motcua serve`: a Socket.IO client can change nothing and tell nobody
anything (the live channel is server → client only), an oversized message or another
site's page is turned away, and a 1 MB request body is refused before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import socketio

from server.storage.db import open_database
from tests.live_events import EVENT_TIMEOUT, Listener
from tests.live_server import LiveServer

QUIET_SECONDS = 1.5  # how long the listeners are watched for anything the forger caused
FORGED_TICKET = {"id": "gia-mao", "number": "A999", "status": "called", "counter_id": 1,
                 "counter_name": "Quầy 1", "recall": False, "seq": 10_000}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server past its start: the print worker has checked its printer and told every
    screen (`printer_status`), so nothing the server does by itself lands in a test's watch
    (on a loaded machine that first check came during it, and was blamed on the forger)."""
    running = LiveServer(tmp_path_factory.mktemp("socket")).start()
    deadline = time.monotonic() + 3 * EVENT_TIMEOUT
    while time.monotonic() < deadline:
        printers = requests.get(f"{running.url}/api/printers", timeout=5).json()
        if all(printer["state"] != "unknown" for printer in printers):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the print worker never checked its printer: {printers}")
    yield running
    running.stop()


@pytest.fixture
def listeners(server: LiveServer) -> Iterator[list[Listener]]:
    """A lobby screen and a counter screen, each past its greeting `stats`."""
    screens = [Listener(server.url, {"channel": c}) for c in ("display", "counter:1")]
    for screen in screens:
        screen.wait_for(lambda events: bool(events), "stats on connect")
    yield screens
    for screen in screens:
        screen.close()


def forger(server: LiveServer) -> socketio.Client:
    """A client that got in the way every screen does: as a lobby display."""
    client = socketio.Client(reconnection=False, handle_sigint=False)
    client.connect(
        server.url,
        transports=["websocket"],
        auth={"channel": "display"},
        wait_timeout=EVENT_TIMEOUT,
    )
    return client


def connect_from(server: LiveServer, origin: str, transport: str) -> socketio.Client:
    """A client connecting as a page of `origin` would (websocket-client names the origin
    itself, the server's own unless told; polling sends the header it is given). Refused,
    it raises ConnectionError, its HTTP session closed."""
    websocket = {"origin": origin} if transport == "websocket" else {}
    client = socketio.Client(
        reconnection=False, handle_sigint=False, websocket_extra_options=websocket
    )
    try:
        client.connect(
            server.url,
            transports=[transport],
            auth={"channel": "display"},
            headers={} if websocket else {"Origin": origin},
            wait_timeout=EVENT_TIMEOUT,
        )
    except socketio.exceptions.ConnectionError:
        close(client)
        raise
    return client


def close(client: socketio.Client) -> None:
    """Disconnect, and close what the client leaves open: polling's HTTP session, the socket
    of a WebSocket the server cut."""
    client.disconnect()
    if client.eio.http is not None:
        client.eio.http.close()
    if client.eio.ws is not None:
        client.eio.ws.shutdown()


def database_state(server: LiveServer) -> dict[str, Any]:
    """What a change would touch: the rows written per table, and who holds which counter."""
    db = open_database(server.folder / "motcua.db")
    try:
        state: dict[str, Any] = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("tickets", "ticket_events", "dossiers", "print_jobs", "audit_log")
        }
        state["counters"] = db.execute(
            "SELECT id, officer_id, opened_day FROM counters ORDER BY id"
        ).fetchall()
        return state
    finally:
        db.conn.close()


def test_forged_events_change_nothing_and_reach_nobody(server, listeners):
    before = database_state(server)
    heard = [len(screen.events) for screen in listeners]
    client = forger(server)
    try:
        client.emit("ticket_called", FORGED_TICKET)
        client.emit("ticket_issued", {**FORGED_TICKET, "status": "waiting"})
        client.emit("next", {"counter_id": 1})
        client.emit("call_next", 1)
        client.emit("stats", {"issued": 999})
        client.emit("connect", ("environ", {"channel": "counter:1"}))
        client.emit("disconnect")
        client.emit("x" * 200, "y" * 12_000)  # a big payload, still under the 16 KB limit
        for index in range(50):
            client.emit(f"tin-nhan-{index}", {"counter_id": index, "procedure_id": "khai-sinh"})
        client.emit("ticket_called", FORGED_TICKET, callback=lambda *reply: None)
        time.sleep(QUIET_SECONDS)
        assert client.connected  # ignored, not a reason to fail the connection
    finally:
        close(client)
    assert [len(screen.events) for screen in listeners] == heard, [s.names() for s in listeners]
    assert database_state(server) == before
    stats = requests.get(f"{server.url}/api/stats/today", timeout=5).json()
    assert stats["issued"] == 0
    assert stats["recent_calls"] == []
    assert not any(counter["open"] for counter in stats["counters"])


def test_a_message_over_the_limit_ends_the_connection(server, listeners):
    heard = [len(screen.events) for screen in listeners]
    client = forger(server)
    try:
        client.emit("ticket_called", {"note": "x" * 20_000})  # over max_http_buffer_size
        deadline = time.monotonic() + EVENT_TIMEOUT
        while client.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not client.connected
    finally:
        close(client)
    assert [len(screen.events) for screen in listeners] == heard
    fresh = Listener(server.url, {"channel": "display"})  # the server carries on
    try:
        fresh.wait_for(lambda events: bool(events), "stats on connect")
    finally:
        fresh.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_another_sites_page_cannot_listen(server, transport):
    """A page elsewhere could otherwise follow a ticket or a console live (cross-site
    WebSocket hijacking): the server accepts only its own origin."""
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect_from(server, "http://evil.example", transport)
    own = connect_from(server, server.url, transport)
    assert own.connected
    close(own)


def test_a_megabyte_body_is_refused_before_anything_is_written(server):
    before = database_state(server)
    body = b'{"procedure_id": "' + b"x" * 1_000_000 + b'", "documents_complete": true}'
    response = requests.post(
        f"{server.url}/api/tickets",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "payload_too_large", "message": "Dữ liệu gửi lên quá lớn."}
    }
    assert database_state(server) == before
    assert requests.get(f"{server.url}/api/counters", timeout=5).status_code == 200


def test_a_forged_connect_event_joins_nothing_and_replays_nothing(server):
    """Socket.IO hands a client's event named "connect" to the connect handler: it must not
    let a connected client hop into another channel or replay the day again."""
    screen = Listener(server.url, {"channel": "display"})
    try:
        screen.wait_for(lambda events: bool(events), "stats on connect")
        ticket = requests.post(
            f"{server.url}/api/tickets",
            json={"procedure_id": "chung-thuc-ban-sao", "documents_complete": True},
            timeout=5,
        ).json()
        screen.wait_for(lambda events: len(screen.ticket_events()) == 1, "the ticket_issued")
        screen.wait_for(lambda events: screen.stats()[-1]["issued"] == 1, "the stats after it")
        heard = len(screen.events)

        screen.client.emit("connect", ("environ", {"channel": f"ticket:{ticket['id']}"}))
        screen.client.emit("connect", ("environ", {"channel": "display", "since": 0}))
        time.sleep(QUIET_SECONDS)
        assert screen.names()[heard:] == []
    finally:
        screen.close()
