"""Counter actions: the only module that changes a ticket's status.

call_next, recall, no_show, transfer, finish and rate each run one write transaction,
check the ticket's state inside it (so two officers pressing at once cannot both win),
append their event to the log and return what happened. The caller commits first, then
publishes the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotAllowed, NotFound, WrongState
from server.line.calling_order import counters_serving, next_ticket_id
from server.line.dossiers import create_dossier
from server.line.events import CounterChanged, append_event
from server.line.tickets import format_number, is_expired, ticket_row, ticket_view
from server.locale import format_day
from server.printing.receipt_documents import slip_document
from server.printing.spool import enqueue, queue_for
from server.settings import Settings
from server.setup.audit import record_audit
from server.setup.auth import User
from server.storage.db import Database, add_event, write_transaction
from server.vocabulary import OUTCOMES, RATINGS
from server.voice.announcement import announcement

STATUS_TEXT = {
    "waiting": "đang chờ gọi",
    "called": "đang được phục vụ",
    "finished": "đã kết thúc",
    "no_show": "đã được ghi nhận vắng mặt",
}


@dataclass(frozen=True)
class Outcome:
    """What a counter action did: the ticket (None when nobody waited). Its events went to
    the transaction (server/storage/db.py), which publishes them once committed."""

    ticket: dict[str, Any] | None


def counter_row(db: Database, counter_id: int) -> dict[str, Any]:
    row = db.execute(
        "SELECT id, name, officer_id, opened_day FROM counters WHERE id = ?", [counter_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"Không có quầy số {counter_id}.", "counter_not_found")
    return {"id": row[0], "name": row[1], "officer_id": row[2], "opened_day": row[3]}


def require_state(row: dict[str, Any], today: date, allowed: str, action: str) -> None:
    """Refuse (409) an action on a ticket that is not in the state it needs."""
    number = f"{row['letter']}{row['number']:03d}"
    if is_expired(row, today):
        raise WrongState(
            f"Phiếu {number} của ngày {format_day(row['day'])} đã hết hiệu lực, "
            f"không thể {action}.",
            "ticket_expired",
        )
    if row["status"] != allowed:
        raise WrongState(
            f"Phiếu {number} {STATUS_TEXT[row['status']]}, không thể {action}.", "wrong_state"
        )


def require_holder(
    db: Database, now: datetime, row: dict[str, Any], user: User, action: str, verb: str
) -> dict[str, Any]:
    """The counter where the ticket was called, when `user` may act on it there: the officer
    holding that counter today, or an admin, whose action on another's counter is audited (it
    changes whose service the reports count). Anyone else: 403 not_your_counter. The ticket
    keeps the officer who called it, whoever finishes it."""
    counter = counter_row(db, row["counter_id"])
    holder = counter["officer_id"] if counter["opened_day"] == now.date().isoformat() else None
    if holder == user.id:
        return counter
    number = format_number(row["letter"], row["number"])
    if not user.may("admin"):
        raise NotAllowed(
            f"Phiếu {number} đang được phục vụ tại {counter['name']}: chỉ cán bộ đang giữ quầy "
            f"đó (hoặc quản trị) mới được {verb}.",
            "not_your_counter",
        )
    record_audit(
        db,
        at=iso(now),
        user_id=user.id,
        action=f"ticket.{action}",
        target=f"ticket:{number}:{row['day']}",
        before={"counter_id": counter["id"], "officer_id": holder},
    )
    return counter


def audience(db: Database, row: dict[str, Any], *counter_ids: int | None) -> tuple[int, ...]:
    """The consoles that should hear of a change: counters serving the procedure, plus any named."""
    serving = counters_serving(db, row["procedure_id"])
    return tuple(sorted({*serving, *(c for c in counter_ids if c is not None)}))


def record(
    db: Database,
    settings: Settings,
    today: date,
    at: str,
    ticket_id: str,
    *,
    name: str,
    action: str,
    officer_id: int | None,
    also: tuple[int | None, ...] = (),
    extra: dict[str, Any] | None = None,
) -> Outcome:
    """Read the changed ticket back and append its event (inside the caller's transaction)."""
    row = ticket_row(db, ticket_id)
    ticket = ticket_view(db, today, settings, row)
    append_event(
        db,
        name=name,
        action=action,
        ticket=ticket,
        day=today,
        at=at,
        counter_ids=audience(db, row, row["counter_id"], *also),
        officer_id=officer_id,
        extra=extra,
    )
    return Outcome(ticket)


def call_fields(
    db: Database, ticket_id: str, counter: dict[str, Any], *, recall: bool
) -> dict[str, Any]:
    """What ticket_called adds to the ticket: the counter's name, whether it is a recall, and
    what the screens say (server/voice/announcement.py)."""
    row = ticket_row(db, ticket_id)
    number = format_number(row["letter"], row["number"])
    return {
        "counter_name": counter["name"],
        "recall": recall,
        "announcement": announcement(number, counter["id"]).to_dict(),
    }


def call_next(
    db: Database, clock: Clock, settings: Settings, counter_id: int, user: User
) -> Outcome:
    """Call the next ticket to this counter, opening the counter for this officer.

    Refused while the counter still serves a ticket: the officer first records how that
    one ended, so every ticket gets an outcome.
    """
    now = clock.now()
    today = now.date()
    officer_id = user.id
    with write_transaction(db):
        counter = counter_row(db, counter_id)
        serving = db.execute(
            """SELECT letter, number FROM tickets
               WHERE day = ? AND status = 'called' AND counter_id = ?""",
            [today.isoformat(), counter_id],
        ).fetchone()
        if serving:
            raise WrongState(
                f"{counter['name']} đang phục vụ số {serving[0]}{serving[1]:03d}: hãy kết thúc "
                "hoặc ghi nhận vắng mặt trước khi gọi số mới.",
                "counter_busy",
            )
        if (counter["officer_id"], counter["opened_day"]) != (officer_id, today.isoformat()):
            db.execute(
                "UPDATE counters SET officer_id = ?, opened_day = ? WHERE id = ?",
                [officer_id, today.isoformat(), counter_id],
            )
            add_event(db, CounterChanged(counter_id))  # it opens: screens show it serving
        ticket_id = next_ticket_id(db, today, counter_id, settings.priority_in_row)
        if ticket_id is None:
            return Outcome(None)
        db.execute(
            """UPDATE tickets SET status = 'called', counter_id = ?, officer_id = ?, called_at = ?
               WHERE id = ? AND status = 'waiting'""",
            [counter_id, officer_id, iso(now), ticket_id],
        )
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_called",
            action="called",
            officer_id=officer_id,
            extra=call_fields(db, ticket_id, counter, recall=False),
        )


