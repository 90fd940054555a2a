"""The citizen's phone pages in Chromium against a real `motcua serve`, on a phone (390×844):
taking a ticket from home (/lay-so) to its own page, which then shows the officer's call; the
refusals said on the page; booking a time (/dat-lich) to its code and QR; and the kiosk
(1080×1920) checking that booking in.

The server runs in a zone where it is now midday (tests/live_server.py midday_zone), so today
has slots left and remote hours to refuse at whatever hour the tests run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    KIOSK_PORTRAIT,
    PHONE,
    TV,
    screenshot,
    serious_accessibility_violations,
)
from tests.live_server import LiveServer, midday_zone

WAIT = 8000  # ms
FIELD = "ho-kinh-doanh"  # letter C, served by Quầy 4 alone
PROCEDURE = "thanh-lap-ho-kinh-doanh"
COUNTER = 4


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The browser tests' server (tests/browser/conftest.py), in a zone where it is midday."""
    folder = tmp_path_factory.mktemp("live")
    receipts = f"dir:{folder / 'receipts'}"
    server = LiveServer(folder, MOTCUA_PRINTER=receipts, MOTCUA_TZ=midday_zone()).start()
    yield server
    server.stop()


def center_now(live: LiveServer) -> datetime:
    """The center's time now, in its own zone (GET /api/center)."""
    return datetime.fromisoformat(requests.get(f"{live.url}/api/center", timeout=5).json()["now"])


@pytest.fixture(scope="module")
def admin(live: LiveServer) -> requests.Session:
    return live.login("quantri")


def remote_setup(live: LiveServer, admin: requests.Session, **choices: object) -> dict:
    response = admin.put(f"{live.url}/api/admin/remote", json=choices, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def remote_remaining(live: LiveServer) -> int:
    """What is left of today's remote tickets, as the public offer says."""
    offer = requests.get(f"{live.url}/api/remote", timeout=5).json()
    return offer["remaining"]


def walk_to_confirm(page: Page, *, complete: bool = True) -> None:
    """/lay-so's steps: the field, the procedure, the checklist's answer, no priority."""
    page.locator(f'#step-fields [data-field="{FIELD}"]').click()
    page.locator(f'[data-procedure="{PROCEDURE}"]').click()
    expect(page.locator(".question")).to_have_text("Tôi đã có đủ các giấy tờ trên?")
    page.locator(f'[data-complete="{"yes" if complete else "no"}"]').click()
    page.locator('[data-priority=""]').click()
    expect(page.locator("#take")).to_be_visible()


@pytest.fixture
def officer(live: LiveServer) -> Iterator[requests.Session]:
    session = live.login("canbo")
    yield session
    # Leave nobody waiting at this counter for the next test.
    for _ in range(20):
        called = session.post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5)
        if called.status_code != 200:
            break
        session.post(
            f"{live.url}/api/tickets/{called.json()['id']}/finish",
            json={"outcome": "advice"},
            timeout=5,
        )


def test_a_phone_takes_a_ticket_from_home_and_sees_its_call(live, admin, officer, open_page):
    remote_setup(live, admin, remote_tickets=5, remote_hours=None)
    page = open_page(f"{live.url}/hang-cho", PHONE)
    page.get_by_role("link", name="Lấy số từ xa").click()
    expect(page.locator("h1")).to_have_text("Lấy số từ xa")
    expect(page.locator("#remaining")).to_have_text("Hôm nay còn 5 lượt lấy số từ xa.")
    expect(page.locator(".explain")).to_contain_text("số bị đánh dấu vắng mặt")
    screenshot(page, "phone-remote-ticket")
    assert serious_accessibility_violations(page) == []
    walk_to_confirm(page)
    expect(page.locator(".summary")).to_contain_text("Đã có đủ")
    screenshot(page, "phone-remote-ticket-confirm")
    assert serious_accessibility_violations(page) == []
    # The phone's Back button goes back one step, and forward again through the steps.
    page.go_back()
    expect(page.locator('[data-priority=""]')).to_be_visible()
    page.locator('[data-priority=""]').click()
    # A double tap (even on a button re-enabled too soon) while the request runs: one ticket.
    page.locator("#take").evaluate(
        "(button) => { button.click(); button.disabled = false; button.click(); }"
    )
    page.wait_for_url(re.compile(r"/t/[^/]+$"), timeout=WAIT)
    key = page.url.rsplit("/", 1)[1]
    expect(page.locator("#number")).to_have_text(re.compile(r"^C\d{3}$"), timeout=WAIT)
    number = page.locator("#number").inner_text()
    expect(page.locator(".channel")).to_have_text("Số lấy từ xa")
    assert remote_remaining(live) == 4  # one ticket for the double tap

    called = officer.post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5).json()
    assert called["number"] == number and called["channel"] == "remote"
    expect(page.locator(".status-called")).to_contain_text(f"Mời đến Quầy {COUNTER}", timeout=WAIT)
    # The lobby TV and the counter's screen mark it as taken from home.
    tv = open_page(f"{live.url}/display", TV)
    expect(tv.locator(f'.recent-call[data-number="{number}"] .channel-mark')).to_have_text("Từ xa")
    card = tv.locator(f'.counter[data-counter-id="{COUNTER}"]')
    expect(card.locator(".counter-status .channel-mark")).to_have_text("Từ xa")
    above = open_page(f"{live.url}/display/counter/{COUNTER}", TV)
    expect(above.locator("#serving-number")).to_have_text(number)
    expect(above.locator("#serving-channel")).to_have_text("Số lấy từ xa")
    screenshot(tv, "display-tv-remote-mark")
    screenshot(above, "display-counter-remote-mark")

    # Back on /lay-so, the phone knows its ticket; a second one is refused, with the link.
    page.goto(f"{live.url}/lay-so")
    expect(page.locator("#mine")).to_contain_text(f"Số quý vị lấy từ xa hôm nay: {number}.")
    assert page.locator("#mine a").get_attribute("href") == f"/t/{key}"
    walk_to_confirm(page, complete=False)
    expect(page.locator(".summary")).to_contain_text("Chưa đủ")
    page.locator("#take").click()
    expect(page.locator(".alert")).to_contain_text(f"đang giữ số {number}", timeout=WAIT)
    assert page.locator(".alert a").get_attribute("href") == f"/t/{key}"


