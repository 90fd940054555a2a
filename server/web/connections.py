"""Bounds on what one client address may hold open, so that a thousand idle connections from
one machine leave the lobby TV, the kiosks and the consoles working.

One rule, MOTCUA_CONNECTIONS_PER_ADDRESS (Settings.connections_per_address), at two doors:

- TCP connections. eventlet's server gives each accepted connection a greenthread from one
  pool (1,024 by default) and, unless told otherwise, waits for its request forever: 1,024
  idle connections froze it, and under systemd's usual limit of 1,024 open files the accept
  that failed stopped the process. AddressBoundPool is that pool: a connection from an
  address that already holds its share is closed at once, before it takes a greenthread or
  a request is read. The server also gets timeouts (IDLE_SECONDS, SOCKET_TIMEOUT_SECONDS)
  and a pool that fits the open-file limit (server_options, called by `motcua serve`).
  Behind nginx (MOTCUA_TRUSTED_PROXIES) every connection comes from nginx: the share is
  lifted there, and nginx's limit_conn bounds each client instead (docs/deploy.md).
- Live-event (Engine.IO) sessions. A long-polling client holds no connection between polls,
  so the pool never sees it: bound_live_clients refuses a new session to an address (the
  client's own, behind nginx) that already has its share.
"""

from __future__ import annotations

import logging
import resource
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from server.settings import Settings

logger = logging.getLogger(__name__)

# A connection's wait for its first or next request (HTTP keep-alive): a browser opens a new
# one when it needs to, an idle attacker's slot is freed.
IDLE_SECONDS = 30
# One read or write within a request, and a WebSocket's silence: Engine.IO pings every 25 s
# and a live client answers at once, so only a dead or mute one waits this long.
SOCKET_TIMEOUT_SECONDS = 60
# The greenthread pool: twenty addresses holding their whole default share at once.
MAX_CONNECTIONS = 2000
# Open files kept for everything but client connections: the database and its WAL, printers,
# Redis, logs. The pool is shrunk to fit when the process may not open that many.
FILE_RESERVE = 256
REFUSAL_LOG_SECONDS = 60.0  # an address's refusals are logged at most once a minute
TOO_MANY = {
    "code": "too_many_connections",
    "message": "Quá nhiều kết nối từ địa chỉ này. Vui lòng đóng bớt các trang đang mở rồi thử lại.",
}


