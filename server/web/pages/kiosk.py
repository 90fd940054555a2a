"""Routes of the citizen's pages: the kiosk and a ticket's live status page.

The pages get their data from the JSON API; the views only hand the template the center's
name, the ticket id, the kiosk's timings (query parameters override them, so tests and
a center's setup can shorten or lengthen the timeouts without touching the code), and the
server's time with the center's offset: the clock's first frame is the center's time, even on
a kiosk whose own clock or time zone is wrong (its browser's zone is never used).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request, send_from_directory, url_for

from server.errors import NotFound
from server.line.tickets import format_number, ticket_id_for_key, ticket_row
from server.setup.center import setting
from server.web.pages.center_clock import center_clock
from server.web.request import db

# The templates and static files live in the `kiosk` package;
# its static files are served under /static/kiosk/.
blueprint = Blueprint(
    "kiosk",
    "kiosk",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/kiosk",
)

# name → (default seconds, query parameter): how long the kiosk waits before it acts.
KIOSK_TIMINGS = {
    "idle": 60.0,  # no touch on a step of the flow → the warning "Tôi cần thêm thời gian"
    "warn": 20.0,  # the warning unanswered → back home
    "home": 20.0,  # the ticket screen → back home
    "refresh": 30.0,  # the home screen reloads the center and the procedures
    "retry": 3.0,  # the server could not be reached → try again
    "recheck": 60.0,  # outside opening hours → look again
}
SHORTEST, LONGEST = 0.5, 3600.0


def kiosk_timings() -> dict[str, float]:
    """The defaults, each overridden by a query parameter (?idle=2) within sane bounds."""
    timings = {}
    for name, default in KIOSK_TIMINGS.items():
        value = request.args.get(name, type=float)
        timings[name] = value if value is not None and SHORTEST <= value <= LONGEST else default
    return timings


@blueprint.get("/kiosk")
def kiosk_page() -> Any:
    return render_template(
        "kiosk/kiosk.html",
        center_name=setting(db(), "center_name"),
        timings=kiosk_timings(),
        now=center_clock(),
    )


@blueprint.get("/t/<ticket_key>")
def ticket_page(ticket_key: str) -> Any:
    """The citizen's page, reached by the key the receipt's QR code holds (never the id)."""
    center_name = setting(db(), "center_name")
    try:
        ticket_id_for_key(db(), ticket_key)
    except NotFound:
        return render_template("kiosk/ticket_not_found.html", center_name=center_name), 404
    return render_template("kiosk/ticket.html", center_name=center_name, ticket_key=ticket_key)


@blueprint.get("/t/sw.js")
def service_worker() -> Any:
    """The ticket page's service worker (Web Push), at /t/ so that its scope covers every
    ticket page; never cached, so a new version reaches phones at their next visit."""
    response = send_from_directory(
        f"{blueprint.static_folder}/kiosk/ticket", "sw.js", mimetype="text/javascript", max_age=0
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/t/<ticket_key>/manifest.webmanifest")
def ticket_manifest(ticket_key: str) -> Any:
    """The web app manifest of one ticket's page: "Thêm vào Màn hình chính" makes it an app
    that opens that page, and iPhones deliver Web Push only to such an app."""
    row = ticket_row(db(), ticket_id_for_key(db(), ticket_key))  # 404 for an unknown key
    page = url_for("kiosk.ticket_page", ticket_key=ticket_key)
    center_name = setting(db(), "center_name")
    icon = "kiosk.static"
    response = jsonify(
        {
            "id": page,
            "name": f"Số {format_number(row['letter'], row['number'])} — {center_name}".strip(" —"),
            "short_name": f"Số {format_number(row['letter'], row['number'])}",
            "description": "Theo dõi số thứ tự và nhận thông báo khi đến lượt.",
            "lang": "vi",
            "start_url": page,
            "scope": "/t/",
            "display": "standalone",
            "background_color": "#f4f1ea",
            "theme_color": "#b3261e",
            "icons": [
                {
                    "src": url_for(icon, filename=f"kiosk/ticket/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in (192, 512)
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response
