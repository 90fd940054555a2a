"""Report periods: a day, a month, a quarter, a year or any range of days, and its label.

The leader asks for "2026-11" (Tháng 11 năm 2026), "2026-Q4" (Quý IV năm 2026),
"2026-11-26", "2026", or from/to. A from/to that covers exactly a month, a quarter or a year
is that month, quarter or year. The previous period of a month is the month before, of a
quarter the quarter before; of a range, as many days just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from server.errors import InvalidInput
from server.locale import format_day

MAX_DAYS = 400
ROMAN = ("I", "II", "III", "IV")
PERIOD_FORMS = "2026-11 (tháng), 2026-Q4 (quý), 2026-11-26 (ngày) hoặc 2026 (năm)"


@dataclass(frozen=True)
class Period:
    """The days start..end (both included) and their kind: day, month, quarter, year, range."""

    start: date
    end: date
    kind: str

    @classmethod
    def covering(cls, start: date, end: date) -> Period:
        """The period of these days, named as the month, quarter or year it covers exactly."""
        if start == end:
            return cls(start, end, "day")
        if start.day == 1 and end == month_end(start.year, start.month):
            return cls(start, end, "month")
        if (
            start.day == 1
            and start.month % 3 == 1
            and end == month_end(start.year, start.month + 2)
        ):
            return cls(start, end, "quarter")
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
            start.year == end.year
        ):
            return cls(start, end, "year")
        return cls(start, end, "range")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def key(self) -> str | None:
        """What `period=` takes for it ("2026-11", "2026-Q4"); None for a range."""
        return {
            "day": self.start.isoformat(),
            "month": f"{self.start:%Y-%m}",
            "quarter": f"{self.start.year}-Q{self.quarter}",
            "year": str(self.start.year),
        }.get(self.kind)

    @property
    def query(self) -> str:
        """The query string that asks for this period again."""
        if self.key is not None:
            return f"period={self.key}"
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"

    @property
    def label(self) -> str:
        """Tháng 11 năm 2026, Quý IV năm 2026, Ngày 26/11/2026, Năm 2026, Từ ngày … đến ngày …"""
        year = self.start.year
        if self.kind == "day":
            return f"Ngày {format_day(self.start)}"
        if self.kind == "month":
            return f"Tháng {self.start.month} năm {year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.quarter - 1]} năm {year}"
        if self.kind == "year":
            return f"Năm {year}"
        return f"Từ ngày {format_day(self.start)} đến ngày {format_day(self.end)}"

    def previous(self) -> Period:
        """The period of the same kind just before (a range: as many days just before)."""
        before = self.start - timedelta(days=1)
        if self.kind == "month":
            return Period(before.replace(day=1), before, "month")
        if self.kind == "quarter":
            return Period(date(before.year, before.month - 2, 1), before, "quarter")
        if self.kind == "year":
            return Period(date(before.year, 1, 1), before, "year")
        return Period(before - timedelta(days=self.days - 1), before, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "label": self.label}


def month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def named_period(text: str) -> Period:
    """2026-11, 2026-Q4 (q4 too), 2026-11-26 or 2026."""
    value = text.strip()
    try:
        if match := re.fullmatch(r"(\d{4})", value):
            year = int(match[1])
            return Period(date(year, 1, 1), date(year, 12, 31), "year")
        if match := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * quarter - 2
            return Period(date(year, first, 1), month_end(year, first + 2), "quarter")
        if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
            year, month = int(match[1]), int(match[2])
            return Period(date(year, month, 1), month_end(year, month), "month")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return Period(day, day, "day")
    except ValueError:
        pass  # a month 13, a 31/11, a year 0000: said below
    raise InvalidInput(
        f"Kỳ báo cáo không hợp lệ: '{value[:20]}'. Dùng dạng {PERIOD_FORMS}.", "invalid_period"
    )


def parse_period(date_from: str | None, date_to: str | None, period: str | None = None) -> Period:
    """Either `period` or both `from` and `to` (YYYY-MM-DD, in order, at most MAX_DAYS)."""
    if period:
        if date_from or date_to:
            raise InvalidInput(
                "Chọn kỳ báo cáo bằng period hoặc bằng from và to, không dùng cả hai.",
                "invalid_period",
            )
        return named_period(period)
    try:
        start = date.fromisoformat(date_from or "")
        end = date.fromisoformat(date_to or "")
    except ValueError as error:
        raise InvalidInput(
            f"Cần khoảng thời gian from và to dạng YYYY-MM-DD, hoặc period dạng {PERIOD_FORMS}.",
            "invalid_period",
        ) from error
    if end < start:
        raise InvalidInput("Ngày kết thúc (to) phải sau ngày bắt đầu (from).", "invalid_period")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Khoảng thời gian tối đa {MAX_DAYS} ngày.", "invalid_period")
    return Period.covering(start, end)
