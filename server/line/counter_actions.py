"""Counter actions: the only module that changes a ticket's status.

call_next, call_ticket, recall, no_show, reinstate, transfer, finish, correct, set_note and
rate each run one write transaction, check the ticket's state inside it (so two officers
pressing at once cannot both win), append their event to the log and return what happened.
The caller commits first, then publishes the events. Only the officer holding the counter
where a ticket is (or an admin, audited) acts on it; a call opens the counter for its
officer (server/line/counter_states.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotAllowed, WrongState
from server.line import push_notices
from server.line.calling_order import counters_serving, next_ticket_id
from server.line.counter_states import Counter, load_counter, refuse_while_serving, take_counter
from server.line.dossiers import create_dossier
from server.line.events import append_event
from server.line.tickets import format_number, is_expired, ticket_row, ticket_view
from server.locale import format_day
from server.printing.receipt_documents import slip_document
from server.printing.spool import enqueue, queue_for
from server.settings import Settings
from server.setup.audit import record_audit
from server.setup.auth import User
from server.storage.db import Database, write_transaction
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
) -> Counter:
    """The counter where the ticket was called, when `user` may act on it there: the officer
    holding that counter today, or an admin, whose action on another's counter is audited (it
    changes whose service the reports count). Anyone else: 403 not_your_counter. The ticket
    keeps the officer who called it, whoever finishes it."""
    counter = load_counter(db, row["counter_id"])
    holder = counter.holder_on(now.date())
    if holder == user.id:
        return counter
    number = format_number(row["letter"], row["number"])
    if not user.may("admin"):
        raise NotAllowed(
            f"Phiếu {number} đang ở {counter.name}: chỉ cán bộ đang giữ quầy "
            f"đó (hoặc quản trị) mới được {verb}.",
            "not_your_counter",
        )
    record_audit(
        db,
        at=iso(now),
        user_id=user.id,
        action=f"ticket.{action}",
        target=f"ticket:{number}:{row['day']}",
        before={"counter_id": counter.id, "officer_id": holder},
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


def updated(
    db: Database,
    settings: Settings,
    now: datetime,
    ticket_id: str,
    action: str,
    *,
    officer_id: int | None,
    **event: Any,
) -> Outcome:
    """A `ticket_updated` event of the ticket as it is now (record's most common use)."""
    return record(
        db,
        settings,
        now.date(),
        iso(now),
        ticket_id,
        name="ticket_updated",
        action=action,
        officer_id=officer_id,
        **event,
    )


def call_fields(db: Database, ticket_id: str, counter: Counter, *, recall: bool) -> dict[str, Any]:
    """What ticket_called adds to the ticket: the counter's name, whether it is a recall, and
    what the screens say (server/voice/announcement.py)."""
    row = ticket_row(db, ticket_id)
    number = format_number(row["letter"], row["number"])
    return {
        "counter_name": counter.name,
        "recall": recall,
        "announcement": announcement(number, counter.id).to_dict(),
    }


def call_next(
    db: Database, clock: Clock, settings: Settings, counter_id: int, user: User
) -> Outcome:
    """Call the next ticket to this counter, opening (or resuming) it for this officer.

    Refused while the counter still serves a ticket: the officer first records how that
    one ended, so every ticket gets an outcome.
    """
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        counter = load_counter(db, counter_id)
        refuse_while_serving(db, today, counter, "gọi số mới")
        take_counter(db, now, counter, user)
        ticket_id = next_ticket_id(db, today, counter_id, settings.priority_in_row)
        if ticket_id is None:
            return Outcome(None)
        return called_here(db, settings, now, ticket_id, counter, user)


def called_here(
    db: Database,
    settings: Settings,
    now: datetime,
    ticket_id: str,
    counter: Counter,
    user: User,
) -> Outcome:
    """Mark a waiting ticket called at this counter by this officer, with its event."""
    db.execute(
        """UPDATE tickets SET status = 'called', counter_id = ?, officer_id = ?, called_at = ?
           WHERE id = ? AND status = 'waiting'""",
        [counter.id, user.id, iso(now), ticket_id],
    )
    push_notices.queue_call(db, settings, now, ticket_id, counter.id, counter.name, recall=False)
    return record(
        db,
        settings,
        now.date(),
        iso(now),
        ticket_id,
        name="ticket_called",
        action="called",
        officer_id=user.id,
        extra=call_fields(db, ticket_id, counter, recall=False),
    )


def call_ticket(
    db: Database, clock: Clock, settings: Settings, ticket_id: str, counter_id: int, user: User
) -> Outcome:
    """Call this waiting ticket, out of turn (a citizen sent to fetch a paper is back), to a
    counter whose line it is in: the counter serves its procedure, or it was transferred
    there. Opens the counter for this officer like a call of the next."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "waiting", "gọi")
        counter = load_counter(db, counter_id)
        in_line = (
            row["counter_id"] == counter_id
            if row["counter_id"] is not None
            else counter_id in counters_serving(db, row["procedure_id"])
        )
        if not in_line:
            raise WrongState(
                f"Phiếu {format_number(row['letter'], row['number'])} không thuộc hàng chờ của "
                f"{counter.name}.",
                "not_in_line",
            )
        refuse_while_serving(db, today, counter, "gọi số mới")
        take_counter(db, now, counter, user)
        return called_here(db, settings, now, ticket_id, counter, user)


def recall(db: Database, clock: Clock, settings: Settings, ticket_id: str, user: User) -> Outcome:
    """Announce a called ticket again (the citizen did not come up yet)."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "gọi lại")
        counter = require_holder(db, now, row, user, "recall", "gọi lại")
        push_notices.queue_call(db, settings, now, ticket_id, counter.id, counter.name, recall=True)
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
        return updated(db, settings, now, ticket_id, "no_show", officer_id=user.id)


def reinstate(
    db: Database, clock: Clock, settings: Settings, ticket_id: str, user: User
) -> Outcome:
    """A citizen marked absent today is back: the ticket waits again, at the front of the
    line of the counter where it was called (before the other tickets, after any earlier
    transfer there)."""
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        if row["day"] != today.isoformat():
            raise WrongState(
                f"Phiếu {format_number(row['letter'], row['number'])} là của ngày "
                f"{format_day(row['day'])}: chỉ đưa lại vào hàng phiếu vắng mặt hôm nay.",
                "ticket_expired",
            )
        require_state(row, today, "no_show", "đưa lại vào hàng")
        require_holder(db, now, row, user, "reinstate", "đưa lại vào hàng")
        db.execute(
            """UPDATE tickets SET status = 'waiting', transferred_at = ?, called_at = NULL
               WHERE id = ?""",
            [iso(now), ticket_id],
        )
        return updated(db, settings, now, ticket_id, "reinstated", officer_id=user.id)


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
        target = load_counter(db, counter_id)
        if target.id == row["counter_id"]:
            raise InvalidInput("Phiếu đang ở chính quầy này, hãy chọn quầy khác.", "same_counter")
        if target.state_on(today) == "closed":
            raise WrongState(
                f"{target.name} đang đóng: không có ai ở đó để phục vụ. Hãy chọn quầy khác.",
                "counter_closed",
            )
        db.execute(
            """UPDATE tickets SET status = 'waiting', counter_id = ?, transferred_at = ?
               WHERE id = ?""",
            [counter_id, iso(now), ticket_id],
        )
        return updated(
            db,
            settings,
            now,
            ticket_id,
            "transferred",
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


MISSING_DOCUMENTS_MAX = 20
DOCUMENT_TEXT_MAX = 200
REASON_MAX = 500
NOTE_MAX = 500


def one_line(text: str) -> str:
    """A typed text as one line: its runs of spaces and line breaks made single spaces."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Result:
    """How a service ended: the outcome and what goes with it (the due date of an
    appointment, the documents missing for a supplement, the reason of a refusal)."""

    outcome: str
    due: date | None
    missing_documents: list[str] | None
    reason: str | None

    @classmethod
    def parse(
        cls,
        today: date,
        outcome: Any,
        due_date: Any = None,
        missing_documents: Any = None,
        reason: Any = None,
    ) -> Result:
        """Check an officer's answer; each extra only with the outcome it belongs to."""
        if outcome not in OUTCOMES:
            raise InvalidInput(
                f"Kết quả không hợp lệ: '{outcome}' (một trong {', '.join(OUTCOMES)}).",
                "invalid_outcome",
            )
        due = parse_due_date(due_date, today) if outcome == "appointment" else None
        if outcome != "appointment" and due_date is not None:
            raise InvalidInput(
                "Chỉ kết quả hẹn trả (appointment) mới có ngày hẹn.", "unexpected_due_date"
            )
        if missing_documents is not None and outcome != "supplement":
            raise InvalidInput(
                "Chỉ kết quả bổ sung hồ sơ (supplement) mới có giấy tờ còn thiếu.",
                "unexpected_missing_documents",
            )
        if reason is not None and outcome != "refused":
            raise InvalidInput(
                "Chỉ kết quả từ chối (refused) mới có lý do từ chối.", "unexpected_reason"
            )
        return cls(outcome, due, parse_missing_documents(missing_documents), parse_text(reason))

    @classmethod
    def stored(cls, row: dict[str, Any]) -> Result:
        """The result a finished ticket's row (ticket_row) keeps."""
        return cls(
            row["outcome"],
            date.fromisoformat(row["due_date"]) if row["due_date"] else None,
            json.loads(row["missing_documents"] or "null"),
            row["outcome_reason"],
        )

    def to_dict(self) -> dict[str, Any]:
        """As the audit log keeps it."""
        return {
            "outcome": self.outcome,
            "due_date": self.due.isoformat() if self.due else None,
            "missing_documents": self.missing_documents,
            "outcome_reason": self.reason,
        }

    def columns(self) -> list[Any]:
        """outcome, missing_documents (JSON), outcome_reason: as the tickets row keeps them."""
        missing = self.missing_documents
        return [
            self.outcome,
            json.dumps(missing, ensure_ascii=False) if missing is not None else None,
            self.reason,
        ]


def parse_missing_documents(value: Any) -> list[str] | None:
    if value is None:
        return None
    bad = InvalidInput(
        f"Giấy tờ còn thiếu: một danh sách từ 1 đến {MISSING_DOCUMENTS_MAX} mục, mỗi mục "
        f"không quá {DOCUMENT_TEXT_MAX} ký tự.",
        "invalid_missing_documents",
    )
    if not isinstance(value, list) or not 1 <= len(value) <= MISSING_DOCUMENTS_MAX:
        raise bad
    documents = []
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item) > DOCUMENT_TEXT_MAX:
            raise bad
        if one_line(item) not in documents:
            documents.append(one_line(item))
    return documents


def parse_text(value: Any, limit: int = REASON_MAX, what: str = "Lý do từ chối") -> str | None:
    """A reason or note: None stays None; otherwise a text of at most `limit` characters."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(f"{what}: một đoạn chữ không quá {limit} ký tự.", "invalid_text")
    return value.strip() or None


def file_appointment(
    db: Database,
    settings: Settings,
    now: datetime,
    row: dict[str, Any],
    due: date,
) -> None:
    """Create the dossier to return and queue its appointment slip on the counter's printer
    (inside the caller's transaction)."""
    code = create_dossier(db, now, row["id"], row["procedure_id"], due)
    number = format_number(row["letter"], row["number"])
    enqueue(
        db,
        settings,
        queue=queue_for(db, f"counter:{row['counter_id']}"),
        kind="slip",
        ticket_id=row["id"],
        day=now.date().isoformat(),
        document=slip_document(db, row["id"], number, code, due, now),
        created_at=iso(now),
    )


def finish(
    db: Database,
    clock: Clock,
    settings: Settings,
    ticket_id: str,
    user: User,
    outcome: Any,
    due_date: Any = None,
    missing_documents: Any = None,
    reason: Any = None,
) -> Outcome:
    """End the service with its outcome. An appointment also creates the dossier to return
    and queues its appointment slip on the counter's printer, in the same transaction; a
    supplement keeps the documents still missing, a refusal its reason (both reported)."""
    now = clock.now()
    today = now.date()
    result = Result.parse(today, outcome, due_date, missing_documents, reason)
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "kết thúc")
        require_holder(db, now, row, user, "finish", "kết thúc")
        db.execute(
            """UPDATE tickets SET status = 'finished', outcome = ?, missing_documents = ?,
               outcome_reason = ?, finished_at = ? WHERE id = ?""",
            [*result.columns(), iso(now), ticket_id],
        )
        if result.due is not None:
            file_appointment(db, settings, now, row, result.due)
        return updated(db, settings, now, ticket_id, "finished", officer_id=user.id)


def correct(
    db: Database,
    clock: Clock,
    settings: Settings,
    ticket_id: str,
    user: User,
    outcome: Any,
    due_date: Any = None,
    missing_documents: Any = None,
    reason: Any = None,
) -> Outcome:
    """Correct how a service of today ended (a mis-pressed key): the officer who served the
    citizen, or an admin; audited with what it was. Reports count the corrected outcome.
    Becoming an appointment files the dossier and prints its slip; ceasing to be one
    withdraws the dossier, unless its result was already returned."""
    now = clock.now()
    today = now.date()
    result = Result.parse(today, outcome, due_date, missing_documents, reason)
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        number = format_number(row["letter"], row["number"])
        if row["status"] != "finished" or row["day"] != today.isoformat():
            raise WrongState(
                f"Chỉ sửa được kết quả của phiếu đã kết thúc hôm nay; phiếu {number} "
                f"{STATUS_TEXT[row['status']]}"
                + ("." if row["day"] == today.isoformat() else f" ngày {format_day(row['day'])}."),
                "wrong_state",
            )
        if row["officer_id"] != user.id and not user.may("admin"):
            raise NotAllowed(
                f"Phiếu {number} do cán bộ khác phục vụ: chỉ cán bộ đó (hoặc quản trị) mới "
                "sửa được kết quả.",
                "not_your_ticket",
            )
        before = Result.stored(row)
        if before == result:
            raise InvalidInput("Kết quả mới giống kết quả đã ghi, không có gì để sửa.", "unchanged")
        if row["dossier_code"] is not None:
            returned = db.execute(
                "SELECT returned_at FROM dossiers WHERE ticket_id = ?", [ticket_id]
            ).fetchone()[0]
            if returned is not None:
                raise WrongState(
                    f"Hồ sơ {row['dossier_code']} đã trả kết quả, không thể sửa kết quả phiếu "
                    f"{number}.",
                    "dossier_returned",
                )
            apologized = db.execute(
                "SELECT 1 FROM dossier_apologies WHERE dossier_code = ? LIMIT 1",
                [row["dossier_code"]],
            ).fetchone()
            if apologized:
                raise WrongState(
                    f"Hồ sơ {row['dossier_code']} đã có phiếu xin lỗi, không thể sửa kết quả "
                    f"phiếu {number}.",
                    "dossier_apologized",
                )
            db.execute("DELETE FROM dossiers WHERE ticket_id = ?", [ticket_id])
        db.execute(
            """UPDATE tickets SET outcome = ?, missing_documents = ?, outcome_reason = ?,
               corrected_at = ? WHERE id = ?""",
            [*result.columns(), iso(now), ticket_id],
        )
        if result.due is not None:
            file_appointment(db, settings, now, row, result.due)
        record_audit(
            db,
            at=iso(now),
            user_id=user.id,
            action="ticket.correct",
            target=f"ticket:{number}:{row['day']}",
            before=before.to_dict(),
            after=result.to_dict(),
        )
        return updated(db, settings, now, ticket_id, "corrected", officer_id=user.id)


def set_note(
    db: Database, clock: Clock, settings: Settings, ticket_id: str, user: User, note: Any
) -> Outcome:
    """The officer's note on the ticket being served ("" clears it): it follows the ticket
    to the next counter after a transfer. Officers only ever see it."""
    if not isinstance(note, str):
        raise InvalidInput("Ghi chú: một đoạn chữ.", "invalid_text")
    text = parse_text(note, NOTE_MAX, "Ghi chú")
    now = clock.now()
    today = now.date()
    with write_transaction(db):
        row = ticket_row(db, ticket_id)
        require_state(row, today, "called", "ghi chú")
        require_holder(db, now, row, user, "note", "ghi chú")
        db.execute("UPDATE tickets SET note = ? WHERE id = ?", [text, ticket_id])
        return updated(db, settings, now, ticket_id, "noted", officer_id=user.id)


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
        return updated(db, settings, now, ticket_id, "rated", officer_id=None)
