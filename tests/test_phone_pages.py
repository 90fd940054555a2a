"""The citizen's phone pages over HTTP: what GET /api/remote tells a citizen before a remote
ticket, what /lay-so and /dat-lich render on their first paint, and what a booking's page
/dat-lich/<code> shows (never the name or the phone). The browser flows are in
tests/browser/test_phone_pages.py."""

from __future__ import annotations

import html
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
        "bookings": False,
    }


def test_the_offer_counts_down_the_days_cap(app, admin, client):
    admin.put("/api/admin/remote", json={"remote_tickets": 2})
    offer = client.get("/api/remote").json
    assert offer == {
        "enabled": True,
        "open_now": True,
        "hours": ["07:00-11:30", "13:30-17:00"],
        "remaining": 2,
        "bookings": False,
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


NAME, PHONE = "Nguyễn Thị Lan", "0912345678"


@pytest.fixture
def bookable(admin: Any) -> None:
    """Chứng thực takes two citizens per 30-minute slot."""
    fields = {"chung-thuc": {"booking_capacity": 2, "booking_slot_minutes": 30}}
    assert admin.put("/api/admin/remote", json={"fields": fields}).status_code == 200


def booked(client: Any) -> dict[str, Any]:
    body = {"procedure_id": COPY, "date": "2026-11-27", "start": "09:00", "name": NAME}
    response = client.post("/api/bookings", json={**body, "phone": PHONE, "consent": True})
    assert response.status_code == 201, response.json
    return response.json


def test_the_booking_page_says_when_no_field_takes_bookings(client):
    assert client.get("/api/remote").json["bookings"] is False
    text = client.get("/dat-lich").get_data(as_text=True)
    assert "Trung tâm chưa nhận đặt lịch hẹn" in text
    assert 'href="/dat-lich"' not in client.get("/hang-cho").get_data(as_text=True)


def test_the_booking_page_offers_only_the_fields_that_take_bookings(bookable, client):
    assert client.get("/api/remote").json["bookings"] is True
    text = client.get("/dat-lich").get_data(as_text=True)
    assert 'data-field="chung-thuc"' in text
    assert 'data-field="ho-tich"' not in text
    assert '"retention_days": 30' in text  # the consent's "xoá 30 ngày sau ngày hẹn"
    assert "theo giờ bắt đầu của khung giờ đã đặt" in text  # the fair order, in words
    assert 'href="/dat-lich"' in client.get("/hang-cho").get_data(as_text=True)


def test_a_bookings_page_shows_its_slot_and_checklist_never_the_name_or_phone(bookable, client):
    code = booked(client)["code"]
    page = client.get(f"/dat-lich/{code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert code in text
    assert "Thứ Sáu, 27/11/2026" in text
    assert "09:00–09:30" in text
    assert "từ 08:30 đến 09:15" in text
    assert "Đến trước giờ hẹn tối đa 30 phút, quét mã tại ki-ốt hoặc nhập mã" in text
    assert "Lưu ảnh màn hình này" in text
    procedure = next(p for p in client.get("/api/procedures").json if p["id"] == COPY)
    assert all(html.escape(document) in text for document in procedure["documents"])
    assert NAME not in text and PHONE not in text and "912345678" not in text
    # Any case, without its dashes: the same booking.
    assert client.get(f"/dat-lich/{code.replace('-', '').lower()}").status_code == 200


def test_an_unknown_booking_code_is_a_404_page(client):
    page = client.get("/dat-lich/DL-AAAA-AA")
    assert page.status_code == 404
    assert "Không có lịch hẹn với mã này" in page.get_data(as_text=True)
