"""A ticket's phone page (/t/<key>) in Chromium against a real `motcua serve`: it follows the
ticket live from waiting to called to finished, takes exactly one rating, says when the
connection is lost, and answers an unknown id with a Vietnamese 404.

Officers act over HTTP (LiveServer.login); the page hears it over Socket.IO.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import PHONE, screenshot, serious_accessibility_violations
from tests.live_server import LiveServer

WAIT = 5000  # ms: the longest any single expectation waits
COUNTER = 4  # Quầy 4 — Hộ kinh doanh serves this procedure, and no other test uses it
COUNTER_NAME = "Quầy 4 — Hộ kinh doanh"
PROCEDURE = "cap-lai-gcn-ho-kinh-doanh"  # a no-appointment procedure
NETWORK_ERROR = "Không kết nối được máy chủ. Vui lòng thử lại."

OpenPage = Callable[..., Page]


def issue(live: LiveServer, procedure_id: str = PROCEDURE) -> dict:
    response = requests.post(
        f"{live.url}/api/tickets",
        json={"procedure_id": procedure_id, "documents_complete": True, "priority": None},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


def ticket(live: LiveServer, key: str) -> dict:
    """The ticket as its citizen reads it, by the key."""
    response = requests.get(f"{live.url}/api/tickets/{key}", timeout=5)
    response.raise_for_status()
    return response.json()


def call(live: LiveServer, officer: requests.Session, ticket_id: str) -> dict:
    """Call next at COUNTER until this ticket comes, finishing the ones before it."""
    for _ in range(30):
        response = officer.post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5)
        assert response.status_code == 200, response.text
        called = response.json()
        if called["id"] == ticket_id:
            return called
        finish(live, officer, called["id"], "advice")
    raise AssertionError(f"{ticket_id} was never called")


def finish(live: LiveServer, officer: requests.Session, ticket_id: str, outcome: str) -> dict:
    response = officer.post(
        f"{live.url}/api/tickets/{ticket_id}/finish", json={"outcome": outcome}, timeout=5
    )
    response.raise_for_status()
    return response.json()


def waiting_ahead_text(count: int) -> str:
    return f"Số người chờ trước: {count}" if count else "Quý vị là người tiếp theo"


def forgive_the_outage(page: Page) -> None:
    """A request in flight when the test kills the server is reset rather than refused:
    Chromium logs it as an error, which is the outage the test made, not a bug."""
    page.errors[:] = [e for e in page.errors if "ERR_CONNECTION_RESET" not in e]  # type: ignore[attr-defined]


def open_ticket(open_page: OpenPage, live: LiveServer, key: str) -> Page:
    page = open_page(f"{live.url}/t/{key}", PHONE)
    page.set_default_timeout(WAIT)
    expect(page.locator("#number")).to_be_visible(timeout=WAIT)
    return page


def test_an_unknown_ticket_is_a_vietnamese_404(live: LiveServer) -> None:
    response = requests.get(f"{live.url}/t/khong-co-phieu-nay", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Không tìm thấy phiếu" in response.text
    assert '<html lang="vi">' in response.text


def test_the_page_follows_the_ticket_to_one_rating(open_page: OpenPage, live: LiveServer) -> None:
    # The counter open with nobody waiting yet: the page has minutes to promise (a line no
    # open counter serves promises none, see tests/browser/test_kiosk_assist.py).
    opened = live.login().post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5)
    assert opened.status_code in (200, 204), opened.text
    first, mine = issue(live), issue(live)
    page = open_ticket(open_page, live, mine["key"])
    expect(page.locator("#number")).to_have_text(mine["number"])
    expect(page.locator(".procedure")).to_have_text(mine["procedure_name"])
    expect(page.locator(".status-words")).to_have_text("Đang chờ đến lượt")
    assert mine["no_appointment"]
    expect(page.locator(".badge")).to_have_text("Không hẹn")
    ahead = ticket(live, mine["key"])["waiting_ahead"]
    assert ahead >= 1
    expect(page.locator(".ahead")).to_have_text(waiting_ahead_text(ahead))
    expect(page.locator(".status")).to_contain_text("Thời gian chờ dự kiến: khoảng")
    screenshot(page, "ticket-page-waiting")
    assert serious_accessibility_violations(page) == []

    officer = live.login()
    call(live, officer, first["id"])  # someone ahead is called: the line moves
    ahead = ticket(live, mine["key"])["waiting_ahead"]
    expect(page.locator(".ahead")).to_have_text(waiting_ahead_text(ahead), timeout=WAIT)
    finish(live, officer, first["id"], "resolved")

    call(live, officer, mine["id"])
    expect(page.locator(".call")).to_have_text(f"Mời đến Quầy {COUNTER}", timeout=WAIT)
    expect(page.locator(".counter-name")).to_have_text(COUNTER_NAME)
    expect(page).to_have_title(f"{mine['number']}: mời đến Quầy {COUNTER}")
    screenshot(page, "ticket-page-called")

    finish(live, officer, mine["id"], "resolved")
    expect(page.locator(".outcome")).to_have_text(
        "Hồ sơ đã được giải quyết và trả kết quả ngay.", timeout=WAIT
    )
    buttons = page.locator("[data-rating]")
    expect(buttons).to_have_text(["Rất hài lòng", "Hài lòng", "Không hài lòng"])
    screenshot(page, "ticket-page-rating")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Rất hài lòng").click()
    expect(page.locator(".thanks")).to_have_text("Cảm ơn quý vị đã đánh giá!")
    expect(page.locator(".rated")).to_contain_text("Đánh giá của quý vị: Rất hài lòng")
    expect(buttons).to_have_count(0)
    screenshot(page, "ticket-page-rated")
    assert ticket(live, mine["key"])["rating"] == "very_satisfied"

    again = requests.post(
        f"{live.url}/api/tickets/{mine['key']}/rating", json={"rating": "unsatisfied"}, timeout=5
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    page.reload()
    expect(page.locator(".thanks")).to_be_visible(timeout=WAIT)
    expect(buttons).to_have_count(0)
    assert ticket(live, mine["key"])["rating"] == "very_satisfied"


def test_a_rating_that_fails_says_why_and_can_be_sent_again(
    open_page: OpenPage, live: LiveServer
) -> None:
    mine = issue(live)
    officer = live.login()
    call(live, officer, mine["id"])
    finish(live, officer, mine["id"], "advice")
    page = open_ticket(open_page, live, mine["key"])
    expect(page.locator(".outcome")).to_have_text("Quý vị đã được hướng dẫn, tư vấn.")

    def refuse(route: Route) -> None:
        route.abort("connectionrefused")

    page.route("**/rating", refuse)
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(page.locator(".rating .alert")).to_have_text(NETWORK_ERROR)
    expect(page.get_by_role("button", name="Hài lòng", exact=True)).to_be_enabled()
    page.unroute("**/rating", refuse)
    page.get_by_role("button", name="Hài lòng", exact=True).click()
    expect(page.locator(".thanks")).to_be_visible(timeout=WAIT)
    assert ticket(live, mine["key"])["rating"] == "satisfied"


def test_a_no_show_is_said_in_words(open_page: OpenPage, live: LiveServer) -> None:
    mine = issue(live)
    page = open_ticket(open_page, live, mine["key"])
    officer = live.login()
    call(live, officer, mine["id"])
    expect(page.locator(".call")).to_be_visible(timeout=WAIT)
    officer.post(f"{live.url}/api/tickets/{mine['id']}/no-show", timeout=5).raise_for_status()
    expect(page.locator(".status-words")).to_have_text("Đã qua lượt", timeout=WAIT)
    expect(page.locator("[data-rating]")).to_have_count(0)


def test_a_lost_connection_shows_a_bar_and_recovers(open_page: OpenPage, live: LiveServer) -> None:
    mine = issue(live)
    page = open_ticket(open_page, live, mine["key"])
    bar = page.locator("#connection-lost")
    expect(bar).to_be_hidden()
    try:
        live.stop()
        expect(bar).to_be_visible(timeout=WAIT)
        expect(bar).to_have_text("Mất kết nối với máy chủ — đang kết nối lại…")
        screenshot(page, "ticket-page-connection-lost")
    finally:
        live.start()
    forgive_the_outage(page)
    expect(bar).to_be_hidden(timeout=WAIT)
    call(live, live.login(), mine["id"])  # the page hears the server again
    expect(page.locator(".call")).to_have_text(f"Mời đến Quầy {COUNTER}", timeout=WAIT)
