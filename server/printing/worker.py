"""The print worker: takes jobs from the spool (server/printing/spool.py) and prints them.

It runs in the background of `motcua serve`, never on a request: a kiosk gets its ticket
whether or not paper is left. One task per printer queue, so a printer that is switched off
(whose connect waits for its timeout) never holds back another. Printer states are stored
and told to the screens (`printer_status`) whenever they change.

The task spawner and sleep come from the caller (Socket.IO's, so greenlets under eventlet);
`run_blocking` runs the printer I/O, which for USB and serial blocks the process and under
eventlet goes to a thread (eventlet.tpool: a 1 s USB write otherwise stalls every client).

No error stops the worker: the supervisor and each queue's task log what went wrong
(throttled by server/printing/error_log.py: a broken database fails every quarter of a
second) and try again at the next turn.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from printers.connection import Printer, PrinterError, open_printer
from printers.status import STATE_LABELS, State
from server.clock import Clock, iso
from server.printing import spool
from server.printing.error_log import ErrorLog
from server.settings import Settings
from server.storage.db import Database, connection

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # how soon a new job (from any process) is noticed
CHECK_SECONDS = 15.0  # how often an idle printer's state is asked (paper, power)
# The warm-up waits this long after a start: the screens reconnecting to a restarted server
# are answered first (docs/performance.md, "Startup and memory").
WARM_UP_AFTER = 3.0


def call(function: Callable[[], Any]) -> Any:
    return function()


def print_job(printer: Printer, job: spool.Job) -> State:
    """Draw a job's receipt and send it: all of it in run_blocking's thread under eventlet,
    the first receipt's imports included."""
    from printers.receipt import from_document  # Pillow: see PrintWorker.warm_up

    return printer.print_receipt(from_document(job.kind, job.document))


