"""Issuing tickets and reading them back as the wire dict of the contract.

A ticket's number is taken in the same write transaction that stores it, from a
per-(day, letter) counter row: the first ticket of a new local day simply finds no row
yet and starts at 001 (no cron). A repeat of the same Idempotency-Key on the same day
returns the first ticket, so a double tap on the kiosk never makes two.

A ticket has two secrets. Staff act on its `id`. The citizen holds its `key`: only the
answer that issues the ticket carries it (the kiosk's screen, the receipt's QR code), and the
phone page, the rating and the ticket's own live channel take it. What anyone may see (the
lobby, the counter screens, the public stats) is the ticket's public projection: its number,
never its id, key, dossier, rating, officer or priority category.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotFound, WrongState
from server.line.calling_order import (
    counters_serving,
    estimate_wait_minutes,
    line_counter_states,
    line_state,
    waiting_ahead,
)
from server.line.events import append_event
from server.line.remote_tickets import check_remote_ticket
from server.printing.receipt_documents import ticket_document
from server.printing.spool import enqueue, kiosk_queue
from server.settings import Settings
from server.setup.workdays import load_calendar
from server.storage.db import Database, rows_as_dicts, write_transaction
from server.vocabulary import PRIORITIES

TICKET_QUERY = """
    SELECT t.rowid AS rowid, t.*, p.short_name AS procedure_name,
           d.code AS dossier_code, d.due_date AS due_date, b.slot_start AS booked_start
    FROM tickets t
    JOIN procedures p ON p.id = t.procedure_id
    LEFT JOIN dossiers d ON d.ticket_id = t.id
    LEFT JOIN bookings b ON b.ticket_id = t.id
"""


@dataclass(frozen=True)
class Issued:
    """The result of issue_ticket: the ticket and whether it is new (a repeat of the same
    Idempotency-Key is not). Its event went to the transaction."""

    ticket: dict[str, Any]
    created: bool


@dataclass(frozen=True)
class ReceiptOrder:
    """Print a receipt for the new ticket: on this kiosk's printer (None: the default one),
    with a QR code to the ticket page under site_url (e.g. "http://10.0.0.5:8000")."""

    kiosk: str | None
    site_url: str


# What a public screen may show of a ticket (public_ticket): its number, unique within its
# day, and nothing that lets anyone act on it or tells who the citizen is.
PUBLIC_FIELDS = (
    "number", "procedure_id", "procedure_name", "status", "no_appointment", "counter_id",
    "channel",
    "issued_at", "called_at", "finished_at", "day", "expired", "waiting_ahead",
    "estimated_wait_minutes", "line_state",
    # what an event adds to it: the call's counter and words, what happened
    "counter_name", "recall", "announcement", "action", "from_counter_id", "seq",
)  # fmt: skip


def public_ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket (or a ticket event's payload) as the lobby, a counter's screen and the public
    stats show it."""
    return {name: ticket[name] for name in PUBLIC_FIELDS if name in ticket}


# What only officers see of a ticket: its officer, and the note one counter leaves the next.
OFFICER_FIELDS = ("officer_id", "note")


