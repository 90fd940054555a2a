"""The center's time for a page's first frame: its ISO time (with the center's UTC offset,
which the page's script keeps following) and the clock's first texts. A kiosk or TV box
whose own clock or time zone is wrong shows the center's time before any request answers."""

from __future__ import annotations

from server.clock import iso
from server.locale import format_day
from server.setup.center import WEEKDAY_NAMES
from server.web.request import services


def center_clock() -> dict[str, str]:
    """{"iso", "time", "day"}: 2026-11-26T09:05:00+07:00, 09:05, Thứ Năm, 26/11/2026."""
    now = services().clock.now()
    return {
        "iso": iso(now),
        "time": f"{now:%H:%M}",
        "day": f"{WEEKDAY_NAMES[now.weekday()]}, {format_day(now.date())}",
    }