def test_the_refusals_are_said_on_the_page(live, admin, open_page):
    remote_setup(live, admin, remote_tickets=0)
    page = open_page(f"{live.url}/lay-so", PHONE)
    expect(page.locator(".notice h2")).to_have_text("Trung tâm chưa mở lấy số từ xa")
    expect(page.locator("#step-fields")).to_have_count(0)
    page.goto(f"{live.url}/hang-cho")
    expect(page.get_by_role("link", name="Lấy số từ xa")).to_have_count(0)

    hours = "23:00-23:30" if center_now(live).hour < 12 else "00:00-00:30"  # not now
    remote_setup(live, admin, remote_tickets=50, remote_hours=hours)
    page.goto(f"{live.url}/lay-so")
    expect(page.locator(".notice h2")).to_have_text("Hiện không phải giờ lấy số từ xa")
    expect(page.locator(".notice")).to_contain_text(hours.replace("-", "–"))

    # The cap: the page opened with one left, another phone took it meanwhile.
    remote_setup(live, admin, remote_hours=None)
    taken = 50 - remote_remaining(live)  # the first test's
    remote_setup(live, admin, remote_tickets=taken + 1)
    page.goto(f"{live.url}/lay-so")
    expect(page.locator("#remaining")).to_have_text("Hôm nay còn 1 lượt lấy số từ xa.")
    walk_to_confirm(page)
    other = requests.post(
        f"{live.url}/api/tickets",
        json={"procedure_id": PROCEDURE, "documents_complete": True, "channel": "remote"},
        timeout=5,
    )
    assert other.status_code == 201, other.text
    page.locator("#take").click()
    expect(page.locator(".alert")).to_have_text(re.compile("^Hôm nay đã hết số lấy từ xa"))
    page.goto(f"{live.url}/lay-so")
    expect(page.locator(".notice h2")).to_have_text("Hôm nay đã hết lượt lấy số từ xa")


BOOKED_FIELD = "chung-thuc"
BOOKED_PROCEDURE = "chung-thuc-ban-sao"