def citizen_ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket (or a ticket event's payload) as its citizen sees it, on the phone page: the
    whole of it but what is for the officers."""
    return {name: value for name, value in ticket.items() if name not in OFFICER_FIELDS}


def format_number(letter: str, number: int) -> str:
    """A007: the field letter and at least three digits (A1000 after A999)."""
    return f"{letter}{number:03d}"


def ticket_row(db: Database, ticket_id: str) -> dict[str, Any]:
    rows = rows_as_dicts(db, TICKET_QUERY + " WHERE t.id = ?", [ticket_id])
    if not rows:
        raise NotFound("Không tìm thấy phiếu này.", "ticket_not_found")
    return rows[0]


def is_expired(row: dict[str, Any], today: date) -> bool:
    """A ticket of an earlier day never finished: it is in no line any more."""
    return row["day"] < today.isoformat() and row["status"] in ("waiting", "called")


def ticket_fields(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The ticket's own fields, without its place in line (no queries)."""
    return {
        "id": row["id"],
        "number": format_number(row["letter"], row["number"]),
        "procedure_id": row["procedure_id"],
        "procedure_name": row["procedure_name"],
        "status": row["status"],
        "priority": row["priority"],
        "no_appointment": bool(row["no_appointment"]),
        "documents_complete": bool(row["documents_complete"]),
        "counter_id": row["counter_id"],
        "issued_at": row["issued_at"],
        "called_at": row["called_at"],
        "finished_at": row["finished_at"],
        "outcome": row["outcome"],
        "rating": row["rating"],
        "dossier_code": row["dossier_code"],
        "due_date": row["due_date"],
        "day": row["day"],
        "expired": is_expired(row, today),
        "channel": row["channel"],
        "line_at": row["line_at"],
        "booked_start": row["booked_start"],
        # the officers' side: what the citizen never sees of their ticket on a public screen
        "officer_id": row["officer_id"],
        "note": row["note"],
        "missing_documents": json.loads(row["missing_documents"] or "null"),
        "outcome_reason": row["outcome_reason"],
        "corrected_at": row["corrected_at"],
    }


def ticket_view(
    db: Database, today: date, settings: Settings, row: dict[str, Any]
) -> dict[str, Any]:
    """The contract's ticket dict (plus a few additive fields) for one tickets row.

    A waiting ticket's `line_state` says whether its line is served now (open, paused,
    closed; None once called): no open counter, no estimate. An expired ticket keeps its
    status but has nobody ahead and no estimate.
    """
    ticket = ticket_fields(row, today)
    ahead = 0
    estimate = None
    state = None
    if row["status"] == "waiting" and not ticket["expired"]:
        counters = line_counter_states(db, today, row["procedure_id"], row["counter_id"])
        state = line_state(counters)
        ahead = waiting_ahead(
            db,
            today,
            rowid=row["rowid"],
            line_at=row["line_at"],
            procedure_id=row["procedure_id"],
            priority=row["priority"],
            counter_id=row["counter_id"],
            transferred_at=row["transferred_at"],
            priority_in_row=settings.priority_in_row,
        )
        estimate = estimate_wait_minutes(
            db, today, row["procedure_id"], ahead, counters.get("open", 0)
        )
    return {
        **ticket,
        "waiting_ahead": ahead,
        "estimated_wait_minutes": estimate,
        "line_state": state,
    }


def get_ticket(db: Database, clock: Clock, settings: Settings, ticket_id: str) -> dict[str, Any]:
    """A ticket by its id: for staff."""
    return ticket_view(db, clock.now().date(), settings, ticket_row(db, ticket_id))


def ticket_id_for_key(db: Database, key: str) -> str:
    """The id of the ticket whose citizen holds this key; 404 for anything else (an id
    included: it is no key)."""
    row = db.execute("SELECT id FROM tickets WHERE key = ?", [key]).fetchone()
    if row is None:
        raise NotFound("Không tìm thấy phiếu này.", "ticket_not_found")
    return row[0]


def get_ticket_by_key(db: Database, clock: Clock, settings: Settings, key: str) -> dict[str, Any]:
    """A ticket by the key its citizen holds (the phone page): what its citizen sees."""
    return citizen_ticket(get_ticket(db, clock, settings, ticket_id_for_key(db, key)))


def procedure_row(db: Database, procedure_id: str) -> dict[str, Any]:
    cursor = db.execute(
        """SELECT p.id, p.no_appointment, f.letter, p.active, p.short_name FROM procedures p
           JOIN fields f ON f.id = p.field_id WHERE p.id = ?""",
        [procedure_id],
    )
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"Không có thủ tục '{procedure_id}'.", "procedure_not_found")
    return {
        "id": row[0],
        "no_appointment": bool(row[1]),
        "letter": row[2],
        "active": bool(row[3]),
        "short_name": row[4],
    }


