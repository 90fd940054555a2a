"""The hub's PostgreSQL: a pool of connections shared by a process's threads, and the
session key every hub process signs cookies with.

The hub keeps nothing on its own disk: several processes behind nginx (or on several
machines) answer alike because everything they know, the session key included, is in the
one database MOTCUA_HUB_DATABASE names.
"""

from __future__ import annotations

import secrets
from typing import Any

from psycopg import Connection, OperationalError
from psycopg_pool import ConnectionPool

__all__ = ["Connection", "ConnectionPool", "Unreachable", "connect", "open_pool", "session_key"]
Unreachable = OperationalError  # PostgreSQL cannot be reached (address, password, down)
POOL_TIMEOUT = 10.0  # seconds a request waits for a free connection before failing


def connection_options(timezone: str) -> dict[str, Any]:
    """Every hub connection: autocommit, so that a read is no transaction left open and each
    write is its own `conn.transaction()`; times read back in the hub's zone."""
    return {"autocommit": True, "options": f"-c TimeZone={timezone}"}


def open_pool(url: str, size: int, timezone: str) -> ConnectionPool:
    """A pool of at most `size` connections (one per serving thread), opened and checked:
    a wrong address or password fails here, at start, not at the first request."""
    pool = ConnectionPool(
        url,
        kwargs=connection_options(timezone),
        min_size=1,
        max_size=size,
        timeout=POOL_TIMEOUT,
        open=False,
        name="motcua-hub",
        check=ConnectionPool.check_connection,  # a connection PostgreSQL dropped is replaced
    )
    pool.open(wait=True, timeout=POOL_TIMEOUT)
    return pool


def connect(url: str, timezone: str) -> Connection:
    """One connection, for the command line."""
    return Connection.connect(url, **connection_options(timezone))


def session_key(conn: Connection) -> str:
    """The hub's cookie signing key, made by the first process that asks and read by the
    others (MOTCUA_SECRET_KEY, when set, is used instead: server/web/hub/app.py)."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO hub_secrets (name, value) VALUES ('session_key', %s)"
            " ON CONFLICT (name) DO NOTHING",
            [secrets.token_hex(32)],
        )
        row = conn.execute("SELECT value FROM hub_secrets WHERE name = 'session_key'").fetchone()
    return row[0]
