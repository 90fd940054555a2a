"""The load generator's clients, each run in a process of its own by bench/load.py and
bench/busy_day.py.

kiosk: takes tickets over one keep-alive HTTP connection: in a closed loop for a while
(load.py), each at its moment of a day's schedule, or in a closed loop until the day's
tickets, shared by all kiosks, are taken (busy_day.py).
counter: logs in as its own officer, calls the next ticket at its counter and finishes it,
at once (load.py) or after serving the citizen for a while, going home at the first empty
line once the kiosks have stopped (a Shift, busy_day.py).
displays: a group of Socket.IO clients on the "display" channel that note when every
ticket_* event arrives.
ticket pages: citizens' phones following "ticket:<key>" of tickets just issued.
Times are time.monotonic(), one clock for every process of the machine, so the orchestrator
can subtract a kiosk's response time from a display's arrival time.
"""

from __future__ import annotations

import http.client
import itertools
import json
import queue
import random
import selectors
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.lean_display import LeanDisplay, listen, payload
from tests.live_events import TICKET_EVENTS, InOrderClient

HTTP_TIMEOUT = 10.0
READY_TIMEOUT = 60.0
DRAIN_TIMEOUT = 15.0  # after the load: how long listeners may wait for events still on the way
PHONE_OPENERS = 4  # threads opening phones' connections
PHONE_LINGER = 1.0  # seconds a phone stays open after a snapshot said its ticket is finished
EMPTY_LINE_PAUSE = 0.05  # a counter that found nobody waiting asks again after this
STATS_COUNTS = ("issued", "waiting", "called", "finished")


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
    """What one HTTP worker did: (ticket number, sent, answered) per success, and errors.

    behind: for a kiosk on a schedule, how late each ticket was sent (seconds; a kiosk
    whose server answers slowly falls behind). followed: the tickets handed to a phone.
    """

    issued: list[tuple[str, float, float]] = field(default_factory=list)
    called: list[tuple[str, float, float]] = field(default_factory=list)
    finished: list[tuple[str, float, float]] = field(default_factory=list)
    empty: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    behind: list[float] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class Turn:
    """One ticket a kiosk takes: when (seconds after the start; None: at once), for what,
    and whether a citizen then follows it on a phone."""

    at: float | None
    procedure: str
    priority: str | None
    followed: bool = False


class Turns(Protocol):
    def take(self, start: float) -> Turn | None:
        """The next ticket to take, or None when this kiosk is done."""


class ForSeconds:
    """load.py's kiosk: one ticket after another until plan.seconds are over, the
    procedures in turn from its own index, one ticket in ten for a priority citizen."""

    def __init__(self, index: int, plan: Plan) -> None:
        self.turn = index
        self.plan = plan

    def take(self, start: float) -> Turn | None:
        if time.monotonic() >= start + self.plan.seconds:
            return None
        turn, self.turn = self.turn, self.turn + 1
        procedure = self.plan.procedures[turn % len(self.plan.procedures)]
        return Turn(None, procedure, "elderly" if turn % 10 == 9 else None)


def day_ticket(ordinal: int, at: float | None, procedures: list[str], follow_every: int) -> Turn:
    """The day's ordinal-th ticket: the procedures in turn (so every field of the catalog
    gets its share), one in ten for a priority citizen, one in follow_every followed."""
    return Turn(
        at,
        procedures[ordinal % len(procedures)],
        "elderly" if ordinal % 10 == 9 else None,
        follow_every > 0 and ordinal % follow_every == 0,
    )


class Scheduled:
    """A busy-day kiosk at a set pace: its share of the day's tickets, each at its moment;
    a kiosk that fell behind sends the next one at once (Log.behind says by how much)."""

    def __init__(self, turns: list[Turn]) -> None:
        self.turns = iter(turns)

    def take(self, start: float) -> Turn | None:
        return next(self.turns, None)


class Quota:
    """A busy-day kiosk flat out: the day's next ticket at once, until the tickets shared by
    every kiosk (`left`, a multiprocessing.Value) are taken or `seconds` have passed."""

    def __init__(
        self, left: Any, total: int, procedures: list[str], follow_every: int, seconds: float
    ) -> None:
        self.left = left
        self.total = total
        self.procedures = procedures
        self.follow_every = follow_every
        self.seconds = seconds

    def take(self, start: float) -> Turn | None:
        if time.monotonic() >= start + self.seconds:
            return None
        with self.left.get_lock():
            if self.left.value <= 0:
                return None
            self.left.value -= 1
            ordinal = self.total - self.left.value - 1
        return day_ticket(ordinal, None, self.procedures, self.follow_every)


