"""The center as the pages present it: name, hours, today's no-appointment session.

Read-only. The kiosk uses it to decide between the ticket flow and the opening hours, and
to show the "Ngày không hẹn" banner; the counter console uses due_date_after for the
default appointment date.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from server.clock import Clock, is_no_appointment_day, no_appointment_open
from server.settings import WEEKDAYS, Settings

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PRIORITY_NAMES = {
    "elderly": "Người cao tuổi (từ 60 tuổi)",
    "disabled": "Người khuyết tật",
    "pregnant": "Phụ nữ mang thai",
    "meritorious": "Người có công với cách mạng",
    "child": "Người đi cùng trẻ nhỏ",
}


def setting(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def opening_hours(db: Database) -> dict[int, list[str]]:
    """Weekday (Monday = 0) → sessions like "07:00-11:30"; a day not listed is closed."""
    stored = json.loads(setting(db, "opening_hours", "{}"))
    return {int(weekday): sessions for weekday, sessions in stored.items()}


def is_open(hours: dict[int, list[str]], moment: datetime) -> bool:
    """Whether the moment falls in one of its weekday's sessions (no hours given: always)."""
    if not hours:
        return True
    now = moment.timetz().replace(tzinfo=None)
    for session in hours.get(moment.weekday(), []):
        start, end = (time.fromisoformat(part) for part in session.split("-"))
        if start <= now < end:
            return True
    return False


def next_working_day(day: date, hours: dict[int, list[str]]) -> date:
    following = day + timedelta(days=1)
    while hours and following.weekday() not in hours:
        following += timedelta(days=1)
    return following


def due_date_after(day: date, working_days: int, hours: dict[int, list[str]]) -> date:
    """The date `working_days` working days after `day` (at least the next working day).

    Working days are the weekdays with opening hours; public holidays are not known yet.
    """
    due = day
    for _ in range(max(1, working_days)):
        due = next_working_day(due, hours)
    return due


def center_info(db: Database, clock: Clock, settings: Settings) -> dict[str, Any]:
    now = clock.now()
    hours = opening_hours(db)
    return {
        "name": setting(db, "center_name"),
        "portal_url": setting(db, "portal_url"),
        "now": now.isoformat(timespec="seconds"),
        "date": now.date().isoformat(),
        "weekday": WEEKDAY_NAMES[now.weekday()],
        "opening_hours": {WEEKDAYS[day]: sessions for day, sessions in sorted(hours.items())},
        "open_now": is_open(hours, now),
        "no_appointment_days": [WEEKDAYS[day] for day in sorted(settings.no_appointment_days)],
        "no_appointment_day": is_no_appointment_day(now.date(), settings),
        "no_appointment_until": settings.no_appointment_until.strftime("%H:%M"),
        "no_appointment_open": no_appointment_open(now, settings),
        "priority_in_row": settings.priority_in_row,
        "priorities": [{"id": key, "name": name} for key, name in PRIORITY_NAMES.items()],
    }