class AddressShares:
    """What each address holds open (tokens: a connection's address and port, a session's
    id), at most `limit` each. A refusal is logged, at most once a minute per address with
    how many there were, so that an installer sees why a device was turned away."""

    def __init__(self, limit: int, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.what = what
        self._clock = clock
        self._held: dict[str, set[Hashable]] = {}
        self._address_of: dict[Hashable, str] = {}
        self._refusals: dict[str, tuple[float, int]] = {}  # last logged, refused since
        self._lock = threading.Lock()

    def take(
        self, address: str, token: Hashable, still_open: Callable[[Hashable], bool] | None = None
    ) -> bool:
        """Hold one more for `address`, or refuse (False) when it has its share. still_open
        tells a token that was closed without being given back (then it no longer counts)."""
        with self._lock:
            held = self._held.setdefault(address, set())
            if len(held) >= self.limit and still_open is not None:
                for gone in [token for token in held if not still_open(token)]:
                    held.discard(gone)
                    self._address_of.pop(gone, None)
            admitted = len(held) < self.limit
            if admitted:
                held.add(token)
                self._address_of[token] = address
        if not admitted:
            self._note_refusal(address)
        return admitted

    def give_back(self, token: Hashable) -> None:
        with self._lock:
            address = self._address_of.pop(token, None)
            held = self._held.get(address) if address is not None else None
            if held is not None:
                held.discard(token)
                if not held:
                    del self._held[address]  # type: ignore[arg-type]

    def held(self, address: str) -> int:
        with self._lock:
            return len(self._held.get(address, ()))

    def _note_refusal(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            last, refused = self._refusals.get(address, (None, 0))
            refused += 1
            due = last is None or now - last >= REFUSAL_LOG_SECONDS
            self._refusals[address] = (now, 0) if due else (last, refused)
            if len(self._refusals) > 1024:  # forget addresses not refused for a while
                self._refusals = {
                    key: value
                    for key, value in self._refusals.items()
                    if now - value[0] < REFUSAL_LOG_SECONDS
                }
        if due:
            logger.warning(
                "Từ chối %d %s từ %s: địa chỉ này đã giữ %d (MOTCUA_CONNECTIONS_PER_ADDRESS).",
                refused,
                self.what,
                address,
                self.limit,
            )


class Refused:
    """What AddressBoundPool.spawn gives the server for a refused connection: the server's
    cleanup, linked to it, runs at once and closes the socket."""

    def link(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        function(self, *args, **kwargs)


class AddressBoundPool:
    """eventlet.wsgi.server's pool of connection greenthreads (its custom_pool), admitting at
    most `shares.limit` connections of one address (no bound when shares is None)."""

    def __init__(self, pool: Any, shares: AddressShares | None) -> None:
        self.pool = pool
        self.shares = shares

    def spawn(self, handle: Callable[[list[Any]], Any], connection: list[Any]) -> Any:
        """connection: the server's [client address, socket, state] of an accepted one."""
        client = connection[0]
        if self.shares is None:
            return self.pool.spawn(handle, connection)
        address = str(client[0] if isinstance(client, tuple) else client)
        if not self.shares.take(address, client):
            return Refused()
        thread = self.pool.spawn(handle, connection)
        thread.link(lambda _thread: self.shares.give_back(client))  # type: ignore[union-attr]
        return thread

    def waitall(self) -> Any:
        return self.pool.waitall()


def fit_open_files(wanted: int) -> int:
    """Raise this process's soft limit on open files towards `wanted` (systemd starts a
    service with 1,024, and a hard limit far above); the limit it now has."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return wanted
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def server_options(settings: Settings, green_pool: Callable[[int], Any] | None) -> dict[str, Any]:
    """The keyword arguments for eventlet.wsgi.server (through SocketIO.run): the pool,
    bounded per address, and the timeouts. green_pool: eventlet.GreenPool, handed in by
    `motcua serve`, the one module that imports eventlet; None (Werkzeug's development
    server, async mode threading): nothing.

    Raises the open-file limit as far as the pool needs, and shrinks the pool when it may
    not: an accept that fails for want of a file stops eventlet's server."""
    if green_pool is None:
        return {}
    files = fit_open_files(MAX_CONNECTIONS + FILE_RESERVE)
    size = max(64, min(MAX_CONNECTIONS, files - FILE_RESERVE))
    if size < MAX_CONNECTIONS:
        logger.warning(
            "Chỉ mở được %d tệp: phục vụ tối đa %d kết nối cùng lúc (nên đặt LimitNOFILE=%d).",
            files,
            size,
            MAX_CONNECTIONS + FILE_RESERVE,
        )
    per_address = 0 if settings.trusted_proxies else settings.connections_per_address
    shares = AddressShares(per_address, "kết nối") if per_address else None
    return {
        "custom_pool": AddressBoundPool(green_pool(size), shares),
        "keepalive": IDLE_SECONDS,
        "socket_timeout": SOCKET_TIMEOUT_SECONDS,
    }


def bound_live_clients(server: Any, limit: int) -> AddressShares | None:
    """Refuse a new Engine.IO session (a Socket.IO client, on any transport) to an address
    that already has `limit` (0: no bound), with 401 and TOO_MANY as its body.

    python-socketio's server registers its own Engine.IO connect and disconnect handlers;
    they are wrapped here. The address is REMOTE_ADDR, which behind nginx is the client's
    own (the app's ProxyFix sits outside Socket.IO: server/web/app.py)."""
    if not limit:
        return None
    eio = server.eio
    admit, leave = eio.handlers["connect"], eio.handlers["disconnect"]
    shares = AddressShares(limit, "kết nối trực tiếp (Socket.IO)")

    def connect(sid: str, environ: dict[str, Any]) -> Any:
        address = str(environ.get("REMOTE_ADDR", ""))
        if not shares.take(address, sid, still_open=lambda token: token in eio.sockets):
            return TOO_MANY
        answer = admit(sid, environ)
        if answer is not None and answer is not True:
            shares.give_back(sid)
        return answer

    def disconnect(sid: str, *args: Any) -> Any:
        shares.give_back(sid)
        return leave(sid, *args)

    eio.on("connect", connect)
    eio.on("disconnect", disconnect)
    return shares