def run_kiosk(
    index: int,
    plan: Plan,
    ready: Any,
    go: Any,
    start_at: Any,
    results: Any,
    turns: Turns | None = None,
    follow: Any = None,
) -> None:
    """Take tickets (load.py's closed loop unless told `turns`); the id of each followed
    ticket goes to the `follow` queue, where a phone picks it up."""
    log = Log()
    web = Http(plan.host, plan.port)
    turns = turns or ForSeconds(index, plan)
    if not wait_for_start(ready, go):
        results.put(("kiosk", index, log, time.process_time()))
        return
    start = start_at.value
    sleep_until(start)
    while (turn := turns.take(start)) is not None:
        if turn.at is not None:
            sleep_until(start + turn.at)
        sent = time.monotonic()
        if turn.at is not None:
            log.behind.append(sent - start - turn.at)
        try:
            status, ticket = web.post(
                "/api/tickets",
                {
                    "procedure_id": turn.procedure,
                    "documents_complete": True,
                    "priority": turn.priority,
                },
            )
        except (OSError, http.client.HTTPException) as error:
            log.error(type(error).__name__)
            continue
        answered = time.monotonic()
        if status == 201:
            log.issued.append((ticket["number"], sent, answered))
            if turn.followed and follow is not None:
                follow.put((ticket["number"], ticket["key"]))
                log.followed.append(ticket["number"])
        else:
            log.error(f"issue {status}")
    results.put(("kiosk", index, log, time.process_time()))


@dataclass
class Shift:
    """A counter's busy day: it serves each citizen it calls for 0.5–1.5 times `serving`
    seconds before finishing, and goes home at the first empty line after `closing` (a
    multiprocessing.Event: every kiosk has stopped) is set."""

    serving: float
    closing: Any


def run_counter(
    counter_id: int,
    plan: Plan,
    ready: Any,
    go: Any,
    start_at: Any,
    results: Any,
    shift: Shift | None = None,
) -> None:
    """Call and finish until plan.seconds are over (load.py), or through a Shift."""
    log = Log()
    serving = random.Random(counter_id)
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
        # read before asking: a "nobody waits" answered after closing but decided before
        # the last ticket was committed must not send the officer home
        closing = shift is not None and shift.closing.is_set()
        sent = time.monotonic()
        try:
            status, ticket = web.post(f"/api/counters/{counter_id}/next")
            answered = time.monotonic()
            if status == 204:
                log.empty += 1
                if closing:
                    break
                time.sleep(EMPTY_LINE_PAUSE)
                continue
            if status != 200:
                log.error(f"next {status}")
                time.sleep(EMPTY_LINE_PAUSE)
                continue
            log.called.append((ticket["number"], sent, answered))
            if shift is not None and shift.serving > 0:
                time.sleep(serving.uniform(0.5, 1.5) * shift.serving)
            sent = time.monotonic()
            status, _ = web.post(f"/api/tickets/{ticket['id']}/finish", {"outcome": "resolved"})
            if status == 200:
                log.finished.append((ticket["number"], sent, time.monotonic()))
            else:
                log.error(f"finish {status}")
        except (OSError, http.client.HTTPException) as error:
            log.error(type(error).__name__)
    results.put(("counter", counter_id, log, time.process_time()))


def officer_name(counter_id: int) -> str:
    return f"bench{counter_id:02d}"


class Display:
    """One lobby screen: notes (event, ticket number, seq, arrival) of every ticket_* event."""

    def __init__(self, url: str) -> None:
        self.arrivals: list[tuple[str, str, int, float]] = []
        self.stats = 0
        self.first_stats: dict[str, Any] | None = None
        self.last_stats: dict[str, Any] | None = None
        self.states = 0
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
            self.arrivals.append((name, data["number"], data["seq"], arrived))
        elif name == "stats":
            self.stats += 1
            self.last_stats = data
            if self.first_stats is None:
                self.first_stats = data


@dataclass
class ScreenLog:
    """What one listener got, small enough to send back: its ticket_* arrivals, how many
    snapshots (stats; ticket_state/counter_state), where the event log stood when it
    connected (its first stats' last_seq), and the counts of the last stats it saw. A phone's
    log names its ticket by number (its channel's key is the citizen's secret)."""

    port: int
    channel: str
    ticket: str | None
    arrivals: list[tuple[str, str, int, float]]
    stats: int
    states: int
    connected_seq: int | None
    last_stats: dict[str, Any] | None


def screen_log(
    screen: LeanDisplay | Display, port: int, channel: str, ticket: str | None = None
) -> ScreenLog:
    def decoded(stats: str | dict[str, Any] | None) -> dict[str, Any] | None:
        return payload(stats) if isinstance(stats, str) else stats

    first, last = decoded(screen.first_stats), decoded(screen.last_stats)
    return ScreenLog(
        port=port,
        channel=channel,
        ticket=ticket,
        arrivals=screen.arrivals,
        stats=screen.stats,
        states=screen.states,
        connected_seq=first.get("last_seq") if first else None,
        last_stats={key: last.get(key) for key in STATS_COUNTS} if last else None,
    )