class PrintWorker:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        publish: Callable[[dict[str, Any]], None],
        *,
        spawn: Callable[..., Any],
        sleep: Callable[[float], None],
        run_blocking: Callable[[Callable[[], Any]], Any] = call,
        printer_for: Callable[[str], Printer] | None = None,
        errors: ErrorLog | None = None,
    ) -> None:
        """printer_for: the printer behind a URL, open_printer when None (tests give one
        with shorter network timeouts); errors: where failures are logged (tests give one
        on their own clock)."""
        self.settings = settings
        self.clock = clock
        self.publish = publish
        self.spawn = spawn
        self.sleep = sleep
        self.run_blocking = run_blocking
        self.printer_for = printer_for
        self.owner = lease_owner()
        self.running: set[str] = set()
        self.checked: dict[str, float] = {}
        self.stopped = False
        self.errors = errors or ErrorLog(logger)

    def start(self) -> None:
        self.spawn(self.supervise)

    def warm_up(self) -> None:
        """Import the renderer, load the fonts and draw one receipt, so the first citizen's
        receipt after a start is not the slow one (docs/performance.md: ~0.5 s cold)."""
        # Pillow and python-escpos: a server whose printers are all `none` never loads them.
        from printers.escpos_bytes import receipt_bytes
        from printers.receipt import SAMPLE_RECEIPT

        receipt_bytes(SAMPLE_RECEIPT)

    def warm_up_if_printing(self) -> None:
        """Warm up when some queue prints (its printer is not `none`)."""
        if self.with_db(self.draws_receipts):
            self.run_blocking(self.warm_up)

    def draws_receipts(self, db: Database) -> bool:
        """Whether any queue (the default one included) has a printer other than `none`."""
        queues = {spool.DEFAULT_QUEUE, *self.configured_queues(db)}
        return any(spool.printer_url(db, self.settings, q).strip() != "none" for q in queues)

    def stop(self) -> None:
        self.stopped = True

    def supervise(self) -> None:
        """Give back the leases of a crashed predecessor, then keep every queue drained and
        every idle printer's state fresh; WARM_UP_AFTER seconds in, warm the renderer up.
        A broken database is reported (once, then once a minute) and tried again."""
        released = False
        warm_up_at: float | None = time.time() + WARM_UP_AFTER
        while not self.stopped:
            try:
                if not released:
                    self.with_db(lambda db: spool.release_leases(db, self.owner_is_dead))
                    released = True
                if warm_up_at is not None and time.time() >= warm_up_at:
                    warm_up_at = None
                    self.spawn(self.warm_up_if_printing)
                self.start_due_tasks()
            except Exception as error:
                self.report(error, "database")
            self.sleep(POLL_SECONDS)

    def start_due_tasks(self) -> None:
        """A task for each queue with a job due, and for each idle printer to ask about."""
        now = time.time()
        due = self.with_db(lambda db: spool.queues_with_work(db, now))
        for queue in due:
            if queue not in self.running:
                self.running.add(queue)
                self.spawn(self.drain, queue)
        for queue in self.with_db(self.configured_queues):
            if queue not in self.running and now - self.checked.get(queue, 0) > CHECK_SECONDS:
                self.running.add(queue)
                self.spawn(self.check, queue)

    def drain(self, queue: str) -> None:
        """Print the queue's jobs in order until it is empty or its printer fails."""
        try:
            while not self.stopped and self.print_next(queue):
                pass
        except Exception as error:
            self.report(error, queue)
        finally:
            self.running.discard(queue)

    def check(self, queue: str) -> None:
        """Ask an idle printer how it is; when it came back, its waiting jobs go at once."""
        try:
            url = self.with_db(lambda db: spool.printer_url(db, self.settings, queue))
            state = self.run_blocking(lambda: self.printer(url).status())
            self.checked[queue] = time.time()
            self.record(queue, state, None)
            if state in ("online", "paper_low"):
                self.with_db(lambda db: spool.retry_now(db, queue))
        except PrinterError as error:  # a URL that cannot be parsed
            self.record(queue, error.state, str(error))
        except Exception as error:
            self.report(error, queue)
        finally:
            self.running.discard(queue)

    def report(self, error: Exception, place: str) -> None:
        """Log an error (throttled): a database error as the database's, whichever task met
        it, so that a broken file is one line a minute however many queues there are."""
        self.errors.report("database" if isinstance(error, sqlite3.Error) else place, error)

    def print_next(self, queue: str) -> bool:
        """Print one job; True when it printed (and the next may follow at once). Printed means
        print_receipt returned: a LAN printer that took the bytes without confirming them
        (it stopped reading, or never answers its status) raised, and the job stays pending."""
        today = self.clock.now().date().isoformat()
        job = self.with_db(lambda db: spool.claim_next(db, queue, self.owner, time.time(), today))
        if job is None:
            return False
        url = self.with_db(lambda db: spool.printer_url(db, self.settings, queue))
        try:
            state = self.run_blocking(lambda: print_job(self.printer(url), job))
        except PrinterError as error:
            reason, state = str(error), error.state
        except Exception as error:  # a bug, not the printer: keep the job, say what happened
            self.report(error, queue)
            reason, state = f"Lỗi khi in phiếu: {error}", "unknown"
        else:
            self.with_db(lambda db: spool.mark_printed(db, job, self.owner, self.now_iso()))
            self.checked[queue] = time.time()
            self.record(queue, state, None, force=True)
            return True
        self.with_db(lambda db: spool.mark_failed(db, job, self.owner, reason, time.time()))
        self.record(queue, state, reason, force=True)
        return False

    def printer(self, url: str) -> Printer:
        return (self.printer_for or open_printer)(url)

    def record(self, queue: str, state: str, message: str | None, force: bool = False) -> None:
        """Store the state; tell the screens when it changed (or the pending count did)."""
        message = message or STATE_LABELS.get(state)

        def store(db: Database) -> dict[str, Any] | None:
            changed = spool.record_state(db, queue, state, message, self.now_iso())
            return spool.printer_status(db, queue) if changed or force else None

        status = self.with_db(store)
        if status is not None:
            self.publish(status)

    def configured_queues(self, db: Database) -> list[str]:
        return [row[0] for row in db.execute("SELECT name FROM printers ORDER BY name")]

    def owner_is_dead(self, owner: str) -> bool:
        return lease_owner_is_dead(owner, self.owner)

    def now_iso(self) -> str:
        return iso(self.clock.now())

    def with_db(self, work: Callable[[Database], Any]) -> Any:
        with connection(self.settings.database) as db:
            return work(db)


def lease_owner() -> str:
    """A worker's name on a lease (a print job's, a push message's, the hub sender's):
    host, pid and a random part, so a restart of the same pid is another owner."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def lease_owner_is_dead(owner: str, own: str) -> bool:
    """A lease holder on this machine whose process is gone (or is an earlier life of
    our own pid, `own` being our name). Holders on other machines are left to their lease's
    end."""
    host, _, rest = owner.partition(":")
    pid_text, _, _token = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    if owner != own and int(pid_text) == os.getpid():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
