"""What a citizen at home is told before taking a ticket from their phone: whether the center
takes remote tickets, at which hours today, and how many are left today; and whether it takes
bookings at all (the kiosk's "Tôi đã đặt lịch", the public queue's link to /dat-lich).

The remote-ticket page (`/lay-so`) shows it first, so a citizen reads "Hôm nay còn 12 lượt"
or "Trung tâm chưa mở lấy số từ xa" before choosing a procedure instead of after, and the
public queue page links to it only while it is on. The rules themselves are checked when the
ticket is issued (server/line/remote_tickets.py); this only reads them. Nothing here names a
ticket or a browser: it is public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.line.booking_lookup import booking_fields
from server.line.remote_tickets import remote_hours_open
from server.settings import Settings
from server.setup.remote import load_remote_setup
from server.setup.workdays import load_calendar
from server.storage.db import Database


def remote_offer(db: Database, settings: Settings, now: datetime) -> dict[str, Any]:
    """`enabled`: the daily cap is above 0; `open_now`: a remote ticket may be taken at this
    moment (enabled, a working day, within its hours); `hours`: today's ranges when they may
    be ("HH:MM-HH:MM"; none on a closed day or a holiday); `remaining`: what is left of
    today's cap (0 while off); `bookings`: some field takes bookings."""
    setup = load_remote_setup(db, settings)
    calendar = load_calendar(db, settings)
    today = now.date()
    hours: list[str] = []
    if calendar.is_working_day(today):
        hours = [setup.remote_hours] if setup.remote_hours else calendar.sessions(today)
    taken = db.execute(
        "SELECT count(*) FROM tickets WHERE day = ? AND channel = 'remote'", [today.isoformat()]
    ).fetchone()[0]
    enabled = setup.remote_tickets > 0
    return {
        "enabled": enabled,
        "open_now": enabled and remote_hours_open(db, settings, now),
        "hours": hours,
        "remaining": max(0, setup.remote_tickets - taken),
        "bookings": bool(booking_fields(db)),
    }
