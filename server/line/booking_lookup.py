"""A booking as its citizen finds it again by its code: the confirmation page
(`/dat-lich/<code>`) shows what to bring, when and where to check in.

The code is the only key, and a short code is not a secret strong enough for personal data:
what is found by it is the procedure, the day, the slot and whether it was checked in, never
the name or the phone (those stay in `bookings`, for the officers: server/line/bookings.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from server.line.bookings import booking_answer, normalized_code
from server.storage.db import Database


def find_booking(db: Database, code: str) -> dict[str, Any] | None:
    """The booking's public answer (as POST /api/bookings gave it) with its `status`, the
    procedure's `documents` and `fee`; None for an unknown code (any case, dashes or not)."""
    row = db.execute(
        """SELECT b.code, b.procedure_id, p.short_name, b.day, b.slot_start, b.slot_end,
                  b.status, p.documents, p.fee
           FROM bookings b JOIN procedures p ON p.id = b.procedure_id WHERE b.code = ?""",
        [normalized_code(code[:40])],
    ).fetchone()
    if row is None:
        return None
    code, procedure_id, procedure_name, day, start, end, status, documents, fee = row
    slot = {"start": start, "end": end}
    answer = booking_answer(code, procedure_id, procedure_name, date.fromisoformat(day), slot)
    return {**answer, "status": status, "documents": json.loads(documents), "fee": fee}


def booking_fields(db: Database) -> set[str]:
    """The fields that take bookings now: a capacity above 0 and a procedure still taken."""
    return {
        field_id
        for (field_id,) in db.execute(
            """SELECT DISTINCT f.id FROM fields f JOIN procedures p ON p.field_id = f.id
               WHERE f.booking_capacity > 0 AND p.active"""
        )
    }
