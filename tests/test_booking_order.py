"""The fair order between booked and walk-in citizens: a booked ticket takes its place in
line at its slot's start, or at its check-in when that came later; a walk-in (or a remote
ticket) at its issue time. Every waiting ticket's waiting_ahead is the number of calls that
then come before it, and the console lists the line in the order it is called.

Friday 27/11/2026, certified copies (counter 1 calls them; nobody else is in line).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"
FRIDAY = "2026-11-27"


@pytest.fixture
def line(admin: Any, client: Any, clock: Any) -> Any:
    """Takes tickets at given times: walk-ins, remote ones and booked check-ins."""
    admin.put(
        "/api/admin/remote",
        json={
            "remote_tickets": 10,
            "fields": {"chung-thuc": {"booking_capacity": 3, "booking_slot_minutes": 30}},
        },
    )

    class Line:
        def at(self, hour: int, minute: int) -> None:
            clock.set(datetime(2026, 11, 27, hour, minute, tzinfo=TZ))

        def walk_in(self, hour: int, minute: int, **body: Any) -> dict[str, Any]:
            self.at(hour, minute)
            payload = {"procedure_id": COPY, "documents_complete": True, **body}
            response = client.post("/api/tickets", json=payload)
            assert response.status_code == 201, response.json
            return response.json

        def book(self, start: str, phone: str = "0912345678") -> str:
            clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))  # booked the day before
            body = {"procedure_id": COPY, "date": FRIDAY, "start": start, "name": "Lê Thị Hoa",
                    "phone": phone, "consent": True}  # fmt: skip
            response = client.post("/api/bookings", json=body)
            assert response.status_code == 201, response.json
            return response.json["code"]

        def check_in(self, code: str, hour: int, minute: int) -> dict[str, Any]:
            self.at(hour, minute)
            response = client.post(f"/api/bookings/{code}/check-in")
            assert response.status_code == 201, response.json
            return response.json

    return Line()


def called_in_order(client: Any, officer: Any, expected: list[dict[str, Any]]) -> None:
    """Before each call: the console lists the line as expected and every waiting ticket has
    exactly the calls before it ahead; then counter 1 calls the first of them."""
    remaining = list(expected)
    while remaining:
        state = officer.get("/api/counters/1/state").json
        assert [t["number"] for t in state["waiting"]] == [t["number"] for t in remaining]
        ahead = [client.get(f"/api/tickets/{t['key']}").json["waiting_ahead"] for t in remaining]
        assert ahead == list(range(len(remaining)))
        called = officer.post("/api/counters/1/next").json
        assert called["number"] == remaining[0]["number"]
        finished = officer.post(f"/api/tickets/{called['id']}/finish", json={"outcome": "advice"})
        assert finished.status_code == 200
        remaining.pop(0)
    assert officer.post("/api/counters/1/next").status_code == 204


def test_an_early_booked_citizen_waits_for_their_slot(line, client, officer):
    """Checked in at 07:05 for 07:30: behind whoever took a number before 07:30, ahead of
    whoever took one after, whenever they came."""
    code = line.book("07:30")
    first = line.walk_in(7, 0)
    booked = line.check_in(code, 7, 5)
    assert booked["line_at"] == "2026-11-27T07:30:00+07:00"
    assert booked["waiting_ahead"] == 1
    before_slot = line.walk_in(7, 20)
    assert before_slot["waiting_ahead"] == 1  # the booking is not ahead of it
    after_slot = line.walk_in(7, 40)
    assert after_slot["waiting_ahead"] == 3
    called_in_order(client, officer, [first, before_slot, booked, after_slot])


def test_a_late_check_in_takes_its_place_at_the_check_in(line, client, officer):
    code = line.book("07:30")
    first = line.walk_in(7, 25)
    second = line.walk_in(7, 35)
    booked = line.check_in(code, 7, 40)  # 10 minutes after the start: still allowed
    assert booked["line_at"] == booked["issued_at"] == "2026-11-27T07:40:00+07:00"
    third = line.walk_in(7, 42)
    called_in_order(client, officer, [first, second, booked, third])


def test_two_slots_and_remote_tickets_interleave_by_time(line, client, officer):
    early, late = line.book("07:00"), line.book("08:00", phone="0987654321")
    booked_late = line.check_in(late, 7, 31)  # place 08:00
    booked_early = line.check_in(early, 7, 0)  # place 07:00 (checked in at the start)
    remote = line.walk_in(7, 10, channel="remote")
    walk_in = line.walk_in(7, 50)
    after = line.walk_in(8, 1)
    called_in_order(client, officer, [booked_early, remote, walk_in, booked_late, after])


def test_priority_still_goes_first(line, client, officer):
    code = line.book("07:30")
    booked = line.check_in(code, 7, 10)
    elderly = line.walk_in(7, 45, priority="elderly")
    walk_in = line.walk_in(7, 50)
    called_in_order(client, officer, [elderly, booked, walk_in])


def test_the_kiosk_promises_a_new_walk_in_its_real_place(line, client):
    """Before the slot begins, a walk-in taking a number now goes ahead of the booking, so
    the kiosk's estimate counts only the one walk-in ahead."""
    code = line.book("09:30")
    line.walk_in(7, 0)
    line.check_in(code, 9, 0)
    line.at(9, 5)
    procedure = next(p for p in client.get("/api/procedures").json if p["id"] == COPY)
    assert procedure["waiting"] == 2
    assert line.walk_in(9, 5)["waiting_ahead"] == 1
