"""The print spool: receipts as jobs in SQLite, printed in order, each exactly once.

A job is written by `enqueue` inside the caller's transaction (the ticket's, the dossier's), so
a committed ticket always has its receipt job and a rolled-back one has none. A worker
(server/printing/worker.py) then, for one printer queue at a time:

    claim_next   → takes the oldest pending job under a lease (no other worker prints it)
    ...prints, outside any transaction...
    mark_printed → only after the printer took the bytes (a LAN printer confirmed them)
    or mark_failed → keeps it pending with a backoff; the jobs behind it wait (order)

A crash between the printer taking the bytes and mark_printed leaves the job pending: after
a restart it prints once more. That one in-flight job is the only possible repeat
(docs/printers.md). Times here are Unix seconds from the worker, not the center's clock: a
lease and a backoff are about the machine, not about the day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server.errors import InvalidInput, NotFound
from server.settings import Settings
from server.setup.kiosk_devices import KIOSK_NAME
from server.storage.db import Database, add_event, rows_as_dicts, write_transaction

DEFAULT_QUEUE = "default"
LEASE_SECONDS = 60.0  # longer than any one print: a LAN printer gives up within ~27 s
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 5.0)  # after the 1st, 2nd, 3rd, later failures
QUEUE_NAME = re.compile(r"default|kiosk:[a-z0-9][a-z0-9-]{0,31}|counter:[1-9][0-9]{0,5}")


@dataclass(frozen=True)
class Job:
    id: int
    printer: str
    kind: str  # "ticket" or "slip"
    ticket_id: str
    day: str
    document: dict[str, Any]
    attempts: int


def queue_for(db: Database, wanted: str | None) -> str:
    """The queue a kiosk or counter prints to: its own when the center configured one,
    otherwise the default printer (MOTCUA_PRINTER)."""
    if wanted and wanted != DEFAULT_QUEUE:
        row = db.execute(
            "SELECT 1 FROM printers WHERE name = ? AND url IS NOT NULL", [wanted]
        ).fetchone()
        if row:
            return wanted
    return DEFAULT_QUEUE


def kiosk_queue(db: Database, kiosk_name: str | None) -> str:
    """The queue of a kiosk that named itself (?kiosk=NAME on its page); unknown → default."""
    if kiosk_name and KIOSK_NAME.fullmatch(kiosk_name):
        return queue_for(db, f"kiosk:{kiosk_name}")
    return DEFAULT_QUEUE


def printer_url(db: Database, settings: Settings, queue: str) -> str:
    row = db.execute("SELECT url FROM printers WHERE name = ?", [queue]).fetchone()
    return row[0] if row and row[0] else settings.printer


def enqueue(
    db: Database,
    settings: Settings,
    *,
    queue: str,
    kind: str,
    ticket_id: str,
    day: str,
    document: dict[str, Any],
    created_at: str,
) -> int | None:
    """Add a job inside the caller's transaction; None when that queue prints nowhere."""
    if printer_url(db, settings, queue) == "none":
        return None
    cursor = db.execute(
        """INSERT INTO print_jobs (printer, kind, ticket_id, day, document, created_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [queue, kind, ticket_id, day, json.dumps(document, ensure_ascii=False), created_at],
    )
    return int(cursor.lastrowid or 0)


def queues_with_work(db: Database, now: float) -> list[str]:
    """Queues whose oldest pending job may be tried now (its lease and backoff are over)."""
    return [
        row[0]
        for row in db.execute(
            """SELECT j.printer FROM print_jobs j
               WHERE j.status = 'pending' AND j.id = (
                   SELECT MIN(id) FROM print_jobs WHERE status = 'pending' AND printer = j.printer)
                 AND j.lease_until <= ? AND j.not_before <= ?""",
            [now, now],
        ).fetchall()
    ]


def claim_next(db: Database, queue: str, owner: str, now: float, today: str) -> Job | None:
    """Lease the queue's oldest pending job, or None when it is leased, backing off, or
    there is none. Jobs of an earlier day are dropped, not printed: their tickets expired."""
    with write_transaction(db):
        db.execute(
            """UPDATE print_jobs SET status = 'dropped', lease_until = 0
               WHERE printer = ? AND status = 'pending' AND day < ?""",
            [queue, today],
        )
        rows = rows_as_dicts(
            db,
            """SELECT id, printer, kind, ticket_id, day, document, attempts, lease_until,
                      not_before
               FROM print_jobs WHERE printer = ? AND status = 'pending' ORDER BY id LIMIT 1""",
            [queue],
        )
        if not rows or rows[0]["lease_until"] > now or rows[0]["not_before"] > now:
            return None
        row = rows[0]
        db.execute(
            """UPDATE print_jobs SET lease_until = ?, lease_owner = ?, attempts = attempts + 1
               WHERE id = ?""",
            [now + LEASE_SECONDS, owner, row["id"]],
        )
    return Job(
        row["id"],
        row["printer"],
        row["kind"],
        row["ticket_id"],
        row["day"],
        json.loads(row["document"]),
        row["attempts"] + 1,
    )


def mark_printed(db: Database, job: Job, owner: str, printed_at: str) -> None:
    with write_transaction(db):
        db.execute(
            """UPDATE print_jobs SET status = 'printed', printed_at = ?, lease_until = 0,
                   last_error = NULL
               WHERE id = ? AND lease_owner = ? AND status = 'pending'""",
            [printed_at, job.id, owner],
        )


def mark_failed(db: Database, job: Job, owner: str, error: str, now: float) -> None:
    """Keep the job first in line and try it again after a backoff."""
    delay = BACKOFF_SECONDS[min(job.attempts, len(BACKOFF_SECONDS)) - 1]
    with write_transaction(db):
        db.execute(
            """UPDATE print_jobs SET lease_until = 0, not_before = ?, last_error = ?
               WHERE id = ? AND lease_owner = ? AND status = 'pending'""",
            [now + delay, error, job.id, owner],
        )


def retry_now(db: Database, queue: str) -> None:
    """The printer is back (its status says so): try the waiting jobs without the backoff."""
    with write_transaction(db):
        db.execute(
            "UPDATE print_jobs SET not_before = 0 WHERE printer = ? AND status = 'pending'",
            [queue],
        )


def release_leases(db: Database, owner_is_dead: Callable[[str], bool]) -> int:
    """Give back the leases of workers that died (a crash mid-print), so their jobs print
    now rather than when the lease runs out. Returns how many were released."""
    owners = [
        row[0]
        for row in db.execute(
            """SELECT DISTINCT lease_owner FROM print_jobs
               WHERE status = 'pending' AND lease_until > 0 AND lease_owner IS NOT NULL"""
        ).fetchall()
    ]
    dead = [owner for owner in owners if owner_is_dead(owner)]
    if not dead:
        return 0
    with write_transaction(db):
        cursor = db.execute(
            f"""UPDATE print_jobs SET lease_until = 0
                WHERE status = 'pending' AND lease_owner IN ({", ".join("?" * len(dead))})""",
            dead,
        )
    return cursor.rowcount


def record_state(
    db: Database, queue: str, state: str, message: str | None, checked_at: str
) -> bool:
    """Store a printer's state; True when it changed (worth telling the screens)."""
    with write_transaction(db):
        before = db.execute(
            "SELECT state, message FROM printers WHERE name = ?", [queue]
        ).fetchone()
        db.execute(
            """INSERT INTO printers (name, state, message, checked_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET state = excluded.state,
                   message = excluded.message, checked_at = excluded.checked_at""",
            [queue, state, message, checked_at],
        )
    return before is None or tuple(before) != (state, message)


@dataclass(frozen=True)
class PrinterStatusChanged:
    """A printer's state or its pending count changed: `status` is printer_status(), which
    every kiosk and console shows (never the printer's URL)."""

    status: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.status


def printer_status(db: Database, queue: str) -> dict[str, Any]:
    """What screens show about one printer queue (the `printer_status` event)."""
    rows = rows_as_dicts(
        db,
        """SELECT p.name, p.state, p.message, p.checked_at,
                  (SELECT COUNT(*) FROM print_jobs j
                   WHERE j.printer = p.name AND j.status = 'pending') AS pending
           FROM printers p WHERE p.name = ?""",
        [queue],
    )
    if not rows:
        raise NotFound(f"Không có máy in '{queue}'.", "unknown_printer")
    row = rows[0]
    return {
        "printer": row["name"],
        "label": queue_label(db, row["name"]),
        "state": row["state"],
        "message": row["message"],
        "pending": row["pending"],
        "checked_at": row["checked_at"],
    }


def printer_statuses(db: Database) -> list[dict[str, Any]]:
    names = [
        row[0]
        for row in db.execute("SELECT name FROM printers ORDER BY name = 'default' DESC, name")
    ]
    return [printer_status(db, name) for name in names]


def queue_label(db: Database, queue: str) -> str:
    if queue == DEFAULT_QUEUE:
        return "Máy in chung"
    kind, _, name = queue.partition(":")
    if kind == "counter":
        row = db.execute("SELECT name FROM counters WHERE id = ?", [int(name)]).fetchone()
        return f"Máy in {row[0]}" if row else f"Máy in quầy {name}"
    return f"Máy in ki-ốt {name}"


def configure_printer(db: Database, queue: str, url: str | None) -> None:
    """Give a kiosk or counter its own printer (url), or send it back to the default (None).
    The URL must already have been checked with printers.connection.parse_printer_url."""
    if not QUEUE_NAME.fullmatch(queue):
        raise InvalidInput(
            f"Tên máy in không hợp lệ: '{queue}' (default, kiosk:TÊN hoặc counter:SỐ).",
            "invalid_printer_name",
        )
    with write_transaction(db):
        if queue.startswith("counter:"):
            counter = db.execute(
                "SELECT 1 FROM counters WHERE id = ?", [int(queue.partition(":")[2])]
            ).fetchone()
            if not counter:
                raise NotFound(f"Không có quầy {queue.partition(':')[2]}.", "unknown_counter")
        db.execute(
            """INSERT INTO printers (name, url) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET url = excluded.url""",
            [queue, url],
        )


def reprint_last(db: Database, queue: str, day: str, created_at: str) -> int:
    """Queue again the last receipt this printer was given today (a jam, a torn ticket)."""
    with write_transaction(db):
        row = db.execute(
            """SELECT kind, ticket_id, document FROM print_jobs
               WHERE printer = ? AND day = ? ORDER BY id DESC LIMIT 1""",
            [queue, day],
        ).fetchone()
        if not row:
            raise NotFound("Máy in này chưa in phiếu nào hôm nay.", "nothing_to_reprint")
        cursor = db.execute(
            """INSERT INTO print_jobs (printer, kind, ticket_id, day, document, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [queue, row[0], row[1], day, row[2], created_at],
        )
        add_event(db, PrinterStatusChanged(printer_status(db, queue)))  # one more pending
    return int(cursor.lastrowid or 0)