def book_by_api(live: LiveServer, day: str, start: str, phone: str) -> dict:
    body = {"procedure_id": BOOKED_PROCEDURE, "date": day, "start": start, "name": "Trần Văn An"}
    response = requests.post(
        f"{live.url}/api/bookings", json={**body, "phone": phone, "consent": True}, timeout=5
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_phone_books_a_time_and_the_kiosk_checks_it_in(live, admin, open_page):
    # One citizen per 30-minute slot; the third slot of today is already taken.
    fields = {BOOKED_FIELD: {"booking_capacity": 1, "booking_slot_minutes": 30}}
    remote_setup(live, admin, fields=fields)
    today = center_now(live).date().isoformat()
    query = f"date={today}&procedure_id={BOOKED_PROCEDURE}"
    free = requests.get(f"{live.url}/api/slots?{query}", timeout=5).json()
    assert len(free) >= 3, "at midday, today has slots left"
    book_by_api(live, today, free[2]["start"], "0987000111")

    page = open_page(f"{live.url}/hang-cho", PHONE)
    page.get_by_role("link", name="Đặt lịch hẹn").click()
    expect(page.locator("h1")).to_have_text("Đặt lịch hẹn")
    expect(page.locator(".explain")).to_contain_text("theo giờ bắt đầu của khung giờ đã đặt")
    page.locator(f'#step-fields [data-field="{BOOKED_FIELD}"]').click()
    page.locator(f'[data-procedure="{BOOKED_PROCEDURE}"]').click()
    page.locator(f'[data-day="{today}"]').click()
    expect(page.locator(f'[data-slot="{free[2]["start"]}"]')).to_be_disabled()
    expect(page.locator(f'[data-slot="{free[2]["start"]}"]')).to_contain_text("Đã đủ người")
    page.locator(f'[data-slot="{free[0]["start"]}"]').click()

    # Consent: the button stays disabled until the box is ticked; the API's 400 is shown.
    page.locator("#name").fill("Nguyễn Thị Lan")
    page.locator("#phone").fill("0912 345 678")
    expect(page.locator("#book")).to_be_disabled()
    expect(page.locator(".consent")).to_contain_text("Chỉ cán bộ trung tâm được xem")
    expect(page.locator(".consent")).to_contain_text("xoá 30 ngày sau ngày hẹn")
    page.locator("#consent").check()
    expect(page.locator("#book")).to_be_enabled()
    screenshot(page, "phone-booking")
    assert serious_accessibility_violations(page) == []
    page.locator("#phone").fill("12345")
    page.locator("#book").click()
    expect(page.locator(".contact .alert")).to_contain_text("Số điện thoại không hợp lệ")
    page.locator("#phone").fill("0912 345 678")
    page.locator("#book").click()
    page.wait_for_url(re.compile(r"/dat-lich/DL-"), timeout=WAIT)
    code = page.locator("#code").inner_text()
    assert re.fullmatch(r"DL-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
    expect(page.locator("#time")).to_have_text(f"{free[0]['start']}–{free[0]['end']}")
    expect(page.locator("#qr svg")).to_have_attribute("data-url", code)  # what a scanner types
    expect(page.locator("body")).to_contain_text("Lưu ảnh màn hình này")
    expect(page.locator("body")).not_to_contain_text("Nguyễn Thị Lan")
    expect(page.locator("body")).not_to_contain_text("0912")
    page.locator(".save").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "phone-booking-done")
    assert serious_accessibility_violations(page) == []

    # At the kiosk: "Tôi đã đặt lịch", the code typed on the keypad (the prefix is printed).
    kiosk = open_page(f"{live.url}/kiosk?home=600", KIOSK_PORTRAIT)
    kiosk.wait_for_selector("#screen[data-screen='home']", timeout=WAIT)
    screenshot(kiosk, "kiosk-home-booked")
    kiosk.locator("#booked").click()
    for character in code.replace("DL-", "").replace("-", ""):
        kiosk.locator(f'.keypad [data-key="{character}"]').click()
    expect(kiosk.locator("#code-display")).to_have_text(code)
    screenshot(kiosk, "kiosk-check-in")
    assert serious_accessibility_violations(kiosk) == []
    kiosk.locator("#check-in").click()
    # The booked procedure's checklist and the priority, as for a walk-in: a complete dossier
    # on a no-appointment day gets the "không hẹn" tag.
    kiosk.wait_for_selector("#screen[data-screen='documents']", timeout=WAIT)
    expect(kiosk.locator(".checklist li").first).to_be_visible()
    kiosk.get_by_role("button", name="Tôi đã có đủ giấy tờ").click()
    kiosk.get_by_role("button", name="Không thuộc đối tượng ưu tiên").click()
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"), timeout=WAIT)
    expect(kiosk.locator(".ticket-screen")).not_to_contain_text("hoàn thiện hồ sơ")
    expect(kiosk.locator(".badge.no-appointment")).to_be_visible()
    page.reload()
    expect(page.locator(".checked-in")).to_have_text("Lịch hẹn này đã được xác nhận tại ki-ốt.")


def test_the_kiosk_says_why_a_booking_is_refused(live, admin, open_page):
    fields = {BOOKED_FIELD: {"booking_capacity": 5, "booking_slot_minutes": 30}}
    remote_setup(live, admin, fields=fields)
    days = requests.get(
        f"{live.url}/api/booking-days?procedure_id={BOOKED_PROCEDURE}", timeout=5
    ).json()["days"]
    later = book_by_api(live, days[1]["date"], "12:00", "0987000222")  # tomorrow noon

    kiosk = open_page(f"{live.url}/kiosk?home=600", KIOSK_PORTRAIT)
    kiosk.wait_for_selector("#screen[data-screen='home']", timeout=WAIT)
    kiosk.locator("#booked").click()
    # A USB scanner types the QR's text and Enter, in whatever case.
    kiosk.keyboard.type(later["code"].lower())
    kiosk.keyboard.press("Enter")
    alert = kiosk.locator(".check-in .alert")
    expect(alert).to_contain_text("Chưa đến giờ xác nhận lịch hẹn", timeout=WAIT)
    expect(alert).to_contain_text("xác nhận từ 11:30")
    # An unknown code: said, and the display is emptied for another try.
    for character in "AAAAAA":
        kiosk.locator(f'.keypad [data-key="{character}"]').click()
    kiosk.locator("#check-in").click()
    expect(alert).to_have_text("Không tìm thấy lịch hẹn với mã này.", timeout=WAIT)
    expect(kiosk.locator("#code-display")).to_have_text("DL-____-__")
