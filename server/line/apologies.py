"""A dossier's apology ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"): when the result will not
be ready by the date promised, the one-stop rules ask for a written apology with a new date.

An officer records it when the promised date is today, the next working day or past; the row
keeps the date promised before, the new date and how many working days the new date lies
after the dossier's original due date. The dossier's due date itself never changes: returned
after it, the dossier is late, apology or not. Audited like an officer's correction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotFound, WrongState
from server.line.counter_actions import REASON_MAX, parse_text
from server.line.dossiers import working_days_between
from server.line.due_watch import APOLOGY_COUNT, PROMISED_DATE
from server.line.tickets import format_number
from server.locale import format_day
from server.settings import Settings
from server.setup.audit import record_audit
from server.setup.auth import User
from server.setup.workdays import load_calendar
from server.storage.db import Database, rows_as_dicts, write_transaction


def parse_new_due_date(text: Any) -> date:
    if not isinstance(text, str):
        raise InvalidInput(
            "Cần ngày hẹn trả mới (new_due_date, dạng YYYY-MM-DD).", "invalid_new_due_date"
        )
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            f"Ngày hẹn trả mới không hợp lệ: '{text[:20]}' (dạng YYYY-MM-DD).",
            "invalid_new_due_date",
        ) from error


def parse_reason(value: Any) -> str:
    reason = parse_text(value, REASON_MAX, "Lý do xin lỗi")
    if reason is None:
        raise InvalidInput("Cần ghi lý do chậm trả kết quả.", "reason_required")
    return reason


def dossier_for_apology(db: Database, code: str) -> dict[str, Any]:
    rows = rows_as_dicts(
        db,
        f"""SELECT d.code, d.ticket_id, d.procedure_id, d.received_at, d.due_date,
                   d.returned_at, t.letter, t.number, p.short_name AS procedure_name,
                   {PROMISED_DATE} AS promised_date
            FROM dossiers d JOIN tickets t ON t.id = d.ticket_id
            JOIN procedures p ON p.id = d.procedure_id
            WHERE d.code = ?""",
        [code],
    )
    if not rows:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code}.", "dossier_not_found")
    return rows[0]


def apologize(
    db: Database,
    clock: Clock,
    settings: Settings,
    code: str,
    user: User,
    new_due_date: Any,
    reason: Any,
) -> dict[str, Any]:
    """Record an apology with a new date for dossier `code`, in one write transaction with
    its audit entry. Refuses (nothing written): an unknown code (404), a dossier already
    returned or not yet due (409: its promised date is after the next working day), a new
    date that is not a working day after today and after the promised date (400), a reason
    missing or longer than 500 characters (400)."""
    normalized = code.strip().upper()
    new_due = parse_new_due_date(new_due_date)
    text = parse_reason(reason)
    now = clock.now()
    today = now.date()
    calendar = load_calendar(db, settings)
    with write_transaction(db):
        dossier = dossier_for_apology(db, normalized)
        if dossier["returned_at"] is not None:
            raise WrongState(
                f"Hồ sơ {normalized} đã trả kết quả, không cần phiếu xin lỗi.", "dossier_returned"
            )
        promised = date.fromisoformat(dossier["promised_date"])
        if promised > calendar.next_working_day(today):
            raise WrongState(
                f"Hồ sơ {normalized} hẹn trả ngày {format_day(promised)}, chưa đến hạn: "
                "phiếu xin lỗi lập khi hồ sơ đến hạn hôm nay, ngày làm việc kế tiếp hoặc đã "
                "quá hạn.",
                "not_due_yet",
            )
        if new_due <= max(today, promised) or not calendar.is_working_day(new_due):
            raise InvalidInput(
                f"Ngày hẹn trả mới phải là một ngày làm việc sau hôm nay và sau ngày đã hẹn "
                f"({format_day(promised)}).",
                "invalid_new_due_date",
            )
        days_late = working_days_between(calendar, date.fromisoformat(dossier["due_date"]), new_due)
        db.execute(
            """INSERT INTO dossier_apologies (dossier_code, apologized_at, officer_id,
                   previous_date, new_due_date, days_late, reason)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [normalized, iso(now), user.id, promised.isoformat(), new_due.isoformat(),
             days_late, text],
        )  # fmt: skip
        record_audit(
            db,
            at=iso(now),
            user_id=user.id,
            action="dossier.apology",
            target=f"dossier:{normalized}",
            before={"promised_date": promised.isoformat()},
            after={"new_due_date": new_due.isoformat(), "days_late": days_late, "reason": text},
        )
        apologies = db.execute(
            f"SELECT {APOLOGY_COUNT} FROM dossiers d WHERE d.code = ?", [normalized]
        ).fetchone()[0]
        officer_name = db.execute(
            "SELECT COALESCE(full_name, username) FROM users WHERE id = ?", [user.id]
        ).fetchone()[0]
    return {
        "code": normalized,
        "number": format_number(dossier["letter"], dossier["number"]),
        "procedure_id": dossier["procedure_id"],
        "procedure_name": dossier["procedure_name"],
        "due_date": dossier["due_date"],
        "previous_date": promised.isoformat(),
        "new_due_date": new_due.isoformat(),
        "days_late": days_late,
        "apologies": apologies,
        "apologized_at": iso(now),
        "reason": text,
        "officer_name": officer_name,
    }
