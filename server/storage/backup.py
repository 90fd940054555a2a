"""Online backups of the SQLite database, while the server keeps issuing tickets.

SQLite's backup API copies a consistent snapshot page by page without stopping writers (a
plain file copy of a live WAL database can miss the -wal file's recent commits, or tear).
The copy is checked with `PRAGMA integrity_check` before it counts, and the oldest backups
beyond `keep` are removed, so a daily timer keeps the last month.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from server.storage.private_files import private_file

PREFIX = "motcua-"
SUFFIX = ".db"
PAGES_PER_STEP = 256  # copy in steps: a writer waits at most one step for the lock


class BackupError(Exception):
    """The backup could not be made or did not check out; the message is for the installer."""


def backup_database(source: Path, folder: Path, moment: datetime, keep: int = 30) -> Path:
    """Copy the live database into folder/motcua-YYYYmmdd-HHMMSS.db, check the copy, and keep
    the newest `keep` backups. Returns the new file."""
    if keep < 1:
        raise BackupError("Cần giữ lại ít nhất 1 bản sao lưu.")
    if not Path(source).exists():
        raise BackupError(f"Không có cơ sở dữ liệu {source}.")
    target = folder / f"{PREFIX}{moment:%Y%m%d-%H%M%S}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        private_file(partial)  # a backup is the whole database: the service's eyes only
        with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
            live.backup(copy, pages=PAGES_PER_STEP)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        live.close()
        copy.close()
        check_database(partial)
        partial.replace(target)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"Sao lưu thất bại: {error}") from error
    finally:
        partial.unlink(missing_ok=True)  # a failed or unchecked copy never lingers
    for old in backups(folder)[:-keep]:
        old.unlink()
    return target


def check_database(path: Path) -> None:
    """Raise BackupError unless SQLite finds the file sound and it holds our schema."""
    try:
        with sqlite3.connect(path) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Không đọc được {path.name}: {error}") from error
    if result != "ok":
        raise BackupError(f"Bản sao lưu {path.name} bị lỗi: {result}")
    if "tickets" not in tables:
        raise BackupError(f"{path.name} không phải cơ sở dữ liệu của motcua-queue.")


def backups(folder: Path) -> list[Path]:
    """The backups in the folder, oldest first (their names sort by time)."""
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
