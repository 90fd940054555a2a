"""The center's calendar: when it is open, which days are working days, when the
no-appointment session runs.

One value, loaded from the database (and the MOTCUA_* defaults) at the start of each use, so
the admin pages change it live: the weekly opening hours, the no-appointment weekdays and
cut-off (the admin's choice overrides MOTCUA_NO_APPOINTMENT_DAYS/UNTIL once saved), and the
dated exceptions — a public holiday closes a weekday, a swapped working day opens a weekend
day. Deadlines count working days; a no-appointment weekday that is a holiday has no
no-appointment session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from server.settings import Settings, parse_time, parse_weekdays
from server.storage.db import Database

MONDAY = 0


@dataclass(frozen=True)
class CenterCalendar:
    hours: dict[int, list[str]]  # weekday (Monday = 0) → sessions "07:00-11:30"; {} = always
    no_appointment_days: frozenset[int]
    no_appointment_until: time
    holidays: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)  # swapped working days

    def sessions(self, day: date) -> list[str]:
        """The day's opening sessions: none on a holiday; a swapped working day keeps the
        hours of a Monday (or of the first weekday that has hours)."""
        if day in self.holidays:
            return []
        if day in self.working_days:
            return self.hours.get(MONDAY) or next(iter(self.hours.values()), [])
        return self.hours.get(day.weekday(), [])

    def is_working_day(self, day: date) -> bool:
        if not self.hours:
            return day not in self.holidays
        return bool(self.sessions(day))

    def is_open(self, moment: datetime) -> bool:
        """Whether the moment falls in one of its day's sessions (no hours given: always,
        except on a holiday)."""
        if not self.hours:
            return moment.date() not in self.holidays
        now = moment.timetz().replace(tzinfo=None)
        for session in self.sessions(moment.date()):
            start, end = (time.fromisoformat(part) for part in session.split("-"))
            if start <= now < end:
                return True
        return False

    def is_no_appointment_day(self, day: date) -> bool:
        """The model runs on its weekdays, unless the day is a holiday."""
        return day.weekday() in self.no_appointment_days and day not in self.holidays

    def no_appointment_open(self, moment: datetime) -> bool:
        """Whether a ticket issued at this local moment can still get the same-day promise."""
        local = moment.timetz().replace(tzinfo=None)
        return self.is_no_appointment_day(moment.date()) and local < self.no_appointment_until

    def next_working_day(self, day: date) -> date:
        following = day + timedelta(days=1)
        for _ in range(366):
            if self.is_working_day(following):
                return following
            following += timedelta(days=1)
        return following  # no working day in a year: a calendar nobody could use

    def due_date_after(self, day: date, working_days: int) -> date:
        """The date `working_days` working days after `day` (at least the next one)."""
        due = day
        for _ in range(max(1, working_days)):
            due = self.next_working_day(due)
        return due


def load_calendar(db: Database, settings: Settings) -> CenterCalendar:
    """The calendar as stored now; the admin's saved choices win over the MOTCUA_* ones."""
    stored = dict(
        db.execute(
            """SELECT key, value FROM settings WHERE key IN
               ('opening_hours', 'no_appointment_days', 'no_appointment_until')"""
        ).fetchall()
    )
    hours = {
        int(day): sessions
        for day, sessions in json.loads(stored.get("opening_hours") or "{}").items()
    }
    days = (
        parse_weekdays(stored["no_appointment_days"])
        if "no_appointment_days" in stored
        else settings.no_appointment_days
    )
    until = (
        parse_time(stored["no_appointment_until"], "no_appointment_until")
        if "no_appointment_until" in stored
        else settings.no_appointment_until
    )
    holidays: dict[date, str] = {}
    working: dict[date, str] = {}
    for day, kind, name in db.execute("SELECT day, kind, name FROM calendar_days"):
        (holidays if kind == "holiday" else working)[date.fromisoformat(day)] = name
    return CenterCalendar(hours, days, until, holidays, working)
