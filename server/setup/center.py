"""The center as the pages present it: name, hours, today's no-appointment session.

Read-only. The kiosk uses it to decide between the ticket flow and the opening hours, and
to show the "Ngày không hẹn" banner. The calendar behind it lives in server/setup/workdays.py.
"""

from __future__ import annotations

from typing import Any

from server.clock import Clock
from server.settings import WEEKDAYS, Settings
from server.setup.workdays import load_calendar
from server.storage.db import Database
from server.vocabulary import PRIORITY_NAMES

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def setting(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def save_setting(db: Database, key: str, value: str | None) -> None:
    """Inside the caller's write transaction: store a setting, or remove it (None), so that
    its default applies again."""
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [key])
    else:
        db.execute(
            """INSERT INTO settings (key, value) VALUES (?, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
            [key, value],
        )


def center_info(db: Database, clock: Clock, settings: Settings) -> dict[str, Any]:
    now = clock.now()
    calendar = load_calendar(db, settings)
    return {
        "name": setting(db, "center_name"),
        "portal_url": setting(db, "portal_url"),
        "now": now.isoformat(timespec="seconds"),
        "date": now.date().isoformat(),
        "weekday": WEEKDAY_NAMES[now.weekday()],
        "opening_hours": {
            WEEKDAYS[day]: sessions for day, sessions in sorted(calendar.hours.items())
        },
        "open_now": calendar.is_open(now),
        "holiday": calendar.holidays.get(now.date()),
        "no_appointment_days": [WEEKDAYS[day] for day in sorted(calendar.no_appointment_days)],
        "no_appointment_day": calendar.is_no_appointment_day(now.date()),
        "no_appointment_until": calendar.no_appointment_until.strftime("%H:%M"),
        "no_appointment_open": calendar.no_appointment_open(now),
        "priority_in_row": settings.priority_in_row,
        "priorities": [{"id": key, "name": name} for key, name in PRIORITY_NAMES.items()],
    }
