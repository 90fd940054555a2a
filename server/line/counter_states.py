"""A counter's state through the day: open (an officer serves there), paused (with why) or
closed, who holds it, and the log of every change.

A counter is held by the officer who opened it today (`officer_id`, `opened_day`). Its row's
`state` counts only on the day it was opened: a counter opened on an earlier day is closed,
so a new day starts with every counter closed and needs no job at midnight. Closing keeps
the holder, so an officer who logged out with a citizen still at the counter can come back
and record how the service ended; whoever opens the counter next holds it.

Each change writes one row to counter_state_changes (the reports' open and paused time) and
hands a CounterChanged event to the transaction: the lobby's `stats` and the counter's
console follow at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotAllowed, NotFound, WrongState
from server.line.events import CounterChanged
from server.line.tickets import format_number
from server.setup.audit import record_audit
from server.setup.auth import User
from server.storage.db import Database, add_event, write_transaction

PAUSE_REASON_MAX = 100
STATE_WORDS = {"open": "đang mở", "paused": "đang tạm nghỉ", "closed": "đang đóng"}


@dataclass(frozen=True)
class Counter:
    """One counters row as the rules read it."""

    id: int
    name: str
    officer_id: int | None
    opened_day: str | None
    state: str
    pause_reason: str | None
    state_since: str | None

    def state_on(self, day: date) -> str:
        """The counter's state on this day: closed unless it was opened that day."""
        return self.state if self.opened_day == day.isoformat() else "closed"

    def holder_on(self, day: date) -> int | None:
        """The officer holding the counter that day (the last to open it), closed or not."""
        return self.officer_id if self.opened_day == day.isoformat() else None

    def to_dict(self, day: date) -> dict[str, Any]:
        """What anyone may see of it (no officer): its state, the reason of a pause, since
        when."""
        state = self.state_on(day)
        return {
            "id": self.id,
            "name": self.name,
            "open": state == "open",
            "state": state,
            "pause_reason": self.pause_reason if state == "paused" else None,
            "state_since": self.state_since if self.opened_day == day.isoformat() else None,
        }


COUNTER_COLUMNS = "id, name, officer_id, opened_day, state, pause_reason, state_since"


def load_counter(db: Database, counter_id: int) -> Counter:
    query = f"SELECT {COUNTER_COLUMNS} FROM counters WHERE id = ?"
    row = db.execute(query, [counter_id]).fetchone()
    if row is None:
        raise NotFound(f"Không có quầy số {counter_id}.", "counter_not_found")
    return Counter(*row)


def all_counters(db: Database) -> list[Counter]:
    return [
        Counter(*row)
        for row in db.execute(f"SELECT {COUNTER_COLUMNS} FROM counters ORDER BY id").fetchall()
    ]


def procedures_served(db: Database) -> dict[int, list[str]]:
    """counter id → the procedures it serves that the center still takes, catalog order."""
    served: dict[int, list[str]] = {}
    for counter_id, procedure_id in db.execute(
        """SELECT cp.counter_id, cp.procedure_id FROM counter_procedures cp
           JOIN procedures p ON p.id = cp.procedure_id
           WHERE p.active = 1 ORDER BY cp.counter_id, p.position"""
    ).fetchall():
        served.setdefault(counter_id, []).append(procedure_id)
    return served


def counter_dicts(db: Database, day: date) -> list[dict[str, Any]]:
    """Every counter as GET /api/counters lists it: its state and the procedures it serves."""
    served = procedures_served(db)
    return [
        {**counter.to_dict(day), "procedures": served.get(counter.id, [])}
        for counter in all_counters(db)
    ]


def counter_dict(db: Database, counter_id: int, day: date) -> dict[str, Any]:
    """One counter as GET /api/counters lists it (the answer to a change of its state)."""
    load_counter(db, counter_id)  # 404 for an unknown one
    return next(c for c in counter_dicts(db, day) if c["id"] == counter_id)


