"""The times a citizen may book: slots of each field's length over the center's opening
sessions, on the days that take bookings, each with the places still free.

A field takes `booking_capacity` citizens per slot of `booking_slot_minutes` (the admin's
choice on /admin; capacity 0: that field takes no booking). Bookable days are today (its
slots not yet started) and the next `booking_days_ahead` working days (server/setup/remote.py);
a holiday or a closed day has no slots, and a session's last slot ends before it does. The
places of a slot are the field's, shared by its procedures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from server.errors import InvalidInput, NotFound, WrongState
from server.settings import Settings
from server.setup.remote import load_remote_setup
from server.setup.workdays import CenterCalendar, load_calendar
from server.storage.db import Database


@dataclass(frozen=True)
class FieldBooking:
    """How a procedure's field takes bookings: its id, places per slot, slot length."""

    procedure_id: str
    procedure_name: str
    field_id: str
    active: bool
    capacity: int
    slot_minutes: int


def field_booking(db: Database, procedure_id: str) -> FieldBooking:
    row = db.execute(
        """SELECT p.id, p.short_name, f.id, p.active, f.booking_capacity, f.booking_slot_minutes
           FROM procedures p JOIN fields f ON f.id = p.field_id WHERE p.id = ?""",
        [procedure_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"Không có thủ tục '{procedure_id}'.", "procedure_not_found")
    return FieldBooking(row[0], row[1], row[2], bool(row[3]), row[4], row[5])


def parse_day(text: str) -> date:
    """'2026-11-27' → the date; anything else is 400 invalid_date."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidInput(f"Ngày không hợp lệ '{text[:20]}' (dạng năm-tháng-ngày).", "invalid_date")


def booking_days(calendar: CenterCalendar, today: date, days_ahead: int) -> list[date]:
    """Today when it is a working day, and the next `days_ahead` working days."""
    days = [today] if calendar.is_working_day(today) else []
    day = today
    for _ in range(days_ahead):
        day = calendar.next_working_day(day)
        days.append(day)
    return days


def day_slots(calendar: CenterCalendar, day: date, minutes: int) -> list[tuple[time, time]]:
    """The slots of one day: `minutes` long, from each session's start, ending inside it."""
    slots = []
    step = timedelta(minutes=minutes)
    for session in calendar.sessions(day):
        start, end = (
            datetime.combine(day, time.fromisoformat(part)) for part in session.split("-")
        )
        while start + step <= end:
            slots.append((start.time(), (start + step).time()))
            start += step
    return slots


def booked_counts(db: Database, field_id: str, day: date) -> dict[str, int]:
    """Bookings per slot start ("09:00") of one field on one day."""
    rows = db.execute(
        """SELECT b.slot_start, count(*) FROM bookings b
           JOIN procedures p ON p.id = b.procedure_id
           WHERE b.day = ? AND p.field_id = ? GROUP BY b.slot_start""",
        [day.isoformat(), field_id],
    )
    return dict(rows.fetchall())


def open_slots(
    db: Database, settings: Settings, now: datetime, field: FieldBooking, day: date
) -> list[dict[str, Any]]:
    """The slots on offer for this field on this day with their free places: none when the
    field takes no booking, the day is not bookable, or (today) for slots already begun."""
    if not field.capacity or not field.active:
        return []
    calendar = load_calendar(db, settings)
    if day not in booking_days(
        calendar, now.date(), load_remote_setup(db, settings).booking_days_ahead
    ):
        return []
    counts = booked_counts(db, field.field_id, day)
    slots = []
    for start, end in day_slots(calendar, day, field.slot_minutes):
        if day == now.date() and start <= now.timetz().replace(tzinfo=None):
            continue
        label = f"{start:%H:%M}"
        slots.append(
            {
                "start": label,
                "end": f"{end:%H:%M}",
                "free": max(0, field.capacity - counts.get(label, 0)),
            }
        )
    return slots


def list_slots(
    db: Database, settings: Settings, now: datetime, day_text: str, procedure_id: str
) -> list[dict[str, Any]]:
    """GET /api/slots: 400 for a malformed day, 404 for an unknown procedure."""
    day = parse_day(day_text)
    return open_slots(db, settings, now, field_booking(db, procedure_id), day)


def offered_days(
    db: Database, settings: Settings, now: datetime, procedure_id: str
) -> list[dict[str, Any]]:
    """The days this procedure may be booked, each with its free places in all (the booking
    page's day picker): none when its field takes no booking."""
    field = field_booking(db, procedure_id)
    if not field.capacity or not field.active:
        return []
    days_ahead = load_remote_setup(db, settings).booking_days_ahead
    days = booking_days(load_calendar(db, settings), now.date(), days_ahead)
    offered = []
    for day in days:
        free = sum(slot["free"] for slot in open_slots(db, settings, now, field, day))
        offered.append({"date": day.isoformat(), "free": free})
    return offered


def require_slot(
    db: Database, settings: Settings, now: datetime, field: FieldBooking, day: date, start: str
) -> dict[str, Any]:
    """The slot being booked, with a free place; 409 otherwise (inside the booking's write
    transaction, so the last place goes to one citizen only)."""
    if not field.active:
        raise WrongState(
            f"Thủ tục “{field.procedure_name}” đã ngừng tiếp nhận tại trung tâm.",
            "procedure_not_taken",
        )
    if not field.capacity:
        raise WrongState(
            f"Thủ tục “{field.procedure_name}” chưa nhận đặt lịch. Quý vị vui lòng lấy số tại "
            "trung tâm.",
            "booking_off",
        )
    slot = next((s for s in open_slots(db, settings, now, field, day) if s["start"] == start), None)
    if slot is None:
        raise WrongState(
            "Khung giờ này không còn nhận đặt lịch. Quý vị vui lòng chọn khung giờ khác.",
            "slot_unavailable",
        )
    if slot["free"] <= 0:
        raise WrongState(
            "Khung giờ này đã đủ người. Quý vị vui lòng chọn khung giờ khác.", "slot_full"
        )
    return slot
