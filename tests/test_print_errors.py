"""The print worker keeps going through a broken database or printer, and says so in the
journal once, then once a minute: not at every quarter-second turn.

The worker's loop (supervise) runs here for real, its tasks inline, on a clock of its own
that each turn's sleep moves on by a quarter of a second: a minute of turns takes a moment.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from printers.connection import open_printer
from server.printing import spool
from server.printing.error_log import ErrorLog
from server.printing.worker import PrintWorker
from server.storage.db import Database

WORKER_LOG = "server.printing.worker"


class Turns:
    """The error log's clock: moved on by the worker's own sleep."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_worker(app: Any, **options: Any) -> tuple[PrintWorker, Turns]:
    services = app.extensions["motcua"]
    turns = Turns()
    worker = PrintWorker(
        services.settings,
        services.clock,
        lambda status: None,
        spawn=lambda task, *args: task(*args),
        sleep=lambda seconds: None,
        errors=ErrorLog(logging.getLogger(WORKER_LOG), clock=turns),
        **options,
    )
    return worker, turns


def run_for(worker: PrintWorker, turns: Turns, seconds: float) -> None:
    """The worker's loop, for `seconds` of its clock."""
    end = turns.now + seconds

    def sleep(pause: float) -> None:
        turns.now += pause
        if turns.now >= end:
            worker.stop()

    worker.sleep = sleep
    worker.stopped = False
    worker.supervise()


def read_only(worker: PrintWorker) -> None:
    """Every connection the worker opens refuses to write, as SQLite does for a file it may
    only read (the tests run as root, to whom a file's mode is no obstacle)."""
    opened = worker.with_db

    def with_db(work: Any) -> Any:
        def refusing(db: Database) -> Any:
            db.execute("PRAGMA query_only = 1")
            try:
                return work(db)
            finally:
                db.execute("PRAGMA query_only = 0")

        return opened(refusing)

    worker.with_db = with_db  # type: ignore[method-assign]


def logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == WORKER_LOG]


def jobs(db: Any) -> list[str]:
    return [row[0] for row in db.execute("SELECT status FROM print_jobs ORDER BY id")]


def test_a_read_only_database_is_logged_once_then_once_a_minute(app, issue, db, caplog):
    issue()
    worker, turns = make_worker(app)
    read_only(worker)
    run_for(worker, turns, 14)  # 56 turns: the adversarial pass saw 55 tracebacks here
    [first] = logged(caplog)
    assert first.levelno == logging.ERROR
    assert first.getMessage().startswith("In phiếu (cơ sở dữ liệu): OperationalError")
    assert "readonly" in first.getMessage()
    assert first.exc_info is not None  # the traceback, once

    run_for(worker, turns, 47)  # one minute and a second since the first
    first, again = logged(caplog)
    message = again.getMessage()
    assert message.startswith("In phiếu (cơ sở dữ liệu): vẫn lỗi OperationalError")
    repeats = int(re.search(r"thêm (\d+) lần trong 60 giây qua", message)[1])
    assert repeats >= 230  # every turn of that minute, counted rather than written
    assert again.exc_info is None
    assert jobs(db) == ["pending"]  # nothing lost meanwhile

    worker.with_db = PrintWorker.with_db.__get__(worker)  # type: ignore[method-assign]
    run_for(worker, turns, 1)  # the file is writable again: the receipt prints
    assert jobs(db) == ["printed"]
    assert len(logged(caplog)) == 2


def test_another_error_is_logged_at_once(app, issue, db, db_path: Path, caplog):
    issue()
    worker, turns = make_worker(app)
    read_only(worker)
    run_for(worker, turns, 5)
    assert len(logged(caplog)) == 1
    worker.with_db = PrintWorker.with_db.__get__(worker)  # type: ignore[method-assign]
    db_path.unlink()  # someone deleted the database under the running server
    run_for(worker, turns, 0.25)
    first, second = logged(caplog)
    assert "readonly" in first.getMessage()
    assert second.getMessage() == (
        "In phiếu (cơ sở dữ liệu): OperationalError: no such table: print_jobs"
    )
    run_for(worker, turns, 30)
    assert len(logged(caplog)) == 2


class BrokenDriver:
    """A printer whose driver fails the same way at every call (a bug, not paper or power)."""

    def status(self) -> str:
        raise RuntimeError("trình điều khiển máy in bị lỗi")

    def print_receipt(self, receipt: Any) -> str:
        raise RuntimeError("trình điều khiển máy in bị lỗi")

    def print_bytes(self, data: bytes, name: str) -> str:
        raise RuntimeError("trình điều khiển máy in bị lỗi")


def test_a_failing_printer_is_logged_once_a_minute_for_each_queue(app, issue, db, tmp_path, caplog):
    spool.configure_printer(db, "counter:1", f"dir:{tmp_path / 'quay-1'}")
    issue()
    worker, turns = make_worker(app, printer_for=lambda url: BrokenDriver())
    run_for(worker, turns, 14)
    messages = sorted(record.getMessage() for record in logged(caplog))
    assert messages == [
        "In phiếu (máy in counter:1): RuntimeError: trình điều khiển máy in bị lỗi",
        "In phiếu (máy in default): RuntimeError: trình điều khiển máy in bị lỗi",
    ]
    assert jobs(db) == ["pending"]
    run_for(worker, turns, 47)
    repeated = [record.getMessage() for record in logged(caplog)][2:]
    assert len(repeated) == 2
    assert all("vẫn lỗi RuntimeError" in message for message in repeated)


def test_a_printer_that_works_logs_nothing(app, issue, db, caplog):
    issue()
    worker, turns = make_worker(app, printer_for=open_printer)
    run_for(worker, turns, 2)
    assert jobs(db) == ["printed"]
    assert logged(caplog) == []
