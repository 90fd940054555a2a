"""The counter's rating tablet /rate/<id> and the no-appointment poster /khong-hen in Chromium
against a real `motcua serve`.

Officers act over HTTP (LiveServer.login); the tablet hears it on the channel counter:<id>.
"""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    SCREENSHOTS,
    fits_without_scrolling,
    screenshot,
    serious_accessibility_violations,
)
from tests.live_server import LiveServer

WAIT = 5000  # ms: the longest any single expectation waits
TABLET = {"width": 1280, "height": 800}
TABLET_PORTRAIT = {"width": 800, "height": 1280}
COUNTER = 3  # Quầy 3 — Hộ tịch: only this module's tickets go there
PROCEDURE = "khai-sinh"
OFFICER_NAME = "Nguyễn Thị Hoa"
IDLE = "Mời quý khách đánh giá sau khi được phục vụ"

OpenPage = Callable[..., Page]


def issue(live: LiveServer) -> dict:
    response = requests.post(
        f"{live.url}/api/tickets",
        json={"procedure_id": PROCEDURE, "documents_complete": True, "priority": None},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def serve(live: LiveServer, officer: requests.Session, ticket_id: str, *, finish: bool = True):
    """Call the ticket to COUNTER (it is the only one waiting there) and finish it."""
    called = officer.post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5)
    assert called.status_code == 200, called.text
    assert called.json()["id"] == ticket_id
    if finish:
        finished = officer.post(
            f"{live.url}/api/tickets/{ticket_id}/finish", json={"outcome": "resolved"}, timeout=5
        )
        finished.raise_for_status()


def rating_of(live: LiveServer, key: str) -> str | None:
    response = requests.get(f"{live.url}/api/tickets/{key}", timeout=5)
    response.raise_for_status()
    return response.json()["rating"]


def name_the_officer(live: LiveServer) -> None:
    """What an admin enters on /admin: the officer's full name, shown on the tablet."""
    connection = sqlite3.connect(live.folder / "motcua.db")
    with connection:
        connection.execute(
            "UPDATE users SET full_name = ? WHERE username = 'canbo'", [OFFICER_NAME]
        )
    connection.close()


def tablet_token(live: LiveServer) -> str:
    """The tablet's device token, as `motcua kiosk add` prints it in the page's address."""
    printed = live.run("kiosk", "add", f"quay-{COUNTER}-danh-gia")
    return re.search(r"/rate/SỐ\?token=([\w-]+)", printed)[1]


def open_tablet(open_page: OpenPage, live: LiveServer, query: str = "", viewport=TABLET) -> Page:
    token = f"token={tablet_token(live)}"
    query = f"{query}&{token}" if query else f"?{token}"
    page = open_page(f"{live.url}/rate/{COUNTER}{query}", viewport)
    page.set_default_timeout(WAIT)
    expect(page.locator("#screen-idle")).to_be_visible()
    return page


def test_a_citizen_rates_the_service_just_finished(open_page: OpenPage, live: LiveServer) -> None:
    name_the_officer(live)
    page = open_tablet(open_page, live)
    expect(page.locator("#counter-label")).to_have_text("Quầy 3 — Hộ tịch")
    expect(page.locator(".idle-title")).to_have_text(IDLE)
    assert fits_without_scrolling(page)
    screenshot(page, "rate-tablet-idle")
    assert serious_accessibility_violations(page) == []

    mine = issue(live)
    officer = live.login()
    serve(live, officer, mine["id"], finish=False)
    expect(page.locator("#screen-idle")).to_be_visible()  # still being served
    officer.post(
        f"{live.url}/api/tickets/{mine['id']}/finish", json={"outcome": "resolved"}, timeout=5
    ).raise_for_status()

    expect(page.locator("#screen-rating")).to_be_visible()
    expect(page.locator("#served-number")).to_have_text(mine["number"])
    expect(page.locator("#served-procedure")).to_have_text("Đăng ký khai sinh")
    expect(page.locator("#served-officer")).to_have_text(f"Cán bộ phục vụ: {OFFICER_NAME}")
    buttons = page.locator("[data-rating]")
    expect(buttons).to_have_text(["Rất hài lòng", "Hài lòng", "Không hài lòng"])
    for box in (buttons.nth(i).bounding_box() for i in range(3)):
        assert box and box["height"] >= 96 and box["width"] >= 96
    assert mine["id"] not in page.content()
    assert fits_without_scrolling(page)
    screenshot(page, "rate-tablet-rating")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Rất hài lòng").click()
    expect(page.locator("#screen-thanks")).to_be_visible()
    expect(page.locator(".thanks-title")).to_have_text("Cảm ơn quý khách đã đánh giá!")
    expect(page.locator("#thanks-rating")).to_have_text("Đánh giá của quý khách: Rất hài lòng")
    screenshot(page, "rate-tablet-thanks")
    assert rating_of(live, mine["key"]) == "very_satisfied"
    assert mine["id"] not in page.content()