def recall(db: Database, clock: Clock, settings: Settings, ticket_id: str, user: User) -> Outcome:
    """Announce a called ticket again (the citizen did not come up yet)."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "gọi lại")
        counter = require_holder(db, now, row, user, "recall", "gọi lại")
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_called",
            action="recalled",
            officer_id=user.id,
            extra=call_fields(db, ticket_id, counter, recall=True),
        )


def no_show(db: Database, clock: Clock, settings: Settings, ticket_id: str, user: User) -> Outcome:
    """Record that the called citizen did not come to the counter."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "ghi nhận vắng mặt")
        require_holder(db, now, row, user, "no_show", "ghi nhận vắng mặt")
        db.execute("UPDATE tickets SET status = 'no_show' WHERE id = ?", [ticket_id])
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_updated",
            action="no_show",
            officer_id=user.id,
        )


def transfer(
    db: Database, clock: Clock, settings: Settings, ticket_id: str, counter_id: int, user: User
) -> Outcome:
    """Send a called ticket to another counter, where it goes to the front of the line."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "chuyển quầy")
        require_holder(db, now, row, user, "transfer", "chuyển quầy")
        target = counter_row(db, counter_id)
        if target["id"] == row["counter_id"]:
            raise InvalidInput("Phiếu đang ở chính quầy này, hãy chọn quầy khác.", "same_counter")
        db.execute(
            """UPDATE tickets SET status = 'waiting', counter_id = ?, transferred_at = ?
               WHERE id = ?""",
            [counter_id, iso(now), ticket_id],
        )
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_updated",
            action="transferred",
            officer_id=user.id,
            also=(row["counter_id"],),
            extra={"from_counter_id": row["counter_id"]},
        )


def parse_due_date(text: Any, today: date) -> date:
    if not isinstance(text, str):
        raise InvalidInput(
            "Kết quả hẹn trả cần ngày hẹn (due_date, dạng YYYY-MM-DD).", "due_date_required"
        )
    try:
        due = date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            f"Ngày hẹn không hợp lệ: '{text}' (dạng YYYY-MM-DD).", "invalid_due_date"
        ) from error
    if due < today:
        raise InvalidInput("Ngày hẹn trả không được trước hôm nay.", "invalid_due_date")
    return due


def finish(
    db: Database,
    clock: Clock,
    settings: Settings,
    ticket_id: str,
    user: User,
    outcome: str,
    due_date: Any = None,
) -> Outcome:
    """End the service with its outcome. An appointment also creates the dossier to return
    and queues its appointment slip on the counter's printer, in the same transaction."""
    if outcome not in OUTCOMES:
        raise InvalidInput(
            f"Kết quả không hợp lệ: '{outcome}' (một trong {', '.join(OUTCOMES)}).",
            "invalid_outcome",
        )
    now = clock.now()
    today = now.date()
    due = parse_due_date(due_date, today) if outcome == "appointment" else None
    if outcome != "appointment" and due_date is not None:
        raise InvalidInput(
            "Chỉ kết quả hẹn trả (appointment) mới có ngày hẹn.", "unexpected_due_date"
        )
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "kết thúc")
        require_holder(db, now, row, user, "finish", "kết thúc")
        db.execute(
            "UPDATE tickets SET status = 'finished', outcome = ?, finished_at = ? WHERE id = ?",
            [outcome, iso(now), ticket_id],
        )
        if due is not None:
            code = create_dossier(db, now, ticket_id, row["procedure_id"], due)
            number = format_number(row["letter"], row["number"])
            enqueue(
                db,
                settings,
                queue=queue_for(db, f"counter:{row['counter_id']}"),
                kind="slip",
                ticket_id=ticket_id,
                day=today.isoformat(),
                document=slip_document(db, ticket_id, number, code, due, now),
                created_at=iso(now),
            )
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_updated",
            action="finished",
            officer_id=user.id,
        )


