"""Two `motcua serve` processes over one database, sharing live events through Redis.

Debian's redis-server runs on a free port of 127.0.0.1 (CI installs it); each process is a
real server on its own port with MOTCUA_MESSAGE_QUEUE pointing at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.live_events import Listener
from tests.live_server import LiveServer


@pytest.fixture
def two_servers(tmp_path: Path, redis_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    first = LiveServer(tmp_path, MOTCUA_MESSAGE_QUEUE=redis_url)
    second = LiveServer(tmp_path, add_users=False, MOTCUA_MESSAGE_QUEUE=redis_url)
    try:
        yield first.start(), second.start()
    finally:
        first.stop()
        second.stop()


@pytest.fixture
def listen() -> Iterator:
    listeners: list[Listener] = []

    def connect(server: LiveServer, channel: str) -> Listener:
        listener = Listener(server.url, {"channel": channel})
        listeners.append(listener)
        return listener

    yield connect
    for listener in listeners:
        listener.close()


def issue(server: LiveServer, procedure_id: str = "chung-thuc-ban-sao") -> dict:
    response = requests.post(
        f"{server.url}/api/tickets",
        json={"procedure_id": procedure_id, "documents_complete": True, "priority": None},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_ticket_issued_on_one_process_reaches_a_display_on_the_other(two_servers, listen):
    first, second = two_servers
    display_on_second = listen(second, "display")
    display_on_second.wait_for(lambda events: display_on_second.stats(), "first stats")

    ticket = issue(first)

    display_on_second.wait_for(
        lambda events: any(
            e["number"] == ticket["number"] for e in display_on_second.ticket_events()
        ),
        "ticket_issued from the other process",
    )
    # The other process's own stats push follows: its TV's waiting count moves too.
    display_on_second.wait_for(
        lambda events: display_on_second.stats()[-1]["issued"] == 1, "stats with the ticket"
    )


def test_a_call_on_one_process_reaches_the_console_and_ticket_page_on_the_other(
    two_servers, listen
):
    first, second = two_servers
    ticket = issue(second)
    counter_id = next(
        counter["id"]
        for counter in requests.get(f"{first.url}/api/counters", timeout=5).json()
        if ticket["procedure_id"] in counter["procedures"]
    )
    phone = listen(second, "ticket:" + ticket["key"])
    phone.wait_for(lambda events: "ticket_state" in phone.names(), "the ticket's state")

    called = first.login().post(f"{first.url}/api/counters/{counter_id}/next", timeout=5)
    assert called.status_code == 200
    assert called.json()["id"] == ticket["id"]

    phone.wait_for(
        lambda events: any(e["event"] == "ticket_called" for e in phone.ticket_events()),
        "ticket_called from the other process",
    )
    phone.wait_for(
        lambda events: any(
            data["status"] == "called" for name, data in events if name == "ticket_state"
        ),
        "the ticket page's snapshot pushed by its own process",
    )


def test_ten_threads_issuing_on_both_processes_never_share_a_number(two_servers, listen):
    first, second = two_servers
    displays = [listen(first, "display"), listen(second, "display")]

    with ThreadPoolExecutor(max_workers=10) as pool:
        tickets = list(pool.map(lambda i: issue((first, second)[i % 2]), range(100)))

    numbers = [ticket["number"] for ticket in tickets]
    assert len(set(numbers)) == len(numbers) == 100
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 101)]
    for display in displays:
        display.wait_for(
            lambda events, display=display: len(display.ticket_events()) == 100,
            "all hundred tickets on every display",
        )
        seqs = [event["seq"] for event in display.ticket_events()]
        assert len(set(seqs)) == 100
