"""Socket.IO: the one place that emits. Channels, rooms, publishing, replay, stats.

Clients only listen. A client connects with auth {"channel": "display" | "counter:<id>" |
"ticket:<key>", "since": N?}; the server checks the channel, chooses the client's room
(room_for_channel), replays the ticket_* events it missed (seq > since, same day, its room
only) and sends the current stats.

The rooms: `display` and `counter:<id>` (the screen above a counter) are public: they hear a
ticket as its public projection, its number (line/tickets.py public_ticket). `console:<id>`
(a counter channel opened with an officer's session) and `ticket:<id>` (the citizen's phone,
which connected with the ticket's key) hear the whole ticket. Every `console:<id>` listener
is also in `consoles`, where the kiosks' calls for an officer (`help_request`) go.

After every change the snapshots are pushed again, coalesced to at most one round per
STATS_INTERVAL seconds: `stats` to everyone, `counter_state` to the consoles, `ticket_state`
to each followed ticket (its place in line moves whenever anyone is called).

Several processes (MOTCUA_MESSAGE_QUEUE): events and setup changes go through Redis to
every process's listeners. Snapshots do not: each process knows only its own rooms, so it
pushes them to its own listeners (ignore_queue), after its own changes and after hearing
another process publish (SharedEventsManager).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import socketio as python_socketio
from flask import request, session
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from server.clock import Clock
from server.errors import NotFound
from server.line.console import counter_state
from server.line.events import CounterChanged, TicketEvent, events_since
from server.line.help_requests import HelpRequestChanged
from server.line.stats import today_stats
from server.line.tickets import citizen_ticket, get_ticket, public_ticket
from server.printing.spool import PrinterStatusChanged
from server.printing.worker import PrintWorker, call
from server.push.worker import PushWorker
from server.settings import Settings
from server.setup.audit import SetupChanged
from server.setup.auth import user_of_session
from server.storage.db import Database, connection
from server.sync.sender import HubSender
from server.web.connections import bound_live_clients

STATS_INTERVAL = 0.3
CONSOLES = "consoles"  # every console:<id> listener is also here: kiosks' help requests
ADMITTED = "motcua.admitted"  # in a connection's WSGI environ, kept for all its events
# What another process publishes that moves this process's snapshots.
SNAPSHOT_TRIGGERS = frozenset(
    {"ticket_issued", "ticket_called", "ticket_updated", "setup_changed", "counter_changed"}
)


def rooms_for_event(event: TicketEvent) -> list[str]:
    """The rooms that hear a ticket event: the lobby, the followed ticket, and the screens and
    consoles of the counters it concerns (the event's audience, stored with it)."""
    counters = event.counter_ids
    return [
        "display",
        *(f"counter:{c}" for c in counters),
        f"ticket:{event.ticket_id}",
        *(f"console:{c}" for c in counters),
    ]


def is_public(room: str) -> bool:
    """Whether anyone may be in the room (the lobby, a counter's screen)."""
    return room == "display" or room.startswith("counter:")


def projection_for(room: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """How the room sees a ticket: public rooms its number (public_ticket), a citizen's phone
    their own ticket without the officers' notes (citizen_ticket), a console all of it."""
    if is_public(room):
        return public_ticket
    if room.startswith("ticket:"):
        return citizen_ticket
    return dict


def payload_for(room: str, event: TicketEvent) -> dict[str, Any]:
    """What the room hears of the event."""
    return projection_for(room)(event.to_dict())


def room_for_channel(db: Database, channel: Any, officer: Callable[[], bool]) -> str | None:
    """The room of a valid channel, or None for anything the server does not know.

    officer(): whether the connection carries an officer's session, asked only for a counter
    channel (the console hears whole tickets, the screen above the counter their numbers)."""
    if channel == "display":
        return "display"
    if not isinstance(channel, str) or len(channel) > 100:
        return None
    kind, _, name = channel.partition(":")
    if kind == "counter" and name.isdigit() and len(name) <= 18:
        found = db.execute("SELECT 1 FROM counters WHERE id = ?", [int(name)]).fetchone()
        if not found:
            return None
        return f"console:{int(name)}" if officer() else f"counter:{int(name)}"
    if kind == "ticket" and name:
        found = db.execute("SELECT id FROM tickets WHERE key = ?", [name]).fetchone()
        return f"ticket:{found[0]}" if found else None
    return None


class SnapshotBroadcaster:
    """Pushes the snapshots after changes: at once, then at most once per interval."""

    def __init__(self, socketio: SocketIO, push: Callable[[], None]) -> None:
        self._socketio = socketio
        self._push = push
        self._lock = threading.Lock()
        self._dirty = False
        self._running = False

    def request(self) -> None:
        with self._lock:
            self._dirty = True
            if self._running:
                return
            self._running = True
        self._socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._dirty:
                    self._running = False
                    return
                self._dirty = False
            self._push()
            self._socketio.sleep(STATS_INTERVAL)


class SharedEventsManager(python_socketio.RedisManager):
    """Flask-SocketIO's Redis manager, which also tells this process when another one
    published a change, so that it pushes fresh snapshots to its own listeners."""

    def __init__(self, url: str, on_remote_change: Callable[[], None]) -> None:
        super().__init__(url, channel="flask-socketio")
        self._on_remote_change = on_remote_change

    def _handle_emit(self, message: dict[str, Any]) -> None:
        super()._handle_emit(message)
        remote = message.get("host_id") != self.host_id
        if remote and message.get("event") in SNAPSHOT_TRIGGERS:
            self._on_remote_change()


class Realtime:
    """Publishes domain events to the rooms that should hear them."""

    def __init__(self, socketio: SocketIO, settings: Settings, clock: Clock) -> None:
        self.socketio = socketio
        self.settings = settings
        self.clock = clock
        self.snapshots = SnapshotBroadcaster(socketio, self.push_snapshots)

    def with_db(self, work: Callable[[Database], Any]) -> Any:
        with connection(self.settings.database) as db:
            return work(db)

    def publish(self, events: Iterable[Any]) -> None:
        """Emit committed events, each to whoever should hear it, then schedule the snapshot
        pushes when any of them moves what the snapshots show.

        - a ticket event to its rooms (rooms_for_event), with its seq;
        - `setup_changed` to everyone: kiosks, consoles and the TV reload that part of the
          setup without a page reload (the stats carry the center's name and session);
        - `counter_changed` to everyone: a counter opened or closed (its stats row moves);
        - `printer_status` to everyone: kiosks and consoles show it (the TV ignores it).
        - `help_request` whole to every console (the `consoles` room), and only its id and
          status to the public screens: the kiosk that asked follows its own by id.
        """
        moved = False
        for event in events:
            if isinstance(event, TicketEvent):
                audiences: dict[Callable[..., dict[str, Any]], list[str]] = {}
                for room in rooms_for_event(event):
                    audiences.setdefault(projection_for(room), []).append(room)
                for projection, rooms in audiences.items():
                    self.socketio.emit(event.name, projection(event.to_dict()), to=rooms)
                moved = True
            elif isinstance(event, SetupChanged):
                self.socketio.emit("setup_changed", event.to_dict())
                moved = True
            elif isinstance(event, CounterChanged):
                self.socketio.emit("counter_changed", event.to_dict())
                moved = True
            elif isinstance(event, PrinterStatusChanged):
                self.socketio.emit("printer_status", event.to_dict())
            elif isinstance(event, HelpRequestChanged):
                self.socketio.emit("help_request", event.to_dict(), to=CONSOLES)
                self.socketio.emit("help_request", event.public(), to="display")
            else:
                raise TypeError(f"no audience for {event!r}")
        if moved:
            self.snapshots.request()

    def publish_printer_status(self, status: dict[str, Any]) -> None:
        """The print worker's news of a printer (it writes outside any request)."""
        self.publish([PrinterStatusChanged(status)])

    def local_rooms(self, kind: str) -> list[str]:
        """This process's rooms of one kind ("console", "ticket") that have listeners."""
        rooms = self.socketio.server.manager.rooms.get("/", {})
        return [
            room for room in list(rooms) if room and room.startswith(f"{kind}:") and rooms[room]
        ]

    def push_snapshots(self) -> None:
        """One round: stats to all, counter_state to consoles, ticket_state to followers."""
        consoles, followed = self.local_rooms("console"), self.local_rooms("ticket")

        def compute(db: Database) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
            states = [(room, self.counter_state(db, room)) for room in consoles]
            states += [(room, self.ticket_state(db, room)) for room in followed]
            return today_stats(db, self.clock, self.settings), states

        stats, states = self.with_db(compute)
        self.socketio.emit("stats", stats, ignore_queue=True)
        for room, state in states:
            if state is not None:
                name = "counter_state" if room.startswith("console:") else "ticket_state"
                self.socketio.emit(name, state, to=room, ignore_queue=True)

    def counter_state(self, db: Database, room: str) -> dict[str, Any]:
        counter_id = int(room.partition(":")[2])
        return counter_state(db, self.clock, self.settings, counter_id)

    def ticket_state(self, db: Database, room: str) -> dict[str, Any] | None:
        try:
            return citizen_ticket(get_ticket(db, self.clock, self.settings, room.partition(":")[2]))
        except NotFound:
            return None

    def on_connect(self, auth: Any) -> None:
        """Admit a listener to its channel, replay what it missed, send the snapshot.

        The client joins its room before the log is read: an event committed meanwhile is
        then replayed, delivered live, or both (clients drop a seq they already have), but
        never lost.

        A client can also send an event named "connect" (Socket.IO hands it here like a real
        one): that would join rooms and replay the day at will, so a connection is admitted
        once: the first time it is let in.
        """
        if request.environ.get(ADMITTED):
            return
        auth = auth if isinstance(auth, dict) else {}
        room = self.with_db(
            lambda db: room_for_channel(db, auth.get("channel"), self.officer_session)
        )
        if room is None:
            message = "Kênh kết nối không hợp lệ."
            raise ConnectionRefusedError(message, {"code": "unknown_channel", "message": message})
        join_room(room)
        if room.startswith("console:"):
            join_room(CONSOLES)
        request.environ[ADMITTED] = True
        missed, stats, state = self.with_db(lambda db: self.catch_up(db, room, auth.get("since")))
        for event in missed:
            self.socketio.emit(event.name, payload_for(room, event), to=request.sid)
        self.socketio.emit("stats", stats, to=request.sid)
        if state is not None:
            name = "counter_state" if room.startswith("console:") else "ticket_state"
            self.socketio.emit(name, state, to=request.sid)

    def officer_session(self) -> bool:
        """Whether the connecting browser carries a session that is still open (not logged
        out, disabled or given a new password since) of an active officer or admin."""
        cookie = dict(session)
        return self.with_db(lambda db: user_of_session(db, cookie)) is not None

    def catch_up(
        self, db: Database, room: str, since: Any
    ) -> tuple[list[TicketEvent], dict[str, Any], dict[str, Any] | None]:
        """Today's events of this room after `since` (none without since), the stats, and
        the console's or followed ticket's snapshot."""
        missed: list[TicketEvent] = []
        if isinstance(since, int) and not isinstance(since, bool) and 0 <= since < 2**63:
            day = self.clock.now().date()
            missed = [e for e in events_since(db, day, since) if room in rooms_for_event(e)]
        state = None
        if room.startswith("console:"):
            state = self.counter_state(db, room)
        elif room.startswith("ticket:"):
            state = self.ticket_state(db, room)
        return missed, today_stats(db, self.clock, self.settings), state


def start_worker(
    make: Callable[..., Any],
    realtime: Realtime,
    run_blocking: Callable[[Callable[[], Any]], Any] | None = None,
    **options: Any,
) -> Any:
    """A background worker of this process (printing, pushing), its tasks and sleeps
    Socket.IO's (greenlets under eventlet), its blocking I/O through run_blocking."""
    socketio = realtime.socketio
    worker = make(
        realtime.settings,
        realtime.clock,
        spawn=socketio.start_background_task,
        sleep=socketio.sleep,
        run_blocking=run_blocking or call,
        **options,
    )
    worker.start()
    return worker


def start_print_worker(
    realtime: Realtime, run_blocking: Callable[[Callable[[], Any]], Any] | None = None
) -> PrintWorker:
    """Print queued receipts in this process's background; printer states go to every
    screen as `printer_status` (not a ticket event: no seq, no replay; a screen that
    (re)connects reads GET /api/printers)."""
    return start_worker(
        PrintWorker, realtime, run_blocking, publish=realtime.publish_printer_status
    )


def start_push_worker(
    realtime: Realtime, run_blocking: Callable[[Callable[[], Any]], Any] | None = None
) -> PushWorker:
    """Send the push outbox's messages in this process's background (server/push/worker.py):
    the HTTPS requests to the push services go through run_blocking, like printer I/O."""
    return start_worker(PushWorker, realtime, run_blocking)


def start_hub_sender(
    realtime: Realtime, run_blocking: Callable[[Callable[[], Any]], Any] | None = None
) -> HubSender:
    """Send this center's facts to the province hub in this process's background
    (server/sync/sender.py): the HTTP requests go through run_blocking, like printer I/O."""
    return start_worker(HubSender, realtime, run_blocking)


def create_socketio(app: Any, settings: Settings, clock: Clock) -> Realtime:
    """One SocketIO per app (tests build many apps), its handlers, its publisher."""
    socketio = SocketIO(async_mode=settings.async_mode, max_http_buffer_size=16 * 1024)
    realtime = Realtime(socketio, settings, clock)
    if settings.message_queue:
        manager = SharedEventsManager(settings.message_queue, realtime.snapshots.request)
        socketio.init_app(app, client_manager=manager)
    else:
        socketio.init_app(app)
    socketio.on_event("connect", realtime.on_connect)
    bound_live_clients(socketio.server, settings.connections_per_address)
    return realtime