def rate(db: Database, clock: Clock, settings: Settings, ticket_id: str, rating: Any) -> Outcome:
    """The citizen's one rating of a finished service."""
    if rating not in RATINGS:
        raise InvalidInput(
            "Đánh giá không hợp lệ (very_satisfied, satisfied hoặc unsatisfied).", "invalid_rating"
        )
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        if row["status"] != "finished":
            require_state(row, today, "finished", "đánh giá")
        if row["rating"] is not None:
            raise WrongState("Phiếu này đã được đánh giá. Xin cảm ơn!", "already_rated")
        db.execute(
            "UPDATE tickets SET rating = ?, rated_at = ? WHERE id = ?",
            [rating, iso(now), ticket_id],
        )
        return record(
            db,
            settings,
            today,
            iso(now),
            ticket_id,
            name="ticket_updated",
            action="rated",
            officer_id=None,
        )


def close_counter(db: Database, clock: Clock, counter_id: int, user: User) -> None:
    """Close a counter for the day (it no longer counts in wait estimates): its own officer,
    or an admin."""
    today = clock.now().date()
    with write_transaction(db):
        counter = counter_row(db, counter_id)
        holder = counter["officer_id"] if counter["opened_day"] == today.isoformat() else None
        if holder is not None and holder != user.id and not user.may("admin"):
            raise NotAllowed(
                f"{counter['name']} đang do cán bộ khác phục vụ: chỉ cán bộ đó (hoặc quản trị) "
                "mới đóng được quầy.",
                "not_your_counter",
            )
        serving = db.execute(
            "SELECT 1 FROM tickets WHERE day = ? AND status = 'called' AND counter_id = ?",
            [today.isoformat(), counter_id],
        ).fetchone()
        if serving:
            raise WrongState(
                f"{counter['name']} còn phiếu đang phục vụ, hãy kết thúc trước khi đóng quầy.",
                "counter_busy",
            )
        db.execute(
            "UPDATE counters SET officer_id = NULL, opened_day = NULL WHERE id = ?", [counter_id]
        )
        add_event(db, CounterChanged(counter_id))
