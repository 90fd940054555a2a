"""Numbers, shares, durations and changes written the Vietnamese way: 1.234; 81,3 %;
7 phút 27 giây; dates dd/mm/yyyy. A missing figure is a dash."""

from __future__ import annotations

from datetime import date

from server.locale import format_day
from server.reporting.evaluation import Headline

NBSP = "\u00a0"
MISSING = "—"


def decimal(value: float, digits: int = 1) -> str:
    """1234.56 → 1.234,6: a dot between thousands, a comma before the decimals."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def number(value: float | None) -> str:
    if value is None:
        return MISSING
    if isinstance(value, float) and not value.is_integer():
        return decimal(value)
    return decimal(value, 0)


def percent(value: float | None) -> str:
    """A share from 0 to 1: 0.8134 → 81,3 %."""
    return MISSING if value is None else f"{decimal(100 * value)}{NBSP}%"


def duration(seconds: float | None) -> str:
    """447 → 7 phút 27 giây; 3900 → 1 giờ 5 phút; 7200 → 2 giờ; 45 → 45 giây."""
    if seconds is None:
        return MISSING
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} giờ {minutes} phút" if minutes else f"{hours} giờ"
    if minutes:
        return f"{minutes} phút {secs} giây" if secs else f"{minutes} phút"
    return f"{secs} giây"


def minutes(seconds: float | None) -> str:
    """Seconds as minutes with one decimal, for the columns of a table: 447 → 7,5."""
    return MISSING if seconds is None else decimal(seconds / 60)


def day(value: date | str) -> str:
    return format_day(value)


def shown(kind: str, value: float | None) -> str:
    """A figure of a headline's kind (count, share or seconds) as the page shows it."""
    if kind == "share":
        return percent(value)
    if kind == "seconds":
        return duration(value)
    return number(value)


def figure(headline: Headline) -> str:
    return shown(headline.kind, headline.value)


def previous_figure(headline: Headline) -> str:
    return shown(headline.kind, headline.previous)


def change(headline: Headline) -> str:
    """The difference with the previous period, without its sign (the arrow says it):
    12; 4,2 điểm %; 1 phút 5 giây."""
    difference = headline.change
    if difference is None:
        return MISSING
    if headline.kind == "share":
        return f"{decimal(abs(difference) * 100)} điểm{NBSP}%"
    if headline.kind == "seconds":
        return duration(abs(difference))
    return number(abs(difference))


FILTERS = {
    "number": number,
    "percent": percent,
    "duration": duration,
    "minutes": minutes,
    "day": day,
    "decimal": decimal,
    "figure": figure,
    "previous_figure": previous_figure,
    "change": change,
}