def change_state(
    db: Database,
    now: datetime,
    counter: Counter,
    state: str,
    *,
    officer_id: int | None,
    changed_by: int | None,
    reason: str | None = None,
) -> None:
    """Store the counter's new state and log it (inside the caller's transaction)."""
    today = now.date().isoformat()
    db.execute(
        """UPDATE counters SET state = ?, pause_reason = ?, state_since = ?, officer_id = ?,
           opened_day = ? WHERE id = ?""",
        [state, reason, iso(now), officer_id, today, counter.id],
    )
    db.execute(
        """INSERT INTO counter_state_changes
           (counter_id, day, at, state, pause_reason, officer_id, changed_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [counter.id, today, iso(now), state, reason, officer_id, changed_by],
    )
    add_event(db, CounterChanged(counter.id))


def serving_number(db: Database, day: date, counter_id: int) -> str | None:
    """The number of the ticket in service at this counter today, if any."""
    row = db.execute(
        "SELECT letter, number FROM tickets WHERE day = ? AND status = 'called' AND counter_id = ?",
        [day.isoformat(), counter_id],
    ).fetchone()
    return format_number(row[0], row[1]) if row else None


def refuse_while_serving(db: Database, day: date, counter: Counter, action: str) -> None:
    """409 counter_busy: the officer first records how the current service ended."""
    number = serving_number(db, day, counter.id)
    if number is not None:
        raise WrongState(
            f"{counter.name} đang phục vụ số {number}: hãy kết thúc hoặc ghi nhận vắng mặt "
            f"trước khi {action}.",
            "counter_busy",
        )


def require_counter_holder(
    db: Database, now: datetime, counter: Counter, user: User, verb: str
) -> None:
    """Only the officer holding a counter that is not closed acts on its state, or an admin
    (audited); a closed counter may be taken by anyone. Otherwise 403 not_your_counter."""
    day = now.date()
    holder = counter.holder_on(day)
    if counter.state_on(day) == "closed" or holder is None or holder == user.id:
        return
    if not user.may("admin"):
        raise NotAllowed(
            f"{counter.name} đang do cán bộ khác giữ: chỉ cán bộ đó (hoặc quản trị) mới được "
            f"{verb}.",
            "not_your_counter",
        )
    record_audit(
        db,
        at=iso(now),
        user_id=user.id,
        action=f"counter.{verb}",
        target=f"counter:{counter.id}",
        before={"state": counter.state_on(day), "officer_id": holder},
    )


def take_counter(db: Database, now: datetime, counter: Counter, user: User) -> None:
    """Make the counter open for this officer before a call (inside the caller's
    transaction): opens a closed counter, resumes a paused one, and leaves any other counter
    the officer held today (it closes; refused while a citizen is still served there)."""
    day = now.date()
    require_counter_holder(db, now, counter, user, "gọi số tại quầy này")
    if counter.state_on(day) == "open" and counter.holder_on(day) == user.id:
        return
    for other in all_counters(db):
        held = other.holder_on(day) == user.id and other.state_on(day) != "closed"
        if other.id != counter.id and held:
            refuse_while_serving(db, day, other, f"chuyển sang {counter.name}")
            change_state(db, now, other, "closed", officer_id=user.id, changed_by=user.id)
    change_state(db, now, counter, "open", officer_id=user.id, changed_by=user.id)


def parse_reason(reason: Any) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput(
            "Hãy cho biết lý do tạm nghỉ (ví dụ: Nghỉ trưa, Họp, Việc khác).", "reason_required"
        )
    reason = " ".join(reason.split())
    if len(reason) > PAUSE_REASON_MAX:
        raise InvalidInput(f"Lý do tạm nghỉ dài quá {PAUSE_REASON_MAX} ký tự.", "reason_too_long")
    return reason


def pause(db: Database, clock: Clock, counter_id: int, user: User, reason: Any) -> dict[str, Any]:
    """A break: nothing is called here until the officer resumes (or calls)."""
    reason = parse_reason(reason)
    now = clock.now()
    with write_transaction(db):
        counter = load_counter(db, counter_id)
        if counter.state_on(now.date()) == "closed":
            raise WrongState(f"{counter.name} đang đóng, không thể tạm nghỉ.", "counter_closed")
        require_counter_holder(db, now, counter, user, "tạm nghỉ quầy")
        refuse_while_serving(db, now.date(), counter, "tạm nghỉ")
        change_state(
            db,
            now,
            counter,
            "paused",
            officer_id=counter.holder_on(now.date()),
            changed_by=user.id,
            reason=reason,
        )
        return counter_dict(db, counter_id, now.date())


def resume(db: Database, clock: Clock, counter_id: int, user: User) -> dict[str, Any]:
    """Back from a break, or opening a closed counter: open, held by this officer."""
    now = clock.now()
    with write_transaction(db):
        counter = load_counter(db, counter_id)
        take_counter(db, now, counter, user)
        return counter_dict(db, counter_id, now.date())


def close(db: Database, clock: Clock, counter_id: int, user: User) -> dict[str, Any]:
    """The counter stops for the day (or until someone opens it): its holder, or an admin."""
    now = clock.now()
    day = now.date()
    with write_transaction(db):
        counter = load_counter(db, counter_id)
        require_counter_holder(db, now, counter, user, "đóng quầy")
        refuse_while_serving(db, day, counter, "đóng quầy")
        if counter.state_on(day) != "closed":
            change_state(
                db, now, counter, "closed", officer_id=counter.holder_on(day), changed_by=user.id
            )
        return counter_dict(db, counter_id, day)


def leave_counters(db: Database, clock: Clock, officer_id: int, by: int) -> None:
    """The officer's sessions end (logout; an admin disables the account or sets a new
    password): the counters they hold close. A citizen still in service stays called there,
    for the officer (or whoever opens the counter next) to finish."""
    now = clock.now()
    day = now.date()
    with write_transaction(db):
        for counter in all_counters(db):
            if counter.holder_on(day) == officer_id and counter.state_on(day) != "closed":
                change_state(db, now, counter, "closed", officer_id=officer_id, changed_by=by)
