"""Socket.IO: the one place that emits. Channels, rooms, publishing, replay, stats.

Clients only listen. A client connects with auth {"channel": "display" | "counter:<id>" |
"ticket:<id>", "since": N?}; the server checks the channel, puts the client in the room of
the same name, replays the ticket_* events it missed (seq > since, same day, its channel
only) and sends the current stats. After every change the stats snapshot is pushed again,
coalesced to at most one per STATS_INTERVAL seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room
from sqlite_utils import Database

from server.clock import Clock
from server.db import keep_connections, open_database
from server.events import TicketEvent, events_since
from server.settings import Settings
from server.stats import today_stats

STATS_INTERVAL = 0.3


def rooms_for_event(event: TicketEvent) -> list[str]:
    """The rooms that hear a ticket event; a channel name is its room name."""
    return ["display", f"ticket:{event.ticket_id}", *(f"counter:{c}" for c in event.counter_ids)]


def room_for_channel(db: Database, channel: Any) -> str | None:
    """The room of a valid channel, or None for anything the server does not know."""
    if channel == "display":
        return "display"
    if not isinstance(channel, str) or len(channel) > 100:
        return None
    kind, _, key = channel.partition(":")
    if kind == "counter" and key.isdigit():
        found = db.execute("SELECT 1 FROM counters WHERE id = ?", [int(key)]).fetchone()
        return channel if found else None
    if kind == "ticket" and key:
        found = db.execute("SELECT 1 FROM tickets WHERE id = ?", [key]).fetchone()
        return channel if found else None
    return None


class StatsBroadcaster:
    """Pushes the stats snapshot after changes: at once, then at most once per interval."""

    def __init__(self, socketio: SocketIO, compute: Callable[[], dict[str, Any]]) -> None:
        self._socketio = socketio
        self._compute = compute
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
            self._socketio.emit("stats", self._compute())
            self._socketio.sleep(STATS_INTERVAL)


class Realtime:
    """Publishes domain events to the rooms that should hear them."""

    def __init__(self, socketio: SocketIO, settings: Settings, clock: Clock) -> None:
        self.socketio = socketio
        self.settings = settings
        self.clock = clock
        self.stats = StatsBroadcaster(socketio, self.compute_stats)

    def with_db(self, work: Callable[[Database], Any]) -> Any:
        db = open_database(self.settings.database)
        try:
            return work(db)
        finally:
            db.conn.close()

    def compute_stats(self) -> dict[str, Any]:
        return self.with_db(lambda db: today_stats(db, self.clock, self.settings))

    def publish(self, events: Iterable[TicketEvent]) -> None:
        """Emit committed events to their rooms, then schedule a stats push."""
        for event in events:
            self.socketio.emit(event.name, event.to_dict(), to=rooms_for_event(event))
        self.stats.request()

    def on_connect(self, auth: Any) -> None:
        """Admit a listener to its channel, replay what it missed, send the snapshot.

        The client joins its room before the log is read: an event committed meanwhile is
        then replayed, delivered live, or both (clients drop a seq they already have), but
        never lost.
        """
        auth = auth if isinstance(auth, dict) else {}
        room = self.with_db(lambda db: room_for_channel(db, auth.get("channel")))
        if room is None:
            message = "Kênh kết nối không hợp lệ."
            raise ConnectionRefusedError(message, {"code": "unknown_channel", "message": message})
        join_room(room)
        missed, stats = self.with_db(lambda db: self.catch_up(db, room, auth.get("since")))
        for event in missed:
            self.socketio.emit(event.name, event.to_dict(), to=request.sid)
        self.socketio.emit("stats", stats, to=request.sid)

    def catch_up(
        self, db: Database, room: str, since: Any
    ) -> tuple[list[TicketEvent], dict[str, Any]]:
        """Today's events of this room after `since` (none without since), and the stats."""
        missed: list[TicketEvent] = []
        if isinstance(since, int) and not isinstance(since, bool) and since >= 0:
            day = self.clock.now().date()
            missed = [e for e in events_since(db, day, since) if room in rooms_for_event(e)]
        return missed, today_stats(db, self.clock, self.settings)


def create_socketio(app: Any, settings: Settings, clock: Clock) -> Realtime:
    """One SocketIO per app (tests build many apps), its handlers, its publisher."""
    keep_connections(settings.database)  # requests and stats reuse connections (server/db.py)
    socketio = SocketIO(
        app,
        async_mode=settings.async_mode,
        message_queue=settings.message_queue,
        max_http_buffer_size=16 * 1024,
    )
    realtime = Realtime(socketio, settings, clock)
    socketio.on_event("connect", realtime.on_connect)
    return realtime
