"""Routes of the pages a citizen opens on a phone, outside the center: the public queue.

`/hang-cho` is the page a poster's QR code or the commune's web portal links to;
`/hang-cho/nhung` is the same line, compact, for the portal to embed in a frame (the one page
another site may frame: it shows nothing but public figures and has nothing to click that
changes anything). Both are rendered whole on the server, so the first paint needs no script
and no font download on a cheap phone; a small script then refreshes the figures from
`GET /api/queue`. Their templates and scripts live in `kiosk/` with the other citizens' pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from server.line.public_queue import public_queue
from server.locale import format_day
from server.web.request import db, services
from server.web.security import CONTENT_SECURITY_POLICY

blueprint = Blueprint("phone", __name__)

# Refresh period of the public page's figures (seconds): live enough to decide when to leave
# home, and a phone polling it costs the center one small request per this many seconds.
# `?refresh=N` changes it within these bounds (a portal's wall screen, the tests).
REFRESH_SECONDS = 15
SHORTEST_REFRESH, LONGEST_REFRESH = 2, 300
# The embedded view may be framed by any site (the commune's portal, a news page).
EMBEDDABLE_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


def queue_page(template: str) -> dict[str, Any]:
    s = services()
    queue = public_queue(db(), s.clock, s.settings)
    return {
        "queue": queue,
        "today": format_day(queue["date"]),
        "updated": queue["now"][11:16],
        "time_zone": s.settings.timezone,
        "refresh_seconds": refresh_seconds(),
        "center_name": queue["center"]["name"],
        "embedded": template == "embed",
    }


def refresh_seconds() -> int:
    asked = request.args.get("refresh", type=int)
    if asked is not None and SHORTEST_REFRESH <= asked <= LONGEST_REFRESH:
        return asked
    return REFRESH_SECONDS


@blueprint.get("/hang-cho")
def public_queue_page() -> Any:
    return render_template("kiosk/queue.html", **queue_page("page"))


@blueprint.get("/hang-cho/nhung")
def embedded_queue() -> Any:
    response = render_template("kiosk/queue.html", **queue_page("embed"))
    return response, 200, {"Content-Security-Policy": EMBEDDABLE_POLICY}
