"""The load generator's clients, each run in a process of its own by bench/load.py.

kiosk: takes tickets in a closed loop over one keep-alive HTTP connection.
counter: logs in as its own officer, calls the next ticket at its counter and finishes it.
displays: a group of Socket.IO clients on the "display" channel that note when every
ticket_* event arrives.
Times are time.monotonic(), one clock for every process of the machine, so the orchestrator
can subtract a kiosk's response time from a display's arrival time.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass, field
from typing import Any

import engineio
import socketio
from lean_display import LeanDisplay, listen

HTTP_TIMEOUT = 10.0
READY_TIMEOUT = 60.0
EMPTY_LINE_PAUSE = 0.05  # a counter that found nobody waiting asks again after this
TICKET_EVENTS = frozenset({"ticket_issued", "ticket_called", "ticket_updated"})


@dataclass
class Plan:
    """What every worker needs to know: where the server is and when the load runs."""

    host: str
    port: int
    seconds: float
    procedures: list[str]
    password: str


@dataclass
class Log:
    """What one HTTP worker did: (ticket_id, sent, answered) per success, and errors."""

    issued: list[tuple[str, float, float]] = field(default_factory=list)
    called: list[tuple[str, float, float]] = field(default_factory=list)
    finished: list[tuple[str, float, float]] = field(default_factory=list)
    empty: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class Http:
    """One keep-alive connection; sends JSON, remembers the session cookie."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=HTTP_TIMEOUT)
        self.cookie: str | None = None

    def post(self, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        payload = json.dumps(body if body is not None else {})
        try:
            self.connection.request("POST", path, payload, headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # reconnects on the next request
            raise
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return response.status, (json.loads(data) if data else None)


def wait_for_start(ready: Any, go: Any) -> bool:
    """Report ready, then wait (bounded) for the orchestrator's go."""
    ready.put("ready")
    return go.wait(READY_TIMEOUT)


def sleep_until(moment: float) -> None:
    pause = moment - time.monotonic()
    if pause > 0:
        time.sleep(pause)


def run_kiosk(index: int, plan: Plan, ready: Any, go: Any, start_at: Any, results: Any) -> None:
    log = Log()
    web = Http(plan.host, plan.port)
    if not wait_for_start(ready, go):
        results.put(("kiosk", index, log, time.process_time()))
        return
    sleep_until(start_at.value)
    end = start_at.value + plan.seconds
    turn = index
    while time.monotonic() < end:
        procedure = plan.procedures[turn % len(plan.procedures)]
        priority = "elderly" if turn % 10 == 9 else None
        turn += 1
        sent = time.monotonic()
        try:
            status, ticket = web.post(
                "/api/tickets",
                {"procedure_id": procedure, "documents_complete": True, "priority": priority},
            )
        except (OSError, http.client.HTTPException) as error:
            log.error(type(error).__name__)
            continue
        answered = time.monotonic()
        if status == 201:
            log.issued.append((ticket["id"], sent, answered))
        else:
            log.error(f"issue {status}")
    results.put(("kiosk", index, log, time.process_time()))


def run_counter(
    counter_id: int, plan: Plan, ready: Any, go: Any, start_at: Any, results: Any
) -> None:
    log = Log()
    web = Http(plan.host, plan.port)
    status, _ = web.post(
        "/api/session", {"username": officer_name(counter_id), "password": plan.password}
    )
    if status != 200:
        log.error(f"login {status}")
        ready.put("failed")
        results.put(("counter", counter_id, log, time.process_time()))
        return
    if not wait_for_start(ready, go):
        results.put(("counter", counter_id, log, time.process_time()))
        return
    sleep_until(start_at.value)
    end = start_at.value + plan.seconds
    while time.monotonic() < end:
        sent = time.monotonic()
        try:
            status, ticket = web.post(f"/api/counters/{counter_id}/next")
            answered = time.monotonic()
            if status == 204:
                log.empty += 1
                time.sleep(EMPTY_LINE_PAUSE)
                continue
            if status != 200:
                log.error(f"next {status}")
                time.sleep(EMPTY_LINE_PAUSE)
                continue
            log.called.append((ticket["id"], sent, answered))
            sent = time.monotonic()
            status, _ = web.post(f"/api/tickets/{ticket['id']}/finish", {"outcome": "resolved"})
            if status == 200:
                log.finished.append((ticket["id"], sent, time.monotonic()))
            else:
                log.error(f"finish {status}")
        except (OSError, http.client.HTTPException) as error:
            log.error(type(error).__name__)
    results.put(("counter", counter_id, log, time.process_time()))


def officer_name(counter_id: int) -> str:
    return f"bench{counter_id:02d}"


class InOrderEngineIOClient(engineio.Client):
    """Hands each message to Socket.IO in the reading thread.

    The stock client starts a thread per message: at thousands of messages a second that
    costs more than the message itself, and it can reorder events.
    """

    def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class InOrderClient(socketio.Client):
    def _engineio_client_class(self) -> type[engineio.Client]:
        return InOrderEngineIOClient


class Display:
    """One lobby screen: notes (event, ticket id, seq, arrival) of every ticket_* event."""

    def __init__(self, url: str) -> None:
        self.arrivals: list[tuple[str, str, int, float]] = []
        self.stats = 0
        # websocket-client checks UTF-8 in pure Python, byte by byte, unless told not to:
        # ~0.2 ms per ticket event, more than all the rest of the client's work together.
        self.client = InOrderClient(
            reconnection=False,
            handle_sigint=False,
            websocket_extra_options={"skip_utf8_validation": True},
        )
        self.client.on("*", self.record)
        self.client.connect(
            url, transports=["websocket"], auth={"channel": "display"}, wait_timeout=10
        )

    def close(self) -> None:
        self.client.disconnect()

    def record(self, name: str, data: Any) -> None:
        arrived = time.monotonic()
        if name in TICKET_EVENTS:
            self.arrivals.append((name, data["id"], data["seq"], arrived))
        elif name == "stats":
            self.stats += 1


def run_displays(
    group: int,
    count: int,
    kind: str,
    plan: Plan,
    ready: Any,
    drain: Any,
    expected: Any,
    results: Any,
) -> None:
    """`count` screens; after the load, wait (bounded) until each has every event, report.

    kind: "socketio" (python-socketio clients, a thread each) or "lean" (bench/lean_display.py,
    all read by this process's one thread).
    """
    if kind == "lean":
        screens: list[Any] = [
            LeanDisplay(plan.host, plan.port, {"channel": "display"}) for _ in range(count)
        ]
    else:
        screens = [Display(f"http://{plan.host}:{plan.port}") for _ in range(count)]
    ready.put("ready")
    hard_stop = time.monotonic() + READY_TIMEOUT + plan.seconds + 90
    drained_by: list[float] = []

    def finished() -> bool:
        now = time.monotonic()
        if now > hard_stop:
            return True
        if not drain.is_set():
            return False
        if not drained_by:
            drained_by.append(now + 15)
        return now > drained_by[0] or all(len(s.arrivals) >= expected.value for s in screens)

    if kind == "lean":
        listen(screens, finished)
    else:
        while not finished():
            time.sleep(0.05)
    for screen in screens:
        screen.close()
    results.put(("displays", group, [(s.arrivals, s.stats) for s in screens], time.process_time()))