def request_digest(
    procedure_id: str, documents_complete: bool, priority: str | None, channel: str = "kiosk"
) -> str:
    parts: list[object] = [procedure_id, documents_complete, priority]
    if channel != "kiosk":  # a kiosk's digest stays what it was before channels existed
        parts.append(channel)
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def issue_ticket(
    db: Database,
    clock: Clock,
    settings: Settings,
    *,
    procedure_id: str,
    documents_complete: bool,
    priority: str | None = None,
    idempotency_key: str | None = None,
    receipt: ReceiptOrder | None = None,
    channel: str = "kiosk",
    browser: str | None = None,
) -> Issued:
    """Issue one ticket (or return the one issued earlier today under the same key).

    With a receipt order, the receipt's print job is queued in the same transaction: a ticket
    never exists without its receipt job, nor a job without its ticket. A repeat under the same
    Idempotency-Key prints nothing more. A remote ticket (channel "remote", from the browser
    whose cookie hashes to `browser`) passes server/line/remote_tickets.py's checks first and
    prints nothing: nobody stands at the kiosk's printer."""
    if priority is not None and priority not in PRIORITIES:
        raise InvalidInput(f"Đối tượng ưu tiên không hợp lệ: '{priority}'.", "invalid_priority")
    if channel not in ("kiosk", "remote"):  # a booking's ticket comes from its check-in
        raise InvalidInput(f"Kênh lấy số không hợp lệ: '{channel}'.", "invalid_channel")
    now = clock.now()
    today = now.date()
    digest = request_digest(procedure_id, documents_complete, priority, channel)
    with write_transaction(db):
        procedure = procedure_row(db, procedure_id)
        if idempotency_key:
            existing = db.execute(
                "SELECT id, request_digest FROM tickets WHERE day = ? AND idempotency_key = ?",
                [today.isoformat(), idempotency_key],
            ).fetchone()
            if existing:
                if existing[1] != digest:
                    raise WrongState(
                        "Mã Idempotency-Key này đã dùng cho một yêu cầu lấy số khác.",
                        "idempotency_key_reused",
                    )
                row = ticket_row(db, existing[0])
                return Issued({**ticket_view(db, today, settings, row), "key": row["key"]}, False)
        if channel == "remote":
            check_remote_ticket(db, settings, now, browser)
            receipt = None
        ticket = insert_ticket(
            db,
            now,
            settings,
            procedure,
            NewTicket(documents_complete, priority, channel, browser, idempotency_key, digest),
            receipt,
        )
    return Issued(ticket, True)


@dataclass(frozen=True)
class NewTicket:
    """What a new ticket is asked with, besides its procedure: the checklist answer, the
    priority group, where it was taken (CHANNELS), the remote browser's hash, the kiosk's
    Idempotency-Key with the digest of its request, and a booked ticket's place in line."""

    documents_complete: bool
    priority: str | None
    channel: str = "kiosk"
    browser: str | None = None
    idempotency_key: str | None = None
    digest: str | None = None
    line_at: datetime | None = None  # its place in line: None, when issued (calling_order.py)


def insert_ticket(
    db: Database,
    now: datetime,
    settings: Settings,
    procedure: dict[str, Any],
    new: NewTicket,
    receipt: ReceiptOrder | None,
    attach: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Number and store one ticket inside the caller's write transaction (issue_ticket, a
    booking's check-in), queue its receipt and its `ticket_issued` event; returns the ticket
    with its key. `procedure` is procedure_row's; a stopped procedure is refused. `attach`
    links the new ticket's id to what issued it (a booking) before the ticket is read back,
    so its answer and its event already show the link."""
    today = now.date()
    if not procedure["active"]:  # after the repeat: a ticket issued before still answers
        raise WrongState(
            f"Thủ tục “{procedure['short_name']}” đã ngừng tiếp nhận tại trung tâm.",
            "procedure_not_taken",
        )
    number = db.execute(
        """INSERT INTO day_numbers (day, letter, last_number) VALUES (?, ?, 1)
           ON CONFLICT (day, letter) DO UPDATE SET last_number = last_number + 1
           RETURNING last_number""",
        [today.isoformat(), procedure["letter"]],
    ).fetchone()[0]
    ticket_id, key = secrets.token_urlsafe(12), secrets.token_urlsafe(16)
    no_appointment = (
        procedure["no_appointment"]
        and new.documents_complete
        and load_calendar(db, settings).no_appointment_open(now)
    )
    db.execute(
        """INSERT INTO tickets (id, key, day, letter, number, procedure_id,
               documents_complete, priority, no_appointment, issued_at, idempotency_key,
               request_digest, channel, browser_hash, line_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            ticket_id,
            key,
            today.isoformat(),
            procedure["letter"],
            number,
            procedure["id"],
            int(new.documents_complete),
            new.priority,
            int(no_appointment),
            iso(now),
            new.idempotency_key,
            new.digest,
            new.channel,
            new.browser,
            iso(new.line_at or now),
        ],
    )
    if attach is not None:
        attach(ticket_id)
    ticket = ticket_view(db, today, settings, ticket_row(db, ticket_id))
    if receipt is not None:
        enqueue(
            db,
            settings,
            queue=kiosk_queue(db, receipt.kiosk),
            kind="ticket",
            ticket_id=ticket_id,
            day=today.isoformat(),
            document=ticket_document(db, ticket, now, f"{receipt.site_url}/t/{key}"),
            created_at=iso(now),
        )
    append_event(
        db,
        name="ticket_issued",
        action="issued",
        ticket=ticket,
        day=today,
        at=iso(now),
        counter_ids=tuple(counters_serving(db, procedure["id"])),
    )
    return {**ticket, "key": key}
