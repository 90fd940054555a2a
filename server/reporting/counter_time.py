"""How long each counter was open and paused in a period, from its log of state changes.

Each change starts an interval that lasts until the counter's next change that day. The
last one of a day lasts until the end of the center's last session that day (midnight for a
center open all day), or until now for today: a counter left open at the day's end stops
counting when the center closes, not at midnight. Closed time is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from server.reporting.periods import Period
from server.setup.workdays import CenterCalendar
from server.storage.db import Database

COUNTED_STATES = ("open", "paused")


def day_end(calendar: CenterCalendar, day: date, zone: tzinfo | None) -> datetime:
    """When the center's day ends: its last session's end, or the next midnight."""
    sessions = calendar.sessions(day)
    if not sessions:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    end = max(time.fromisoformat(session.split("-")[1]) for session in sessions)
    return datetime.combine(day, end, tzinfo=zone)


def counter_seconds(
    db: Database, period: Period, calendar: CenterCalendar, now: datetime
) -> dict[int, dict[str, int]]:
    """counter id → {"open_seconds", "paused_seconds"} over the period's days."""
    rows = db.execute(
        """SELECT counter_id, day, at, state FROM counter_state_changes
           WHERE day BETWEEN ? AND ? ORDER BY counter_id, day, at, id""",
        [period.start.isoformat(), period.end.isoformat()],
    ).fetchall()
    return seconds_per_counter(rows, lambda day, zone: day_end(calendar, day, zone), now)


def seconds_per_counter(
    rows: Iterable[tuple[int, str, str, str]],
    end_of_day: Callable[[date, tzinfo | None], datetime],
    now: datetime,
) -> dict[int, dict[str, int]]:
    """counter id → {"open_seconds", "paused_seconds"} from the changes (counter id, day,
    time, state) in order; `end_of_day(day, zone)` ends each day's last state (today's:
    `now`). The province hub passes its own rows and day end (server/hub/center_report.py)."""
    totals: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(COUNTED_STATES, 0.0))
    changes: dict[tuple[int, str], list[tuple[datetime, str]]] = defaultdict(list)
    for counter_id, day, at, state in rows:
        changes[(counter_id, day)].append((datetime.fromisoformat(at), state))
    for (counter_id, day), steps in changes.items():
        last = end_of_day(date.fromisoformat(day), steps[0][0].tzinfo)
        if date.fromisoformat(day) == now.date():
            last = min(last, now)
        ends = [at for at, _ in steps[1:]] + [max(last, steps[-1][0])]
        for (start, state), end in zip(steps, ends, strict=True):
            if state in COUNTED_STATES:
                totals[counter_id][state] += (end - start).total_seconds()
    return {
        counter_id: {f"{state}_seconds": round(seconds) for state, seconds in spent.items()}
        for counter_id, spent in totals.items()
    }
