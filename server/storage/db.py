"""Opening the SQLite database and running one write transaction.

One connection per request or thread at a time (sqlite3 connections must not be shared by
threads that write); the schema itself lives in server/storage/migrations.py.

The server reuses its connections (keep_connections): closing one hands it back to a small
pool, and the next open_database of the same file takes it again. Opening costs far more
than a request's queries (measured: ~0.6 ms to open, ~0.5 ms to close, every statement
prepared anew, and the last close of a file checkpoints and deletes the WAL that the next
commit re-creates). So while the server runs, recent writes may sit in motcua.db-wal:
back up the database with its -wal file, or with `sqlite3 motcua.db ".backup copy.db"`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from server.storage.migrations import migrations
from server.storage.private_files import private_file

# How long a writer waits for another one's lock before "database is locked". Each commit waits
# for the disk (synchronous FULL), so twenty kiosks at once on a slow or busy disk queue for
# seconds; SQLite's lock is not fair, so one writer can wait far longer than the average.
# Waiting is better than a refused ticket: in one process writers never overlap (eventlet),
# so this only ever holds up other processes and the command line.
BUSY_TIMEOUT_MS = 30_000
POOL_SIZE = 16  # idle connections kept, over all files of the process
# A commit is on disk before the receipt prints: with NORMAL, a power cut (common where there
# is no UPS) could lose the last tickets after their receipts came out, and the same numbers
# would be printed again. FULL costs an fsync per commit: docs/performance.md has the figure.
SYNCHRONOUS_FULL = 2  # what PRAGMA synchronous reads back for FULL


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, which also carries the events of its transactions.

    A domain function says what happened with `add_event(db, event)` inside its
    write_transaction: COMMIT releases the transaction's events, ROLLBACK drops them, so an
    event exists exactly when its change does. The web edge takes the released events after
    every request (`take_committed_events`) and publishes them: no view can forget to, and
    nothing is announced that was rolled back.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_events: list[Any] = []
        self.committed_events: list[Any] = []


class PooledConnection(sqlite3.Connection):
    """A connection whose close() hands it back to the pool (a connection is idle there).

    pool_key names what it is connected to: the file (path, device, inode) and the process
    that opened it, so a connection never outlives a file replaced under the same name,
    nor crosses a fork.
    """

    pool_key: tuple[str, int, int, int] | None = None

    def close(self) -> None:
        if self.pool_key is None or not _pool.give_back(self):
            super().close()


class ConnectionPool:
    """The idle connections of this process, newest last."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: list[PooledConnection] = []
        self._lock = threading.Lock()

    def take(self, key: tuple[str, int, int, int]) -> PooledConnection | None:
        with self._lock:
            for index in range(len(self._idle) - 1, -1, -1):
                if self._idle[index].pool_key == key:
                    return self._idle.pop(index)
        return None

    def give_back(self, connection: PooledConnection) -> bool:
        """Keep a connection for reuse; False when it should really be closed."""
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        except sqlite3.Error:
            return False
        connection.row_factory = None
        with self._lock:
            if connection in self._idle:
                return True  # closed twice
            self._idle.append(connection)
            evicted = self._idle.pop(0) if len(self._idle) > self.size else None
        if evicted is not None:
            sqlite3.Connection.close(evicted)
        return True


_pool = ConnectionPool(POOL_SIZE)
_kept_files: set[str] = set()


def keep_connections(path: Path | str) -> None:
    """Reuse the connections to this file from now on (the server's own database).

    Other files keep the plain behaviour: close() closes, and the last close folds the WAL
    back into the file (a copied template database, a file a command just wrote).
    """
    _kept_files.add(os.path.abspath(path))


def file_key(path: str) -> tuple[str, int, int, int] | None:
    """What a pooled connection must match: the file now at this path, in this process."""
    absolute = os.path.abspath(path)
    if absolute not in _kept_files:
        return None
    try:
        stat = os.stat(absolute)
    except OSError:
        return None
    return (absolute, os.getpid(), stat.st_dev, stat.st_ino)


def open_database(path: Path | str) -> Database:
    """Open the database file (or take an idle connection to it) with the pragmas it needs.

    isolation_level=None leaves transactions to us (BEGIN IMMEDIATE in write_transaction);
    foreign keys are per connection in SQLite, so they are switched on here every time.
    `db.conn.close()` hands the connection back (rolling back anything left open).
    """
    key = file_key(str(path))
    connection = _pool.take(key) if key is not None else None
    if connection is not None:
        # Setting a flag pragma expires every prepared statement of the connection (SQLite
        # compiles them anew), which would undo half of the reuse: only repair what changed.
        if connection.execute("PRAGMA foreign_keys").fetchone()[0] != 1:
            connection.execute("PRAGMA foreign_keys = ON")
        if connection.execute("PRAGMA synchronous").fetchone()[0] != SYNCHRONOUS_FULL:
            connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return Database(connection, execute_plugins=False, recursive_triggers=False)
    connection = sqlite3.connect(
        str(path),
        check_same_thread=False,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=PooledConnection,
    )
    connection.pool_key = file_key(str(path))
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = FULL")
    return Database(connection, execute_plugins=False)  # switches recursive_triggers on


@contextmanager
def connection(path: Path | str) -> Iterator[Database]:
    """A connection for one piece of work outside a request (a command, a background task),
    handed back to the pool (or closed) when the work is done, whatever happened. A close that
    fails (the file gone under a running server) is nothing the work could act on."""
    db = open_database(path)
    try:
        yield db
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.conn.close()


def migrate(path: Path | str) -> None:
    """Create the file (and its folder) if needed, only the service may read them, and apply
    pending migrations."""
    private_file(Path(path))
    with connection(path) as db:
        migrations.apply(db)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One all-or-nothing write that takes SQLite's write lock at BEGIN.

    A deferred transaction that reads first and writes later fails at once with
    "database is locked" when another writer committed in between (WAL snapshots cannot
    be upgraded); BEGIN IMMEDIATE waits for the lock instead. Nothing inside may yield to
    eventlet: the caller commits, then publishes events and prints.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.pending_events.clear()
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")
        db.committed_events.extend(db.pending_events)
        db.pending_events.clear()


def add_event(db: Database, event: Any) -> None:
    """Report what the current write transaction did: published once it has committed."""
    if not db.conn.in_transaction:
        raise RuntimeError("an event belongs to a write transaction (write_transaction)")
    db.pending_events.append(event)


def take_committed_events(db: Database) -> list[Any]:
    """The events of the transactions committed on this connection since the last call."""
    events, db.committed_events = db.committed_events, []
    return events


def rows_as_dicts(db: Database, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run a query and name each row's values by column."""
    cursor = db.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
