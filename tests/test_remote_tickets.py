"""Tickets taken from outside the center (`channel: "remote"`): off until the center sets a
daily cap, only in its hours on a working day, one active ticket per browser, no receipt,
and marked as remote wherever a ticket shows."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"  # counters 1 and 2


def take(browser: Any, **body: Any) -> Any:
    payload = {"procedure_id": COPY, "documents_complete": True, "priority": None}
    return browser.post("/api/tickets", json={**payload, "channel": "remote", **body})


def count(db: Any, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


@pytest.fixture
def switched_on(admin: Any) -> None:
    """The admin allows three remote tickets a day."""
    response = admin.put("/api/admin/remote", json={"remote_tickets": 3})
    assert response.status_code == 200, response.json


def test_remote_tickets_are_off_until_the_center_allows_them(client, db):
    refused = take(client)
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "remote_tickets_off"
    assert "ki-ốt" in refused.json["error"]["message"]
    assert count(db, "SELECT count(*) FROM tickets") == 0


def test_a_remote_ticket_is_an_ordinary_ticket_with_no_receipt(switched_on, client, db, officer):
    issued = take(client)
    assert issued.status_code == 201, issued.json
    ticket = issued.json
    assert ticket["channel"] == "remote"
    assert ticket["number"] == "A001"
    assert ticket["key"]
    assert count(db, "SELECT count(*) FROM print_jobs") == 0  # nobody is at the printer
    kiosk = client.post(
        "/api/tickets", json={"procedure_id": COPY, "documents_complete": True, "priority": None}
    )
    assert kiosk.json["channel"] == "kiosk"  # the default
    assert kiosk.json["number"] == "A002"  # one numbering for both
    assert count(db, "SELECT count(*) FROM print_jobs") == 1
    called = officer.post("/api/counters/1/next").json
    assert called["id"] == ticket["id"]  # called in order, like any other
    no_show = officer.post(f"/api/tickets/{ticket['id']}/no-show").json
    assert no_show["status"] == "no_show"


def test_the_first_remote_request_sets_the_browser_cookie(switched_on, client, db):
    issued = take(client)
    header = next(
        value for value in issued.headers.getlist("Set-Cookie") if "motcua_browser=" in value
    )
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Max-Age=31536000" in header
    cookie = client.get_cookie("motcua_browser").value
    assert len(cookie) >= 20
    stored = db.execute("SELECT browser_hash FROM tickets").fetchone()[0]
    assert stored == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie not in str(db.execute("SELECT * FROM tickets").fetchall())
    second = take(client)
    assert not any("motcua_browser=" in v for v in second.headers.getlist("Set-Cookie"))


def test_a_kiosk_ticket_sets_no_cookie_and_keeps_no_browser(client, db, issue):
    response = client.post(
        "/api/tickets", json={"procedure_id": COPY, "documents_complete": True, "priority": None}
    )
    assert response.status_code == 201
    assert client.get_cookie("motcua_browser") is None
    assert db.execute("SELECT browser_hash FROM tickets").fetchone()[0] is None


def test_one_active_remote_ticket_per_browser(switched_on, app, client, officer, db):
    first = take(client).json
    again = take(client, procedure_id="khai-sinh")
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "remote_ticket_active"
    assert first["number"] in error["message"]
    assert first["key"] not in again.get_data(as_text=True)
    assert first["id"] not in again.get_data(as_text=True)
    other_phone = app.test_client()
    assert take(other_phone).status_code == 201
    officer.post("/api/counters/1/next")  # the first is called: still active
    assert take(client).json["error"]["code"] == "remote_ticket_active"
    officer.post(f"/api/tickets/{first['id']}/finish", json={"outcome": "advice"})
    assert take(client).status_code == 201  # served: the browser may take another


def test_a_repeat_of_the_same_request_is_the_same_ticket(switched_on, client):
    headers = {"Idempotency-Key": "dien-thoai-1"}
    first = client.post(
        "/api/tickets",
        json={"procedure_id": COPY, "documents_complete": True, "channel": "remote"},
        headers=headers,
    )
    repeat = client.post(
        "/api/tickets",
        json={"procedure_id": COPY, "documents_complete": True, "channel": "remote"},
        headers=headers,
    )
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.json["id"] == first.json["id"]


def test_the_daily_cap(app, admin, db, issue):
    admin.put("/api/admin/remote", json={"remote_tickets": 2})
    phones = [app.test_client() for _ in range(3)]
    assert [take(phone).status_code for phone in phones[:2]] == [201, 201]
    refused = take(phones[2])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "remote_cap_reached"
    assert issue()["channel"] == "kiosk"  # the kiosk is never capped
    assert count(db, "SELECT count(*) FROM tickets WHERE channel = 'remote'") == 2


def test_the_cap_is_per_day(app, admin, clock):
    admin.put("/api/admin/remote", json={"remote_tickets": 1})
    assert take(app.test_client()).status_code == 201
    assert take(app.test_client()).status_code == 409
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=TZ))  # Friday
    assert take(app.test_client()).status_code == 201


@pytest.mark.parametrize(
    ("moment", "hours", "status"),
    [
        (datetime(2026, 11, 26, 7, 0), None, 201),  # the morning session opens
        (datetime(2026, 11, 26, 12, 0), None, 409),  # lunch: between the sessions
        (datetime(2026, 11, 26, 17, 0), None, 409),  # closed
        (datetime(2026, 11, 26, 6, 30), "06:00-16:00", 201),  # the admin's hours
        (datetime(2026, 11, 26, 12, 0), "06:00-16:00", 201),
        (datetime(2026, 11, 26, 16, 0), "06:00-16:00", 409),
        (datetime(2026, 11, 28, 9, 0), "06:00-16:00", 409),  # a Saturday: closed all day
    ],
)
def test_the_hours_remote_tickets_are_taken(admin, client, clock, moment, hours, status):
    admin.put("/api/admin/remote", json={"remote_tickets": 5, "remote_hours": hours})
    clock.set(moment.replace(tzinfo=TZ))
    response = take(client)
    assert response.status_code == status, response.json
    if status == 409:
        assert response.json["error"]["code"] == "remote_outside_hours"


def test_never_on_a_holiday(admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 5, "remote_hours": "00:00-23:59"})
    holiday = {"day": "2026-11-26", "kind": "holiday", "name": "Nghỉ bù"}
    assert admin.post("/api/admin/calendar", json=holiday).status_code == 201
    response = take(client)
    assert response.json["error"]["code"] == "remote_outside_hours"


class TestTheCapFromTheEnvironment:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "remote_tickets": 1}

    def test_motcua_remote_tickets_until_the_admin_saves(self, app, admin):
        assert admin.get("/api/admin/remote").json["remote_tickets"] == 1
        assert take(app.test_client()).status_code == 201
        assert take(app.test_client()).json["error"]["code"] == "remote_cap_reached"
        admin.put("/api/admin/remote", json={"remote_tickets": 0})
        assert take(app.test_client()).json["error"]["code"] == "remote_tickets_off"


class TestTheRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "ticket_rate": 2, "remote_tickets": 10}

    def test_one_address_is_limited_as_at_the_kiosk(self, app):
        statuses = [take(app.test_client()).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]


@pytest.mark.parametrize("channel", ["booking", "web", 1])
def test_only_kiosk_and_remote_are_asked_for(switched_on, client, channel, db):
    response = take(client, channel=channel)
    assert response.status_code == 400
    assert count(db, "SELECT count(*) FROM tickets") == 0


def test_the_admin_setting_is_checked_and_audited(admin, db):
    setup = admin.get("/api/admin/remote").json
    assert {key: value for key, value in setup.items() if key != "fields"} == {
        "remote_tickets": 0,
        "remote_hours": None,
        "booking_days_ahead": 5,
        "booking_retention_days": 30,
        "push_ahead": 3,
    }
    for body, code in (
        ({"remote_hours": "17:00-07:00"}, "invalid_remote_hours"),
        ({"remote_hours": "7h-17h"}, "invalid_remote_hours"),
        ({"remote_tickets": -1}, "invalid_remote_tickets"),
        ({"remote_tickets": None}, "invalid_remote_tickets"),
        ({"booking_retention_days": 0}, "invalid_booking_retention_days"),
        ({"push_ahead": "3"}, "invalid_push_ahead"),
        ({"cap": 3}, "unknown_key"),
    ):
        refused = admin.put("/api/admin/remote", json=body)
        assert (refused.status_code, refused.json["error"]["code"]) == (400, code), body
    saved = admin.put(
        "/api/admin/remote", json={"remote_tickets": 20, "remote_hours": "7:00-16:30"}
    ).json
    assert saved["remote_tickets"] == 20
    assert saved["remote_hours"] == "07:00-16:30"
    entry = admin.get("/api/admin/audit").json[0]
    assert entry["action"] == "remote.update"
    assert entry["before"] == {"remote_tickets": 0, "remote_hours": None}
    assert entry["after"] == {"remote_tickets": 20, "remote_hours": "07:00-16:30"}
    cleared = admin.put("/api/admin/remote", json={"remote_hours": None}).json
    assert cleared["remote_hours"] is None


def test_officers_cannot_change_it(officer):
    assert officer.put("/api/admin/remote", json={"remote_tickets": 5}).status_code == 403


def test_the_channel_shows_wherever_the_ticket_does(switched_on, client, officer, socket_client):
    lobby = socket_client("display")
    remote = take(client).json
    key_view = client.get(f"/api/tickets/{remote['key']}").json
    assert key_view["channel"] == "remote"
    console = officer.get("/api/counters/1/state").json
    assert [ticket["channel"] for ticket in console["waiting"]] == ["remote"]
    officer.post("/api/counters/1/next")
    stats = client.get("/api/stats/today").json
    assert stats["recent_calls"][0]["channel"] == "remote"
    events = [e["args"][0] for e in lobby.get_received() if e["name"].startswith("ticket_")]
    assert events
    assert all(event["channel"] == "remote" for event in events)
