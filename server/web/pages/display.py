"""Routes of the display pages: the lobby TV, a counter's small screen, the voice recording page,
and the no-appointment poster.

The pages get their data from the JSON API and the live events; the views only hand the
template the center's name (and the counter's) and the center's time (`now`, with its UTC
offset): the clock is in the center's zone from the first frame, whatever the screen's own
zone, before GET /api/center has answered. The poster is the exception: it is rendered
whole on the server, to be printed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from server.errors import NotFound
from server.line.catalog_queries import list_procedures
from server.line.counter_states import load_counter
from server.locale import format_day
from server.settings import WEEKDAYS
from server.setup.center import WEEKDAY_NAMES, center_info, setting
from server.web.pages.center_clock import center_clock
from server.web.request import db, services

# The templates and static files live in the `display` package;
# its static files are served under /static/display/.
blueprint = Blueprint(
    "display",
    "display",
    template_folder="templates",
    static_folder="static/display",
    static_url_path="/static/display",
)


@blueprint.get("/display")
def tv() -> Any:
    return render_template(
        "display/tv.html", center_name=setting(db(), "center_name"), now=center_clock()
    )


@blueprint.get("/display/counter/<int:counter_id>")
def counter_screen(counter_id: int) -> Any:
    center_name = setting(db(), "center_name")
    try:
        counter = load_counter(db(), counter_id)
    except NotFound:
        return render_template(
            "display/counter_not_found.html", center_name=center_name, counter_id=counter_id
        ), 404
    return render_template(
        "display/counter.html", center_name=center_name, counter=counter, now=center_clock()
    )


@blueprint.get("/admin/voice")
def voice_admin() -> Any:
    return render_template("display/voice_admin.html", center_name=setting(db(), "center_name"))


@blueprint.get("/khong-hen")
def no_appointment_poster() -> Any:
    """The no-appointment poster for the notice board (A4 when printed), from the catalog."""
    s = services()
    center = center_info(db(), s.clock, s.settings)
    procedures = [p for p in list_procedures(db(), s.clock, s.settings) if p["no_appointment"]]
    return render_template(
        "display/poster.html",
        center=center,
        updated=format_day(center["date"]),
        center_name=center["name"],
        weekdays=[WEEKDAY_NAMES[WEEKDAYS.index(day)] for day in center["no_appointment_days"]],
        procedures=procedures,
        **poster_layout(procedures),
    )


# A procedure's card on the printed poster, in lines of a half-page column: its name, code,
# label and borders, then each text by ~72 characters a line (the time and the fee after
# their labels). One A4 page holds about FULL_PAGE lines in the normal type, DENSE_PAGE in
# the smaller one; beyond, the paper leaves out the documents and says where to read them.
POSTER_LINE = 72
FULL_PAGE = 100
DENSE_PAGE = 125


def poster_lines(procedure: dict[str, Any], *, documents: bool = True) -> int:
    texts = [
        *(procedure["documents"] if documents else []),
        f"Thời hạn giải quyết: {procedure['legal_time']}",
        f"Lệ phí: {procedure['fee']}",
    ]
    name_lines = -(-len(procedure["short_name"]) // (POSTER_LINE // 2))  # larger type
    return 3 + name_lines + sum(-(-len(text) // POSTER_LINE) for text in texts)


def poster_layout(procedures: list[dict[str, Any]]) -> dict[str, Any]:
    """How the poster holds on one A4 page: its type (normal, dense, or brief: without the
    documents) and the procedures in two runs of about the same height, in their order,
    set side by side on paper (a browser's own column balancing gives up across a page
    break)."""
    lines = [poster_lines(p) for p in procedures]
    density = "normal" if sum(lines) <= FULL_PAGE else "dense"
    if sum(lines) > DENSE_PAGE:
        density, lines = "brief", [poster_lines(p, documents=False) for p in procedures]
    total, best, split = sum(lines), None, 0
    for index in range(len(procedures) + 1):
        taller = max(sum(lines[:index]), total - sum(lines[:index]))
        if best is None or taller <= best:  # a tie: the first column the longer
            best, split = taller, index
    return {"density": density, "columns": [procedures[:split], procedures[split:]]}
