"""The console marks the tickets taken from outside the center ("Từ xa") and the booked ones
("Đặt lịch" and the booked time) in its line, in Chromium against a real `motcua serve`
(open at every hour, in a zone where it is now midday, so the booking's slot is today's
next one whatever the hour the tests run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_counter import issue, log_in, open_counter
from tests.live_server import ADMIN_PASSWORD, LiveServer, midday_zone

COPIES = "chung-thuc-ban-sao"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(folder, MOTCUA_TZ=midday_zone()).start()
    yield server
    server.stop()


def test_the_console_marks_remote_and_booked_tickets(live, open_page):
    admin = requests.Session()
    admin.post(
        f"{live.url}/api/session",
        json={"username": "quantri", "password": ADMIN_PASSWORD},
        timeout=5,
    )
    fields = {"chung-thuc": {"booking_capacity": 2, "booking_slot_minutes": 5}}
    admin.put(
        f"{live.url}/api/admin/remote", json={"remote_tickets": 5, "fields": fields}, timeout=5
    )
    walk_in = issue(live)
    remote = issue(live, channel="remote")
    today = requests.get(f"{live.url}/api/center", timeout=5).json()["date"]
    slots = requests.get(
        f"{live.url}/api/slots?date={today}&procedure_id={COPIES}", timeout=5
    ).json()
    assert slots, "the center is open at every hour: a slot begins within 5 minutes"
    body = {"procedure_id": COPIES, "date": today, "start": slots[0]["start"],
            "name": "Lê Thị Hoa", "phone": "0912345678", "consent": True}  # fmt: skip
    code = requests.post(f"{live.url}/api/bookings", json=body, timeout=5).json()["code"]
    booked = requests.post(f"{live.url}/api/bookings/{code}/check-in", timeout=5).json()

    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, "Quầy 1 — Chứng thực")
    rows = page.locator("#waiting-rows tr")
    expect(rows).to_have_count(3)
    row = {number: page.locator("#waiting-rows tr", has_text=number) for number in
           (walk_in["number"], remote["number"], booked["number"])}  # fmt: skip
    expect(row[remote["number"]].locator(".mark-remote")).to_have_text("Từ xa")
    expect(row[booked["number"]].locator(".mark-booking")).to_have_text(
        f"Đặt lịch {slots[0]['start']}"
    )
    expect(row[walk_in["number"]].locator(".mark-remote, .mark-booking")).to_have_count(0)
    expect(page.locator("#waiting-rows")).not_to_contain_text("Lê Thị Hoa")
    screenshot(page, "counter-channels")
