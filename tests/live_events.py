"""Socket.IO clients against a live server that see every event in the order it was sent.

The tests (Listener) and the benchmarks (bench/workers.py's displays) both listen through
InOrderClient: one client, so a benchmark's figures come from the same reading of the wire
that the tests check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import engineio
import pytest
import socketio

EVENT_TIMEOUT = 5.0
TICKET_EVENTS = frozenset({"ticket_issued", "ticket_called", "ticket_updated"})


class InOrderEngineIOClient(engineio.Client):
    """Hands each message to the Socket.IO layer in the reading thread.

    The stock client runs every message handler in a thread of its own, so two events that
    arrive back to back may be seen in either order (the tests check the order); at
    thousands of messages a second (the benchmarks) that thread also costs more than the
    message itself.
    """

    def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class InOrderClient(socketio.Client):
    """A socketio.Client whose handlers run one after the other, in the order sent."""

    def _engineio_client_class(self) -> type[engineio.Client]:
        return InOrderEngineIOClient


class Listener:
    """A Socket.IO client on one channel that keeps every event it receives, in order."""

    def __init__(self, url: str, auth: dict[str, Any]) -> None:
        self.events: list[tuple[str, Any]] = []
        self._changed = threading.Condition()
        self.client = InOrderClient(reconnection=False, handle_sigint=False)
        self.client.on("*", self._record)
        self.client.connect(url, transports=["websocket"], auth=auth, wait_timeout=EVENT_TIMEOUT)

    def _record(self, name: str, data: Any) -> None:
        with self._changed:
            self.events.append((name, data))
            self._changed.notify_all()

    def wait_for(self, found: Callable[[list[tuple[str, Any]]], bool], what: str) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: found(self.events), timeout=EVENT_TIMEOUT):
                pytest.fail(f"no {what} within {EVENT_TIMEOUT} s; received {self.names()}")

    def ticket_events(self) -> list[dict[str, Any]]:
        with self._changed:
            return [{**data, "event": name} for name, data in self.events if name in TICKET_EVENTS]

    def stats(self) -> list[dict[str, Any]]:
        with self._changed:
            return [data for name, data in self.events if name == "stats"]

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()
