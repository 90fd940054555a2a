"""The center's choices for citizens who are not standing at a kiosk: tickets taken from
outside the center (how many a day, at which hours), bookings (how many working days ahead,
how long a booking's name and phone are kept) and the Web Push warning (how many people
ahead).

Rows of `settings`, saved by the admin (server/setup/admin/remote.py); until then the daily
cap is MOTCUA_REMOTE_TICKETS and the rest their defaults below. Read at the start of each
use, so a change applies to the next request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import time
from typing import Any

from server.settings import Settings, SettingsError, parse_time
from server.storage.db import Database

DEFAULT_BOOKING_DAYS_AHEAD = 5
DEFAULT_BOOKING_RETENTION_DAYS = 30
DEFAULT_PUSH_AHEAD = 3
NUMBER_KEYS = ("remote_tickets", "booking_days_ahead", "booking_retention_days", "push_ahead")
REMOTE_KEYS = (*NUMBER_KEYS, "remote_hours")


@dataclass(frozen=True)
class RemoteSetup:
    """remote_tickets: tickets a day that may be taken from outside (0 = off);
    remote_hours: "HH:MM-HH:MM" when they may be (None: the center's opening sessions of the
    day); booking_days_ahead: the working days after today that take bookings;
    booking_retention_days: how many days after its day a booking (its name and phone) is
    deleted; push_ahead: a subscribed ticket is warned when at most this many are ahead."""

    remote_tickets: int
    remote_hours: str | None = None
    booking_days_ahead: int = DEFAULT_BOOKING_DAYS_AHEAD
    booking_retention_days: int = DEFAULT_BOOKING_RETENTION_DAYS
    push_ahead: int = DEFAULT_PUSH_AHEAD

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def hours(self) -> tuple[time, time] | None:
        """remote_hours as (start, end); None: the opening sessions decide."""
        return parse_hours(self.remote_hours) if self.remote_hours else None


def parse_hours(text: str) -> tuple[time, time]:
    """'07:00-16:30' → (07:00, 16:30); a range that ends before it starts is refused."""
    parts = text.split("-")
    if len(parts) != 2:
        raise SettingsError(f"remote_hours: cần dạng HH:MM-HH:MM, nhận '{text}'")
    start, end = (parse_time(part, "remote_hours") for part in parts)
    if not start < end:
        raise SettingsError(f"remote_hours: giờ bắt đầu phải trước giờ kết thúc, nhận '{text}'")
    return start, end


def load_remote_setup(db: Database, settings: Settings) -> RemoteSetup:
    """The choices in force now: what the admin saved, else the defaults."""
    marks = ",".join("?" * len(REMOTE_KEYS))
    stored = dict(
        db.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", REMOTE_KEYS)
    )
    numbers = {key: int(stored[key]) for key in NUMBER_KEYS if key in stored}
    return RemoteSetup(
        **{"remote_tickets": settings.remote_tickets, **numbers},
        remote_hours=stored.get("remote_hours") or None,
    )
