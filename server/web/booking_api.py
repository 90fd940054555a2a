"""Booked times: the slots on offer and booking them (anyone), the day's bookings (officers),
and the check-in at the kiosk that issues the booked ticket.

Thin views over server/line/booking_slots.py and bookings.py. Booking and checking in share
the per-address budget of MOTCUA_TICKET_RATE with the tickets (a registered kiosk is exempt),
so a script cannot fill the slots or guess codes faster than it could take numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request

from server.errors import NotFound
from server.line import booking_slots, bookings
from server.line.booking_lookup import find_booking
from server.line.tickets import ReceiptOrder
from server.setup.kiosk_devices import kiosk_for_token
from server.web.request import (
    BadBody,
    body_value,
    db,
    json_body,
    login_required,
    services,
    site_url,
    ticket_rate_refusal,
)

booking_api = Blueprint("booking_api", __name__, url_prefix="/api")


def query_value(name: str) -> str:
    """A required query parameter (400 missing_field without it)."""
    value = request.args.get(name, "").strip()
    if not value:
        raise BadBody(f"Thiếu tham số '{name}'.", "missing_field")
    return value[:200]


@booking_api.get("/slots")
def slots() -> Any:
    s = services()
    return jsonify(
        booking_slots.list_slots(
            db(), s.settings, s.clock.now(), query_value("date"), query_value("procedure_id")
        )
    )


@booking_api.get("/booking-days")
def booking_days() -> Any:
    """The days a procedure may be booked, with the rule of the line and the consent text
    the booking page shows."""
    s = services()
    days = booking_slots.offered_days(db(), s.settings, s.clock.now(), query_value("procedure_id"))
    return jsonify(
        {"days": days, "order_rule": bookings.BOOKING_ORDER_RULE, "consent": bookings.CONSENT_TEXT}
    )


@booking_api.post("/bookings")
def book() -> Any:
    refused = ticket_rate_refusal(None)
    if refused:
        return refused
    body = json_body()
    s = services()
    booked = bookings.book(
        db(),
        s.clock,
        s.settings,
        procedure_id=body_value(body, "procedure_id", str),
        day_text=body_value(body, "date", str),
        start=body_value(body, "start", str),
        name=body_value(body, "name", str),
        phone=body_value(body, "phone", str),
        consent=body.get("consent"),
    )
    return jsonify(booked), 201


@booking_api.get("/bookings")
@login_required("officer")
def day_bookings() -> Any:
    """The day's bookings with names and phones: officers only."""
    s = services()
    text = request.args.get("date")
    day = s.clock.now().date() if text is None else booking_slots.parse_day(text.strip())
    return jsonify(bookings.list_bookings(db(), day))


@booking_api.get("/bookings/<code>")
def booking(code: str) -> Any:
    """A booking as its code finds it (never the name or the phone), with `check_in`: null
    when it can be checked in now, else why not ({code, message}). The kiosk looks it up
    before asking the procedure's checklist, so that a booked citizen with a complete
    dossier gets the no-appointment tag as a walk-in does."""
    found = find_booking(db(), code)
    if found is None:
        raise NotFound("Không tìm thấy lịch hẹn với mã này.", "booking_not_found")
    now = services().clock.now()
    day = date.fromisoformat(found["date"])
    refusal = bookings.check_in_refusal(day, found["start"], found["status"], now)
    check_in = None if refusal is None else {"code": refusal.code, "message": refusal.message}
    return jsonify({**found, "check_in": check_in})


@booking_api.post("/bookings/<code>/check-in")
def check_in(code: str) -> Any:
    """The kiosk checks a booking in (its code typed or scanned): 201 with the ticket and its
    key, the receipt printed as for the kiosk's tickets. An optional body gives the kiosk's
    checklist answer and priority."""
    s = services()
    registered = kiosk_for_token(db(), request.headers.get("X-Kiosk-Token"))
    refused = ticket_rate_refusal(registered)
    if refused:
        return refused
    body = json_body() if request.content_length else {}
    ticket = bookings.check_in(
        db(),
        s.clock,
        s.settings,
        code[:40],
        documents_complete=bool(body_value(body, "documents_complete", bool, required=False)),
        priority=body_value(body, "priority", str, required=False),
        receipt=ReceiptOrder(kiosk=registered, site_url=site_url()),
    )
    return jsonify(ticket), 201
