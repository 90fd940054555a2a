"""Route of the evaluation page: who may see it, which period, and the review itself.

Anonymous visitors get a login form (401) that logs in through POST /api/session and
reloads; an officer gets a 403 page; an admin the review of the chosen period (this month
when none is chosen) or, for a malformed period, the chooser with the error (400).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from server.errors import InvalidInput
from server.line.due_watch import due_watch
from server.reporting.charts import Series, grouped_bars, horizontal_bars
from server.reporting.evaluation import Evaluation, active_rows, evaluate
from server.reporting.formatting import FILTERS, number, percent
from server.reporting.periods import ROMAN, Period, parse_period
from server.reporting.ranking import RANKING_RULES
from server.reporting.reports import satisfaction_share, share
from server.setup.center import WEEKDAY_NAMES, setting
from server.web.request import current_user, db, services

# Its template is server/templates/reports/, its script and style server/static/reports/.
blueprint = Blueprint("reports", __name__)

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPED_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@blueprint.context_processor
def formatting() -> dict[str, Any]:
    """The formatting functions and the few computations the template calls."""
    return {
        **FILTERS,
        "ranking_rules": RANKING_RULES,
        "active_rows": active_rows,
        "satisfaction_share": satisfaction_share,
        "share": share,
    }


@blueprint.get("/reports")
def evaluation_page() -> Any:
    center_name = setting(db(), "center_name")
    user = current_user()
    if user is None:
        return render_template("reports/login.html", center_name=center_name), 401
    if not user.may("admin"):
        return render_template("reports/forbidden.html", center_name=center_name), 403
    s = services()
    now = s.clock.now()
    page = {"center_name": center_name, "user": user, "now": now}
    try:
        period = chosen_period(request.args, now.date())
    except InvalidInput as error:
        chooser = choices(Period.covering(now.date(), now.date()), now.date())
        return render_template("reports/evaluation.html", **page, **chooser, error=error), 400
    evaluation = evaluate(db(), s.settings, period, now)
    return render_template(
        "reports/evaluation.html",
        **page,
        **choices(period, now.date()),
        evaluation=evaluation,
        charts=charts(evaluation),
        watch_groups=watch_groups(due_watch(db(), s.clock, s.settings)),
    )


def watch_groups(watch: dict[str, Any]) -> list[dict[str, Any]]:
    """The watch's three groups as the page titles them ("Đến hạn Thứ Hai, 30/11")."""
    following = date.fromisoformat(watch["next_working_day"])
    next_title = f"Đến hạn {WEEKDAY_NAMES[following.weekday()]}, {following:%d/%m}"
    titles = {"overdue": "Quá hạn", "due_today": "Đến hạn hôm nay", "due_next": next_title}
    return [{"key": key, "title": title, "rows": watch[key]} for key, title in titles.items()]


def chosen_period(args: MultiDict[str, str], today: date) -> Period:
    """The period of the query (period=… or from/to), this month when none is given."""
    if not any(args.get(name) for name in ("period", "from", "to")):
        return parse_period(None, None, f"{today:%Y-%m}")
    return parse_period(typed_day(args.get("from")), typed_day(args.get("to")), args.get("period"))


def typed_day(text: str | None) -> str | None:
    """A day as the leader types it in the range fields, 01/11/2026 (1/11/2026, 01-11-2026,
    01.11.2026 too), as YYYY-MM-DD; YYYY-MM-DD (the page's own links) as it is. A browser's
    date field would show the order of the PC's language, 11/01/2026 on an English Chromium."""
    value = (text or "").strip()
    if not value or ISO_DAY.fullmatch(value):
        return value or None
    match = TYPED_DAY.fullmatch(value)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError:
        pass  # a 31/11, a month 13: said below
    raise InvalidInput(
        f"Ngày không hợp lệ: '{value[:20]}'. Nhập ngày dạng ngày/tháng/năm, ví dụ 01/11/2026.",
        "invalid_period",
    )


def choices(period: Period, today: date) -> dict[str, Any]:
    """What the chooser's three forms show: the months and the quarters of this year and the
    last one (up to today), and the range."""
    years = (today.year, today.year - 1)
    months = [
        (f"{year}-{month:02d}", f"Tháng {month} năm {year}")
        for year in years
        for month in range(12, 0, -1)
        if date(year, month, 1) <= today
    ]
    quarters = [
        (f"{year}-Q{quarter}", f"Quý {ROMAN[quarter - 1]} năm {year}")
        for year in years
        for quarter in (4, 3, 2, 1)
        if date(year, 3 * quarter - 2, 1) <= today
    ]
    return {
        "months": months,
        "chosen_month": f"{period.start:%Y-%m}",
        "chosen_quarter": f"{period.start.year}-Q{period.quarter}",
        "quarters": quarters,
        "chosen_from": f"{period.start:%d/%m/%Y}",
        "chosen_to": f"{period.end:%d/%m/%Y}",
    }


def charts(evaluation: Evaluation) -> dict[str, Markup | None]:
    """The SVG charts (server/reporting/charts.py escapes every text it draws)."""
    days = evaluation.days
    totals = evaluation.report["totals"]
    by_day = grouped_bars(
        "Phiếu không hẹn đã cấp và giải quyết ngay, theo từng ngày không hẹn",
        [f"{row['day']:%d/%m}" for row in days],
        [
            Series("Phiếu không hẹn đã cấp", [row["issued"] for row in days], "bar-issued"),
            Series("Giải quyết ngay", [row["resolved"] for row in days], "bar-resolved"),
        ],
        number=number,
    )
    timeliness = horizontal_bars(
        "Hồ sơ đã trả kết quả trong kỳ, theo thời hạn",
        [
            ("Trước hạn", totals["dossiers_early"], "bar-early"),
            ("Đúng hạn", totals["dossiers_on_time"], "bar-on-time"),
            ("Quá hạn", totals["dossiers_late"], "bar-late"),
        ],
        number=number,
        note=lambda value, total: percent(value / total) if total else "—",
    )
    return {"by_day": Markup(by_day) if days else None, "timeliness": Markup(timeliness)}