def test_the_tablet_goes_idle_by_itself_and_on_the_next_call(
    open_page: OpenPage, live: LiveServer
) -> None:
    page = open_tablet(open_page, live, "?rating=2")
    officer = live.login()
    first, second = issue(live), issue(live)
    serve(live, officer, first["id"])
    expect(page.locator("#served-number")).to_have_text(first["number"])
    expect(page.locator("#screen-idle")).to_be_visible(timeout=WAIT)  # nobody tapped for 2 s
    assert rating_of(live, first["key"]) is None

    page.reload()  # a fresh tablet: within 10 minutes the first is still to be rated
    expect(page.locator("#served-number")).to_have_text(first["number"])
    serve(live, officer, second["id"], finish=False)  # the next citizen is at the desk
    expect(page.locator("#screen-idle")).to_be_visible()
    assert rating_of(live, first["key"]) is None
    officer.post(
        f"{live.url}/api/tickets/{second['id']}/finish", json={"outcome": "advice"}, timeout=5
    ).raise_for_status()
    expect(page.locator("#served-number")).to_have_text(second["number"])
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(page.locator("#screen-thanks")).to_be_visible()
    assert rating_of(live, second["key"]) == "satisfied"


def test_the_tablet_keeps_working_after_a_reconnect(open_page: OpenPage, live: LiveServer) -> None:
    page = open_tablet(open_page, live)
    bar = page.locator("#connection-lost")
    mine = issue(live)
    try:
        live.stop()
        expect(bar).to_be_visible(timeout=WAIT)
        expect(bar).to_have_text("Mất kết nối máy chủ — đang tự kết nối lại…")
    finally:
        live.start()
    page.errors[:] = [e for e in page.errors if "ERR_CONNECTION_RESET" not in e]  # type: ignore[attr-defined]
    serve(live, live.login(), mine["id"])  # maybe before the tablet is back: it catches up
    expect(bar).to_be_hidden(timeout=WAIT)
    expect(page.locator("#served-number")).to_have_text(mine["number"], timeout=WAIT)
    page.get_by_role("button", name="Không hài lòng").click()
    expect(page.locator("#thanks-rating")).to_have_text("Đánh giá của quý khách: Không hài lòng")
    assert rating_of(live, mine["key"]) == "unsatisfied"


def test_the_tablet_in_portrait(open_page: OpenPage, live: LiveServer) -> None:
    page = open_tablet(open_page, live, viewport=TABLET_PORTRAIT)
    mine = issue(live)
    serve(live, live.login(), mine["id"])
    expect(page.locator("#served-number")).to_have_text(mine["number"])
    buttons = page.locator("[data-rating]")
    for box in (buttons.nth(i).bounding_box() for i in range(3)):
        assert box and box["height"] >= 96
    assert fits_without_scrolling(page)
    screenshot(page, "rate-tablet-portrait")


def test_an_unknown_counter_is_a_vietnamese_404(live: LiveServer) -> None:
    response = requests.get(f"{live.url}/rate/99", timeout=5)
    assert response.status_code == 404
    assert "Không có quầy số 99" in response.text


@pytest.fixture(scope="module")
def thursday_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the shipped settings: no-appointment on Thursdays until 15:00."""
    server = LiveServer(tmp_path_factory.mktemp("thursday"), open_every_day=False).start()
    yield server
    server.stop()


def test_the_poster_prints_on_a4(open_page: OpenPage, thursday_live: LiveServer) -> None:
    page = open_page(f"{thursday_live.url}/khong-hen", {"width": 900, "height": 1270})
    expect(page.locator(".poster-title")).to_have_text("Ngày Thứ Năm không hẹn")
    expect(page.locator(".poster-when")).to_contain_text("Thứ Năm hằng tuần, nhận hồ sơ đến 15:00")
    expect(page.locator(".procedure")).to_have_count(7)
    qr = page.locator("#portal-qr svg")
    expect(qr).to_be_visible()
    assert qr.get_attribute("data-url") == "https://dichvucong.gov.vn"
    expect(page.locator("#print")).to_be_visible()
    screenshot(page, "poster-khong-hen-screen")
    assert serious_accessibility_violations(page) == []

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 2100})  # A4 inside its margins, 96 dpi
    expect(page.locator("#print")).to_be_hidden()
    screenshot(page, "poster-khong-hen-print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (SCREENSHOTS / "poster-khong-hen.pdf").write_bytes(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    # The sheet as printed: A4's width at 96 dpi, the page's margins around it.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.evaluate("document.body.style.padding = '8mm 10mm'")
    page.screenshot(path=str(SCREENSHOTS / "poster-khong-hen.png"), full_page=True)


def test_a_poster_of_many_procedures_still_prints_on_one_page(
    open_page: OpenPage, thursday_live: LiveServer
) -> None:
    """An admin who marks every procedure "không hẹn" still gets one A4 sheet (smaller type)."""
    connection = sqlite3.connect(thursday_live.folder / "motcua.db")
    with connection:
        marked = connection.execute("SELECT id FROM procedures WHERE no_appointment = 1").fetchall()
        connection.execute("UPDATE procedures SET no_appointment = 1 WHERE active = 1")
    try:
        page = open_page(f"{thursday_live.url}/khong-hen", {"width": 900, "height": 1270})
        count = page.locator(".procedure").count()
        assert count > 7
        expect(page.locator("#procedures-title")).to_have_text(f"{count} thủ tục áp dụng")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (SCREENSHOTS / "poster-khong-hen-many.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert f"{count}. " in text  # the last card is on the page
    finally:
        with connection:
            connection.execute("UPDATE procedures SET no_appointment = 0")
            connection.executemany("UPDATE procedures SET no_appointment = 1 WHERE id = ?", marked)
        connection.close()
