"""What a ticket taken from outside the center (`channel: "remote"`, a phone at home) must
pass before it is issued.

A remote ticket is an ordinary ticket once issued (called in order, a no-show if its citizen
does not come), so the abuse it invites is bounded before: the center switches it on with a
daily cap (server/setup/remote.py), only during its hours on a working day, and one browser
holds at most one waiting or called remote ticket at a time. The browser is known by a random
cookie, stored only as its SHA-256 (`tickets.browser_hash`): the cookie alone names nobody,
and the database alone cannot forge it. The per-address rate limit (MOTCUA_TICKET_RATE)
applies at the web edge as for every ticket.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from server.errors import InvalidInput, NotAllowed, WrongState
from server.settings import Settings
from server.setup.remote import load_remote_setup
from server.setup.workdays import load_calendar
from server.storage.db import Database

BROWSER_COOKIE = "motcua_browser"


def browser_hash(cookie: str) -> str:
    """What is stored of a browser's cookie: its SHA-256, hex."""
    return hashlib.sha256(cookie.encode()).hexdigest()


def remote_hours_open(db: Database, settings: Settings, now: datetime) -> bool:
    """Whether a remote ticket may be taken at this local moment: never on a closed day or a
    holiday; within remote_hours when the admin set them, else within the day's sessions."""
    calendar = load_calendar(db, settings)
    if not calendar.is_working_day(now.date()):
        return False
    hours = load_remote_setup(db, settings).hours()
    if hours is None:
        return calendar.is_open(now)
    start, end = hours
    return start <= now.timetz().replace(tzinfo=None) < end


def check_remote_ticket(
    db: Database, settings: Settings, now: datetime, browser: str | None
) -> None:
    """Refuse a remote ticket that is off, out of hours, over the day's cap, or from a browser
    that already holds one. Inside the issuing transaction: its write lock makes the count
    and the insert one step, so two phones cannot both take the cap's last ticket."""
    if browser is None:
        raise InvalidInput("Thiếu mã trình duyệt để lấy số từ xa.", "browser_required")
    cap = load_remote_setup(db, settings).remote_tickets
    if cap <= 0:
        raise NotAllowed(
            "Trung tâm chưa mở lấy số từ xa. Quý vị vui lòng lấy số tại ki-ốt của trung tâm.",
            "remote_tickets_off",
        )
    if not remote_hours_open(db, settings, now):
        raise WrongState(
            "Hiện không phải giờ lấy số từ xa. Quý vị vui lòng xem giờ làm việc của trung tâm.",
            "remote_outside_hours",
        )
    today = now.date().isoformat()
    taken = db.execute(
        "SELECT count(*) FROM tickets WHERE day = ? AND channel = 'remote'", [today]
    ).fetchone()[0]
    if taken >= cap:
        raise WrongState(
            "Hôm nay đã hết số lấy từ xa. Quý vị vui lòng lấy số tại ki-ốt của trung tâm.",
            "remote_cap_reached",
        )
    active = db.execute(
        """SELECT letter || printf('%03d', number) FROM tickets WHERE day = ? AND channel = 'remote'
           AND browser_hash = ? AND status IN ('waiting', 'called') LIMIT 1""",
        [today, browser],
    ).fetchone()
    if active:
        raise WrongState(
            f"Trình duyệt này đang giữ số {active[0]}. Mỗi người chỉ lấy một số từ xa "
            "cho đến khi số đó được phục vụ.",
            "remote_ticket_active",
        )
