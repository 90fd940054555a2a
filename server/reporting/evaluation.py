"""The evaluation of the "Ngày Thứ năm không hẹn" model for a period, as the leader presents it.

The commune's plan asks for a monthly and quarterly evaluation (how many dossiers were resolved
on the spot, returned on time and early), tied to each officer's emulation review. This module
computes it from the period report (reports.py): the headline figures beside those of the
previous period, every no-appointment day of the period, and the officers' ranking
(ranking.py). Plain functions over the database and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from server.reporting.periods import Period
from server.reporting.ranking import OfficerScore, rank_officers
from server.reporting.reports import (
    dossiers_returned,
    on_time_share,
    ratings_given,
    satisfaction_share,
    share,
    summary,
)
from server.settings import Settings
from server.setup.center import WEEKDAY_NAMES
from server.setup.workdays import load_calendar
from server.storage.db import Database, rows_as_dicts


@dataclass(frozen=True)
class Headline:
    """One figure of the review: key, Vietnamese label, value now and in the previous period,
    kind (count, share or seconds), whether a rise is good, and a line of detail."""

    key: str
    label: str
    value: float | None
    previous: float | None
    kind: str
    higher_is_better: bool = True
    detail: str = ""
    of: tuple[int, int] | None = None  # a share's numerator and denominator, shown beside it

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def trend(self) -> str | None:
        """up, down or same against the previous period; None without both figures."""
        change = self.change
        if change is None:
            return None
        if abs(change) < 1e-9:
            return "same"
        return "up" if change > 0 else "down"

    @property
    def improved(self) -> bool | None:
        if self.trend in (None, "same"):
            return None
        return (self.trend == "up") == self.higher_is_better


def headlines(totals: dict[str, Any], before: dict[str, Any]) -> list[Headline]:
    """The review's headline figures, each with the previous period's."""
    returned = dossiers_returned(totals)
    return [
        Headline(
            "no_appointment_issued",
            "Phiếu không hẹn đã cấp",
            totals["no_appointment_issued"],
            before["no_appointment_issued"],
            "count",
        ),
        Headline(
            "no_appointment_resolved",
            "Giải quyết ngay tại chỗ",
            totals["no_appointment_resolved"],
            before["no_appointment_resolved"],
            "count",
            detail=f"trên {totals['no_appointment_finished']} phiếu không hẹn đã phục vụ xong",
        ),
        Headline(
            "no_appointment_rate",
            "Tỷ lệ giải quyết ngay",
            totals["no_appointment_rate"],
            before["no_appointment_rate"],
            "share",
            of=(totals["no_appointment_resolved"], totals["no_appointment_finished"]),
        ),
        Headline(
            "on_time_share",
            "Hồ sơ hẹn trả được trả đúng hạn hoặc trước hạn",
            on_time_share(totals),
            on_time_share(before),
            "share",
            detail=(
                f"{returned} hồ sơ hẹn trả đã trả (không kể hồ sơ giải quyết ngay): "
                f"{totals['dossiers_early']} trước hạn, "
                f"{totals['dossiers_on_time']} đúng hạn, {totals['dossiers_late']} quá hạn"
            ),
            of=(totals["dossiers_early"] + totals["dossiers_on_time"], returned),
        ),
        Headline(
            "dossiers_late",
            "Hồ sơ trả quá hạn",
            totals["dossiers_late"],
            before["dossiers_late"],
            "count",
            higher_is_better=False,
        ),
        Headline(
            "average_wait_seconds",
            "Thời gian chờ trung bình",
            totals["average_wait_seconds"],
            before["average_wait_seconds"],
            "seconds",
            higher_is_better=False,
        ),
        Headline(
            "satisfaction_share",
            "Tỷ lệ hài lòng",
            satisfaction_share(totals),
            satisfaction_share(before),
            "share",
            detail=f"trên {ratings_given(totals)} lượt đánh giá",
            of=(
                totals["ratings"]["very_satisfied"] + totals["ratings"]["satisfied"],
                ratings_given(totals),
            ),
        ),
        Headline(
            "online_help",
            "Lượt hỗ trợ nộp hồ sơ trực tuyến",
            totals["online_help"],
            before["online_help"],
            "count",
        ),
    ]


def no_appointment_days(
    db: Database, settings: Settings, period: Period, today: date
) -> list[dict[str, Any]]:
    """Every no-appointment day of the period up to today, per the center's calendar (a
    holiday is none), plus any other day that has no-appointment tickets (the weekday was
    changed since): issued, finished, resolved and their share."""
    calendar = load_calendar(db, settings)
    counted = {
        row["day"]: row
        for row in rows_as_dicts(
            db,
            """SELECT day, count(*) AS issued,
                      count(*) FILTER (WHERE status = 'finished') AS finished,
                      count(*) FILTER (WHERE outcome = 'resolved') AS resolved
               FROM tickets WHERE no_appointment = 1 AND day BETWEEN ? AND ? GROUP BY day""",
            [period.start.isoformat(), period.end.isoformat()],
        )
    }
    days = {date.fromisoformat(day) for day in counted}
    day = period.start
    while day <= min(period.end, today):
        if calendar.is_no_appointment_day(day):
            days.add(day)
        day += timedelta(days=1)
    rows = []
    for day in sorted(days):
        row = counted.get(day.isoformat(), {"issued": 0, "finished": 0, "resolved": 0})
        rows.append(
            {
                "day": day,
                "weekday": WEEKDAY_NAMES[day.weekday()],
                "issued": row["issued"],
                "finished": row["finished"],
                "resolved": row["resolved"],
                "rate": share(row["resolved"], row["finished"]),
            }
        )
    return rows


def active_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with tickets or returned dossiers in the period."""
    return [row for row in rows if row["issued"] or dossiers_returned(row)]


@dataclass(frozen=True)
class Evaluation:
    """The review of a period: the period and the one before, both reports, the headline
    figures, the no-appointment days, the ranked and unranked officers."""

    period: Period
    previous: Period
    report: dict[str, Any]
    previous_report: dict[str, Any]
    headlines: list[Headline]
    days: list[dict[str, Any]]
    ranked: list[OfficerScore]
    unranked: list[OfficerScore]


def evaluate(db: Database, settings: Settings, period: Period, now: datetime) -> Evaluation:
    """Everything the evaluation page shows, for the period and the one before it."""
    previous = period.previous()
    calendar = load_calendar(db, settings)
    report = summary(db, period, calendar, now)
    previous_report = summary(db, previous, calendar, now)
    ranked, unranked = rank_officers(report["officers"])
    return Evaluation(
        period=period,
        previous=previous,
        report=report,
        previous_report=previous_report,
        headlines=headlines(report["totals"], previous_report["totals"]),
        days=no_appointment_days(db, settings, period, now.date()),
        ranked=ranked,
        unranked=unranked,
    )
