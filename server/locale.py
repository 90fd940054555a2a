"""Vietnamese forms of dates and times: 26/11/2026 and 09:20 ngày 28/11/2026 in messages,
"ngày 05 tháng 02 năm 2026" on official paper."""

from __future__ import annotations

from datetime import date, datetime


def format_day(day: date | str) -> str:
    """dd/mm/yyyy."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value:%d/%m/%Y}"


def format_moment(moment: datetime | str) -> str:
    """HH:MM ngày dd/mm/yyyy (24 h, local time as stored)."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def official_date(day: date | str) -> str:
    """ "ngày 05 tháng 02 năm 2026", as a document's place-and-date line writes it (Decree
    30/2020/NĐ-CP: a zero before days under 10 and the months 1 and 2, so no digit can be
    added to a signed paper)."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
