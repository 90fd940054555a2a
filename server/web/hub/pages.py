"""The hub's pages, for the province's staff: the dashboard of every center side by side
(`/`, also `/tinh`) and a center's own report reproduced at the hub (`/trung-tam/<id>`).

Like the center's /reports: anonymous visitors get a login form (401) that logs in through
POST /api/session and reloads; a period is a day, a month, a quarter or a range (the
center's chooser and server/reporting/periods.py), this month when none is chosen; a
malformed one shows the chooser with the error (400). Templates: server/templates/hub/.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from server.errors import InvalidInput, NotFound
from server.hub import summary
from server.hub.letterhead import load_hub_letterhead
from server.paperwork.paper import Signer
from server.paperwork.province_document import SECTIONS, province_heading
from server.reporting.evaluation import active_rows
from server.reporting.formatting import FILTERS
from server.reporting.periods import Period, parse_period
from server.reporting.province import (
    CENTER_RANKING_RULES,
    Dashboard,
    criteria_samples,
    dashboard,
    received_at,
    silence_text,
)
from server.reporting.ranking import RANKING_RULES
from server.reporting.reports import share
from server.reporting.spreadsheets import DOSSIER_GROUPS
from server.web.hub.api import conn, current_user, services
from server.web.pages.reports import choices, chosen_period, typed_day

# Its templates are server/templates/hub/, its script and style those of the reports.
blueprint = Blueprint("hub_pages", __name__)
HUB_NAME = "Hệ thống tổng hợp số liệu của tỉnh"


@blueprint.context_processor
def formatting() -> dict[str, Any]:
    """The formatting functions and the few computations the templates call."""
    return {
        **FILTERS,
        "center_name": HUB_NAME,
        "dossier_groups": DOSSIER_GROUPS,
        "active_rows": active_rows,
        "share": share,
        "criteria_samples": criteria_samples,
        "center_rules": CENTER_RANKING_RULES,
        "ranking_rules": RANKING_RULES,
    }


def hub_period(args: MultiDict[str, str], today: date) -> Period:
    """The query's period: `day` (typed dd/mm/yyyy), else as on the center's /reports."""
    if args.get("day"):
        return parse_period(None, None, typed_day(args["day"]))
    return chosen_period(args, today)


def period_page(template: str, action: str, work: Any) -> Any:
    """A page of a period: the login form without a session, the chooser and its error for
    a malformed period, else `template` with what `work(period, now)` gives."""
    user = current_user()
    if user is None:
        return render_template("hub/login.html"), 401
    now = services().clock.now()
    page = {"user": user, "now": now, "action": action}
    try:
        period = hub_period(request.args, now.date())
    except InvalidInput as error:
        today = Period.covering(now.date(), now.date())
        return render_template(template, **page, **hub_choices(today, now.date()), error=error), 400
    return render_template(template, **page, **hub_choices(period, now.date()), **work(period, now))


def hub_choices(period: Period, today: date) -> dict[str, Any]:
    return {**choices(period, today), "chosen_day": f"{period.end:%d/%m/%Y}", "period": period}


def province_dashboard(period: Period, now: datetime) -> Dashboard:
    return dashboard(summary.province_summary(conn(), period), period, now)


@blueprint.get("/")
@blueprint.get("/tinh")
def dashboard_page() -> Any:
    def work(period: Period, now: datetime) -> dict[str, Any]:
        board = province_dashboard(period, now)
        letterhead, issuer = load_hub_letterhead(conn())
        return {
            "board": board,
            "letterhead": letterhead,
            "heading": province_heading(letterhead, board, now.date(), issuer),
            "signer": Signer(letterhead.signer_title, "", letterhead.signer_name),
            "sections": SECTIONS,
        }

    return period_page("hub/dashboard.html", url_for("hub_pages.dashboard_page"), work)


@blueprint.get("/trung-tam/<center_id>")
def center_page(center_id: str) -> Any:
    def work(period: Period, now: datetime) -> dict[str, Any]:
        report = summary.center_report(conn(), center_id, period, now)
        if report is None:
            raise NotFound(f"Không có trung tâm {center_id} trên hệ thống của tỉnh.", "no_center")
        last = received_at(report["center"]["last_received_at"])
        return {"report": report, "last_received_at": last, "silence": silence_text(last, now)}

    return period_page(
        "hub/center.html", url_for("hub_pages.center_page", center_id=center_id), work
    )