def run_displays(
    group: int,
    count: int,
    kind: str,
    plan: Plan,
    ready: Any,
    drain: Any,
    expected: Any,
    results: Any,
    linger: float = 0.0,
) -> None:
    """`count` screens; after the load, wait (bounded) until each has every event, report.

    kind: "socketio" (python-socketio clients, a thread each) or "lean" (bench/lean_display.py,
    all read by this process's one thread). linger: seconds to stay once every event came,
    for the last stats (coalesced: they follow the last change by up to a few tenths).
    """
    if kind == "lean":
        screens: list[Any] = [
            LeanDisplay(plan.host, plan.port, {"channel": "display"}) for _ in range(count)
        ]
    else:
        screens = [Display(f"http://{plan.host}:{plan.port}") for _ in range(count)]
    ready.put("ready")
    hard_stop = time.monotonic() + READY_TIMEOUT + plan.seconds + 90
    give_up: list[float] = []
    leave: list[float] = []

    def finished() -> bool:
        now = time.monotonic()
        if now > hard_stop:
            return True
        if not drain.is_set():
            return False
        if not give_up:
            give_up.append(now + DRAIN_TIMEOUT)
        if now > give_up[0]:
            return True
        if not leave and all(len(s.arrivals) >= expected.value for s in screens):
            leave.append(now + linger)
        return bool(leave) and now >= leave[0]

    if kind == "lean":
        listen(screens, finished)
    else:
        while not finished():
            time.sleep(0.05)
    for screen in screens:
        screen.close()
    logs = [screen_log(s, plan.port, "display") for s in screens]
    results.put(("displays", group, logs, time.process_time()))


def ticket_page_finished(page: LeanDisplay) -> str | None:
    """How the phone learnt that its ticket is done: "event" (its ticket_updated came: a
    finish, the bench's officers do nothing else; nothing follows it), "state" (a
    ticket_state says finished: with two processes a snapshot can overtake events still on
    their way through Redis), or None."""
    if any(name == "ticket_updated" for name, *_ in page.arrivals):
        return "event"
    if page.last_state is not None and payload(page.last_state).get("status") == "finished":
        return "state"
    return None


def run_ticket_pages(
    plans: list[Plan], follow: Any, ready: Any, drain: Any, expected: Any, results: Any
) -> None:
    """Citizens' phones: for each (number, key) that comes on `follow`, a lean client on
    channel "ticket:<key>" of the servers in turn (as a load balancer would pick), closed once the
    ticket is finished, as a citizen leaves (PHONE_LINGER seconds after a snapshot said so,
    at once after its ticket_updated). After drain: wait (bounded) until `expected`
    pages were opened and all closed, then report a ScreenLog per page.

    Threads open the connections (a handshake blocks while the server computes the stats
    for it), so that the reading loop keeps noting arrival times meanwhile; several, so that
    phones do not queue behind each other's handshakes when the server is slow.
    """
    opened: queue.Queue[tuple[Plan, str, LeanDisplay | None]] = queue.Queue()
    stop = threading.Event()
    turns = itertools.count()

    def connect() -> None:
        while not stop.is_set():
            try:
                number, key = follow.get(timeout=0.1)
            except queue.Empty:
                continue
            plan = plans[next(turns) % len(plans)]
            try:
                page = LeanDisplay(plan.host, plan.port, {"channel": f"ticket:{key}"})
            except OSError:  # ConnectionError included: refused, closed, timed out
                page = None
            opened.put((plan, number, page))

    openers = [threading.Thread(target=connect, daemon=True) for _ in range(PHONE_OPENERS)]
    for opener in openers:
        opener.start()
    ready.put("ready")
    selector = selectors.DefaultSelector()
    pages: list[tuple[Plan, str, LeanDisplay]] = []
    leaving: dict[LeanDisplay, float] = {}
    handled = failed = 0

    def check(page: LeanDisplay, now: float) -> None:
        done = ticket_page_finished(page)
        if (
            page.closed
            or done == "event"
            or (done and now >= leaving.setdefault(page, now + PHONE_LINGER))
        ):
            selector.unregister(page.sock)
            leaving.pop(page, None)
            page.close()

    hard_stop = time.monotonic() + READY_TIMEOUT + plans[0].seconds + 90
    give_up: float | None = None
    while time.monotonic() < hard_stop:
        while True:
            try:
                plan, number, page = opened.get_nowait()
            except queue.Empty:
                break
            handled += 1
            if page is None:
                failed += 1
                continue
            pages.append((plan, number, page))
            selector.register(page.sock, selectors.EVENT_READ, page)
            page.handle_buffered(time.monotonic())
            check(page, time.monotonic())
        if selector.get_map():
            events = selector.select(timeout=0.05)
        else:
            events = []
            time.sleep(0.01)
        for key, _ in events:
            key.data.receive(time.monotonic())
            check(key.data, time.monotonic())
        for page in list(leaving):
            check(page, time.monotonic())
        if drain.is_set():
            now = time.monotonic()
            give_up = give_up or now + DRAIN_TIMEOUT
            if (handled >= expected.value and not selector.get_map()) or now > give_up:
                break
    stop.set()
    for opener in openers:
        opener.join(timeout=HTTP_TIMEOUT + 1)
    for key in list(selector.get_map().values()):
        key.data.close()
    selector.close()
    logs = [screen_log(page, plan.port, "ticket", number) for plan, number, page in pages]
    results.put(("pages", failed, logs, time.process_time()))
