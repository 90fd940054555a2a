"""Vietnamese forms of dates and times for messages: 26/11/2026, 09:20 ngày 28/11/2026."""

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
