"""Appointment dossiers: created when a service ends with an appointment, returned later.

A dossier's code is printed on the appointment slip (and as its QR code); returning it
classifies it against its due date in local days: early, on_time or late.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from server.clock import Clock, iso
from server.errors import NotFound, WrongState
from server.locale import format_moment
from server.setup.workdays import CenterCalendar
from server.storage.db import Database, write_transaction

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)


def new_code(day: date) -> str:
    """HS-261126-K7M3: the day received and four unambiguous characters."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"HS-{day:%y%m%d}-{suffix}"


def create_dossier(
    db: Database, now: datetime, ticket_id: str, procedure_id: str, due: date
) -> str:
    """Insert the dossier inside the caller's transaction; returns its code."""
    for _ in range(20):
        code = new_code(now.date())
        exists = db.execute("SELECT 1 FROM dossiers WHERE code = ?", [code]).fetchone()
        if not exists:
            db.execute(
                """INSERT INTO dossiers (code, ticket_id, procedure_id, received_at, due_date)
                   VALUES (?, ?, ?, ?, ?)""",
                [code, ticket_id, procedure_id, iso(now), due.isoformat()],
            )
            return code
    raise RuntimeError("no free dossier code today")  # 23^4 codes a day: unreachable


def timeliness(returned: date, due: date) -> str:
    if returned < due:
        return "early"
    return "on_time" if returned == due else "late"


def return_dossier(db: Database, clock: Clock, code: str, officer_id: int) -> dict[str, Any]:
    """Mark a dossier's result as handed to the citizen and classify its timeliness."""
    now = clock.now()
    normalized = code.strip().upper()
    with write_transaction(db):
        row = db.execute(
            """SELECT code, due_date, returned_at, ticket_id, procedure_id
               FROM dossiers WHERE code = ?""",
            [normalized],
        ).fetchone()
        if row is None:
            raise NotFound(f"Không tìm thấy hồ sơ mã {normalized}.", "dossier_not_found")
        if row[2] is not None:
            raise WrongState(
                f"Hồ sơ {normalized} đã trả kết quả lúc {format_moment(row[2])}.",
                "already_returned",
            )
        result = timeliness(now.date(), date.fromisoformat(row[1]))
        db.execute(
            "UPDATE dossiers SET returned_at = ?, returned_by = ?, timeliness = ? WHERE code = ?",
            [iso(now), officer_id, result, normalized],
        )
    return {
        "code": normalized,
        "due_date": row[1],
        "returned_at": iso(now),
        "timeliness": result,
        "ticket_id": row[3],
        "procedure_id": row[4],
    }


def working_days_between(calendar: CenterCalendar, after: date, until: date) -> int:
    """The working days d with after < d <= until (the center's calendar: weekends and
    holidays do not count, swapped working days do)."""
    return sum(
        calendar.is_working_day(after + timedelta(days=offset))
        for offset in range(1, (until - after).days + 1)
    )
