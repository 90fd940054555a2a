"""The live connection every screen uses (server/static/common/live.js), driven in Chromium
with a stand-in for the Socket.IO client: what a screen asks for when it reconnects, and what
it then shows. With several server processes an event can arrive after one with a higher seq
(docs/performance.md, event order across processes); a TV whose connection drops in that gap
must still announce the overtaken call, once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.live_server import LiveServer

# A fake `io()` that records the handlers and the auth callback, then the real live.js.
FAKE_SOCKET = """async () => {
  window.handlers = {};
  window.delivered = [];
  window.io = (options) => {
    window.askSince = () => new Promise((resolve) => options.auth(resolve));
    return { on(name, handler) { window.handlers[name] = handler; return this; } };
  };
  const { connectLive } = await import("/static/common/live.js");
  connectLive("display", { onEvent: (name, payload) => window.delivered.push(payload.seq) });
}"""


@pytest.fixture
def page(live: LiveServer, open_page) -> Page:
    page = open_page(f"{live.url}/static/common/format.js")
    page.clock.install()
    page.evaluate(FAKE_SOCKET)
    return page


def send(page: Page, name: str, payload: dict[str, Any]) -> None:
    page.evaluate("([name, payload]) => window.handlers[name](payload)", [name, payload])


def called(page: Page, *seqs: int) -> None:
    for seq in seqs:
        send(page, "ticket_called", {"seq": seq, "id": seq, "number": f"A{seq:03}"})


def reconnect_asks(page: Page) -> dict[str, Any]:
    return page.evaluate("() => window.askSince()")


def delivered(page: Page) -> list[int]:
    return page.evaluate("() => window.delivered")


def test_a_screen_that_drops_after_an_overtaken_event_gets_it_on_reconnect(page):
    send(page, "stats", {"last_seq": 10})
    called(page, 11, 13)  # 12 is still on its way from the other process
    page.clock.run_for(1000)
    send(page, "disconnect", {})

    asked = reconnect_asks(page)
    assert asked == {"channel": "display", "since": 10}
    called(page, 11, 12, 13)  # the replay
    assert delivered(page) == [11, 13, 12]  # 12 once, the others not twice


def test_a_screen_that_was_connected_long_enough_does_not_replay_the_day(page):
    send(page, "stats", {"last_seq": 10})
    called(page, 11, 12)
    page.clock.run_for(6000)
    called(page, 13)
    send(page, "disconnect", {})
    page.clock.run_for(60_000)  # a minute offline: what came before the drop still counts

    assert reconnect_asks(page) == {"channel": "display", "since": 12}


def test_a_screen_never_replays_what_happened_before_it_opened(page):
    assert reconnect_asks(page) == {"channel": "display"}  # before the first snapshot
    send(page, "stats", {"last_seq": 100})
    page.clock.run_for(10_000)
    send(page, "stats", {"last_seq": 140})  # later snapshots do not move the start
    send(page, "disconnect", {})

    assert reconnect_asks(page) == {"channel": "display", "since": 100}
