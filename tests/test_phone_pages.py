"""The citizen's phone pages over HTTP: what GET /api/remote tells a citizen before a remote
ticket, and what the pages /lay-so render on their first paint (the browser flows are in
tests/browser/test_phone_pages.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"


def take(browser: Any) -> Any:
    body = {"procedure_id": COPY, "documents_complete": True, "priority": None}
    return browser.post("/api/tickets", json={**body, "channel": "remote"})


def test_the_offer_is_off_until_the_center_allows_remote_tickets(client):
    assert client.get("/api/remote").json == {
        "enabled": False,
        "open_now": False,
        "hours": ["07:00-11:30", "13:30-17:00"],
        "remaining": 0,
    }


def test_the_offer_counts_down_the_days_cap(app, admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 2})
    offer = client.get("/api/remote").json
    assert offer == {
        "enabled": True,
        "open_now": True,
        "hours": ["07:00-11:30", "13:30-17:00"],
        "remaining": 2,
    }
    assert take(app.test_client()).status_code == 201
    assert client.get("/api/remote").json["remaining"] == 1
    assert take(app.test_client()).status_code == 201
    assert client.get("/api/remote").json["remaining"] == 0
    assert take(app.test_client()).json["error"]["code"] == "remote_cap_reached"


@pytest.mark.parametrize(
    ("moment", "hours", "open_now", "shown"),
    [
        (datetime(2026, 11, 26, 12, 0), None, False, ["07:00-11:30", "13:30-17:00"]),
        (datetime(2026, 11, 26, 12, 0), "06:00-16:00", True, ["06:00-16:00"]),
        (datetime(2026, 11, 26, 16, 30), "06:00-16:00", False, ["06:00-16:00"]),
        (datetime(2026, 11, 28, 9, 0), "06:00-16:00", False, []),  # Saturday: closed
    ],
)
def test_the_offer_says_the_hours(admin, client, clock, moment, hours, open_now, shown):
    admin.put("/api/admin/remote", json={"remote_tickets": 5, "remote_hours": hours})
    clock.set(moment.replace(tzinfo=TZ))
    offer = client.get("/api/remote").json
    assert (offer["open_now"], offer["hours"]) == (open_now, shown)


def test_a_holiday_has_no_remote_hours(admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 5})
    holiday = {"day": "2026-11-26", "kind": "holiday", "name": "Nghỉ bù"}
    assert admin.post("/api/admin/calendar", json=holiday).status_code == 201
    offer = client.get("/api/remote").json
    assert (offer["open_now"], offer["hours"]) == (False, [])


def test_the_offer_names_no_ticket(app, admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 5})
    phone = app.test_client()
    ticket = take(phone).json
    text = client.get("/api/remote").get_data(as_text=True)
    assert ticket["number"] not in text
    assert ticket["key"] not in text


def test_the_remote_page_says_when_it_is_off(client):
    page = client.get("/lay-so")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Trung tâm chưa mở lấy số từ xa" in text
    assert 'data-state="off"' in text


def test_the_remote_page_renders_the_fields_on_its_first_paint(admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 7})
    text = client.get("/lay-so").get_data(as_text=True)
    assert 'data-state="open"' in text
    assert "Hôm nay còn 7 lượt lấy số từ xa" in text
    assert 'data-field="chung-thuc"' in text
    assert "vắng mặt" in text  # a remote ticket not present when called: said plainly


def test_the_remote_page_says_the_hours_outside_them(admin, client, clock):
    admin.put("/api/admin/remote", json={"remote_tickets": 7, "remote_hours": "07:00-10:00"})
    clock.set(datetime(2026, 11, 26, 10, 30, tzinfo=TZ))
    text = client.get("/lay-so").get_data(as_text=True)
    assert 'data-state="closed"' in text
    assert "07:00–10:00" in text


def test_the_public_queue_links_to_the_remote_page_only_while_it_is_on(admin, client):
    assert 'href="/lay-so"' not in client.get("/hang-cho").get_data(as_text=True)
    admin.put("/api/admin/remote", json={"remote_tickets": 7})
    assert 'href="/lay-so"' in client.get("/hang-cho").get_data(as_text=True)
    embedded = client.get("/hang-cho/nhung").get_data(as_text=True)
    assert "/lay-so" in embedded
