"""Routes of the pages a citizen opens on a phone, outside the center: the public queue and
taking a ticket from home.

`/hang-cho` is the page a poster's QR code or the commune's web portal links to;
`/hang-cho/nhung` is the same line, compact, for the portal to embed in a frame (the one page
another site may frame: it shows nothing but public figures and has nothing to click that
changes anything); `/lay-so` takes a remote ticket (`channel: "remote"`) with the kiosk's
steps; `/dat-lich` books a time and `/dat-lich/<code>` shows the booking to take to the
kiosk. All are rendered whole on the server, so the first paint needs no script
and no font download on a cheap phone; a small script then refreshes the figures from
`GET /api/queue`. Their templates and scripts live in `kiosk/` with the other citizens' pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from server.line.booking_lookup import booking_fields, find_booking
from server.line.bookings import BOOKING_ORDER_RULE
from server.line.public_queue import public_queue
from server.line.remote_offer import remote_offer
from server.locale import format_day
from server.setup.center import WEEKDAY_NAMES, setting
from server.setup.remote import load_remote_setup
from server.vocabulary import PRIORITY_NAMES
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
        "remote": remote_offer(db(), s.settings, s.clock.now()),
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


# What the steps of a phone's flow show of each procedure (the kiosk's tiles and checklist).
FLOW_PROCEDURE_KEYS = (
    "id",
    "name",
    "short_name",
    "documents",
    "fee",
    "no_appointment",
    "waiting",
    "line_state",
    "estimated_wait_minutes",
)


def flow_catalog(queue: dict[str, Any], fields: set[str] | None = None) -> dict[str, Any]:
    """The fields (all, or those named) and procedures a phone's flow steps through, and the
    priority groups: put in the page as JSON, so a step needs no request on a slow link."""
    return {
        "today": queue["date"],
        "center": {
            key: queue["center"][key] for key in ("no_appointment_day", "no_appointment_open")
        },
        "priorities": [{"id": key, "name": name} for key, name in PRIORITY_NAMES.items()],
        "fields": [
            {
                "id": field["id"],
                "name": field["name"],
                "letter": field["letter"],
                "procedures": [
                    {key: procedure[key] for key in FLOW_PROCEDURE_KEYS}
                    for procedure in field["procedures"]
                ],
            }
            for field in queue["fields"]
            if fields is None or field["id"] in fields
        ],
    }


def remote_state(offer: dict[str, Any]) -> str:
    """What the remote-ticket page shows first: `off`, `closed` (outside its hours), `full`
    (today's cap reached) or `open` (the steps)."""
    if not offer["enabled"]:
        return "off"
    if not offer["open_now"]:
        return "closed"
    return "open" if offer["remaining"] > 0 else "full"


@blueprint.get("/lay-so")
def remote_ticket_page() -> Any:
    """Taking a ticket from home: what remote tickets are and whether one may be taken now,
    rendered; then the kiosk's steps, drawn by a small script from the catalog in the page."""
    context = queue_page("page")
    return render_template(
        "kiosk/remote.html",
        **context,
        state=remote_state(context["remote"]),
        catalog=flow_catalog(context["queue"]),
    )


@blueprint.get("/dat-lich")
def booking_page() -> Any:
    """Booking a time: the fields that take bookings, rendered; the rest of the steps ask the
    API for the days and slots as the citizen reaches them."""
    context = queue_page("page")
    catalog = flow_catalog(context["queue"], booking_fields(db()))
    s = services()
    catalog["retention_days"] = load_remote_setup(db(), s.settings).booking_retention_days
    return render_template(
        "kiosk/booking.html",
        **context,
        state="open" if catalog["fields"] else "off",
        catalog=catalog,
        order_rule=BOOKING_ORDER_RULE,
    )


def weekday_and_date(day: str) -> str:
    """'2026-11-27' → 'Thứ Sáu, 27/11/2026'."""
    return f"{WEEKDAY_NAMES[date.fromisoformat(day).weekday()]}, {format_day(day)}"


@blueprint.get("/dat-lich/<code>")
def booking_done_page(code: str) -> Any:
    """A booking's page, by its code: what the citizen shows or types at the kiosk."""
    booking = find_booking(db(), code)
    page = render_template(
        "kiosk/booking_done.html",
        center_name=setting(db(), "center_name"),
        booking=booking,
        day=weekday_and_date(booking["date"]) if booking else "",
    )
    return page, 200 if booking else 404
