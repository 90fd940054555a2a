"""The one source of "now", in the center's time zone, and the rules about local days.

Nothing else calls datetime.now(): domain functions take a Clock, tests pass a FixedClock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that tells the current aware datetime in the center's zone."""

    tz: ZoneInfo

    def now(self) -> datetime: ...


@dataclass
class SystemClock:
    """The real clock of the machine, read in the center's zone."""

    tz: ZoneInfo

    @classmethod
    def in_zone(cls, name: str) -> SystemClock:
        """The clock of a center in the zone `name` (its Settings.timezone)."""
        return cls(ZoneInfo(name))

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, moment: datetime, tz: ZoneInfo | None = None) -> None:
        self.tz = tz or ZoneInfo("Asia/Ho_Chi_Minh")
        self._moment = moment if moment.tzinfo else moment.replace(tzinfo=self.tz)

    def now(self) -> datetime:
        return self._moment.astimezone(self.tz)

    def set(self, moment: datetime) -> None:
        self._moment = moment if moment.tzinfo else moment.replace(tzinfo=self.tz)

    def advance(self, **delta: float) -> None:
        """Move forward, e.g. advance(minutes=5)."""
        self._moment += timedelta(**delta)


def iso(moment: datetime) -> str:
    """The wire and storage form of a time: ISO 8601 with the offset, whole seconds."""
    return moment.isoformat(timespec="seconds")
