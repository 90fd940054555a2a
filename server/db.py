"""Opening the SQLite database and running one write transaction.

One connection per request or thread (sqlite3 connections must not be shared by threads
that write); the schema itself lives in server/migrations.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from server.migrations import migrations

BUSY_TIMEOUT_MS = 5000


def open_database(path: Path | str) -> Database:
    """Open the database file with the pragmas every connection needs.

    isolation_level=None leaves transactions to us (BEGIN IMMEDIATE in write_transaction);
    foreign keys are per connection in SQLite, so they are switched on here every time.
    """
    connection = sqlite3.connect(
        str(path), check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    return Database(connection, execute_plugins=False)


def migrate(path: Path | str) -> None:
    """Create the file (and its folder) if needed and apply pending migrations."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path)
    try:
        migrations.apply(db)
    finally:
        db.conn.close()


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
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


def rows_as_dicts(db: Database, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run a query and name each row's values by column."""
    cursor = db.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
