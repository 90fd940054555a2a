"""The kiosk for a first-time elderly citizen, and the times every citizen's page shows, in
Chromium against a real `motcua serve`: "Chữ lớn", "Gọi cán bộ hỗ trợ" reaching the officers'
consoles and their answer coming back, and the center's time on a kiosk or phone whose own
time zone is another one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    CONSOLE,
    KIOSK_PORTRAIT,
    PHONE,
    screenshot,
    serious_accessibility_violations,
)
from tests.browser.test_counter import log_in, open_counter
from tests.browser.test_kiosk import check_step, open_kiosk, wait_for_screen
from tests.live_server import LiveServer

WAIT = 5000
OpenPage = Callable[..., Page]
ELSEWHERE = "America/New_York"  # twelve hours from the center: no minute of overlap
# Every text the clock shows, from the parser's first insertion on (an init script runs
# before the page's own).
RECORD_CLOCK = """
window.clockTexts = [];
new MutationObserver(() => {
  const clock = document.getElementById("clock");
  const date = document.getElementById("date");
  const shown = clock && `${clock.textContent}|${date ? date.textContent : ""}`;
  if (shown && shown !== "|" && window.clockTexts.at(-1) !== shown) window.clockTexts.push(shown);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def center_zone(live: LiveServer) -> ZoneInfo:
    now = requests.get(f"{live.url}/api/center", timeout=5).json()["now"]
    offset = datetime.fromisoformat(now).utcoffset()
    assert offset == timedelta(hours=7)  # the demo center: Asia/Ho_Chi_Minh
    return ZoneInfo("Asia/Ho_Chi_Minh")


def clock_text(moment: datetime) -> str:
    return f"{moment:%H:%M}|{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


def test_the_kiosk_shows_the_centers_time_from_its_first_frame(
    open_page: OpenPage, live: LiveServer
) -> None:
    """A kiosk whose browser is set to New York still shows Lai Khê's time, and never showed
    New York's, not even before its script ran."""
    zone = center_zone(live)
    page = open_page("about:blank", KIOSK_PORTRAIT, timezone_id=ELSEWHERE)
    page.add_init_script(RECORD_CLOCK)
    before = datetime.now(zone)
    page.goto(f"{live.url}/kiosk")
    wait_for_screen(page, "home")
    after = datetime.now(zone)
    allowed = {clock_text(before), clock_text(after)}
    shown = page.evaluate("window.clockTexts")
    assert shown and set(shown) <= allowed, (shown, allowed)
    assert page.evaluate("new Date().getTimezoneOffset()") != -420  # the browser is elsewhere


def test_the_phone_page_shows_the_centers_time(open_page: OpenPage, live: LiveServer) -> None:
    response = requests.post(
        f"{live.url}/api/tickets",
        json={"procedure_id": "khai-tu", "documents_complete": True, "priority": None},
        timeout=5,
    )
    ticket = response.json()
    issued = datetime.fromisoformat(ticket["issued_at"])
    page = open_page(f"{live.url}/t/{ticket['key']}", PHONE, timezone_id=ELSEWHERE)
    expect(page.locator(".issued")).to_have_text(
        f"Lấy số lúc {issued:%H:%M} ngày {issued:%d/%m/%Y}", timeout=WAIT
    )


def test_large_text_enlarges_every_text_until_the_next_citizen(
    open_page: OpenPage, live: LiveServer
) -> None:
    """Every text a third larger (a crowded step then shrinks as a whole to fit, as always),
    kept through the citizen's steps, and back to normal for the next citizen."""
    page = open_kiosk(open_page, live, KIOSK_PORTRAIT, home=2)
    size = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"

    def checklist_of_khai_tu() -> float:
        page.click("[data-field='ho-tich']")
        page.click("[data-procedure='khai-tu']")
        wait_for_screen(page, "documents")
        return page.evaluate(size, ".checklist li")

    fixed = ("body", "#clock", "#date", "#help-call", "#center-name")
    normal = {selector: page.evaluate(size, selector) for selector in fixed}
    normal[".checklist li"] = checklist_of_khai_tu()
    page.get_by_role("button", name="Về trang chủ").click()
    wait_for_screen(page, "home")
    toggle = page.get_by_role("button", name="Chữ lớn")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    check_step(page, "home", "kiosk-portrait-large-text")
    larger = {selector: page.evaluate(size, selector) for selector in fixed}
    larger[".checklist li"] = checklist_of_khai_tu()
    for selector, before in normal.items():
        assert larger[selector] > before * 1.25, (selector, before, larger[selector])
    page.get_by_role("button", name="‹ Quay lại").click()
    page.click("[data-procedure='khai-sinh']")  # the longest checklist still fits
    check_step(page, "documents", "kiosk-portrait-large-text-documents")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Tôi đã có đủ giấy tờ").click()
    page.get_by_role("button", name="Không thuộc đối tượng ưu tiên").click()
    wait_for_screen(page, "ticket")
    expect(toggle).to_have_attribute("aria-pressed", "true")  # the same citizen
    wait_for_screen(page, "home")  # the ticket screen's own return: the next citizen
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(size, "body") == normal["body"]


def test_a_citizen_calls_an_officer_from_any_kiosk_screen(
    open_page: OpenPage, live: LiveServer
) -> None:
    """ "Gọi cán bộ hỗ trợ" shows on every console at once; one officer answers, every
    banner goes, and the kiosk says that someone is coming."""
    token = re.search(r"token=(\S+)", live.run("kiosk", "add", "sanh-2"))[1]
    consoles = []
    for username, counter_id, name in (("canbo", 3, "Quầy 3 — Hộ tịch"),
                                       ("canbo2", 5, "Quầy 5 — Cư trú (Công an xã)")):  # fmt: skip
        console = open_page(f"{live.url}/counter", CONSOLE)
        log_in(console, username)
        open_counter(console, counter_id, name)
        consoles.append(console)
    kiosk = open_kiosk(open_page, live, KIOSK_PORTRAIT, kiosk="sanh-2", token=token)
    kiosk.click("[data-field='ho-tich']")
    kiosk.click("[data-procedure='khai-sinh']")
    wait_for_screen(kiosk, "documents")

    kiosk.get_by_role("button", name="Gọi cán bộ hỗ trợ").click()
    expect(kiosk.locator("#help-status")).to_have_text("Đã báo cán bộ. Xin quý vị chờ tại ki-ốt.")
    for console in consoles:
        banner = console.locator("#help-requests")
        expect(banner).to_be_visible()
        expect(banner.locator(".help-request")).to_have_count(1)
        expect(banner.locator(".help-request-text")).to_contain_text(
            "Ki-ốt sanh-2 gọi cán bộ hỗ trợ lúc"
        )
    assert serious_accessibility_violations(consoles[0]) == []
    screenshot(consoles[0], "counter-help-request")
    kiosk.get_by_role("button", name="Gọi cán bộ hỗ trợ").click()  # again: the same call
    expect(kiosk.locator("#help-status")).to_have_text("Đã báo cán bộ. Xin quý vị chờ tại ki-ốt.")
    expect(consoles[1].locator(".help-request")).to_have_count(1)

    consoles[1].get_by_role("button", name="Tôi đến hỗ trợ").click()
    for console in consoles:
        expect(console.locator("#help-requests")).to_be_hidden()
    expect(kiosk.locator("#help-status")).to_have_text("Cán bộ đang đến hỗ trợ")
    assert kiosk.locator("#screen").get_attribute("data-screen") == "documents"
    kiosk.evaluate("document.fonts.ready")
    screenshot(kiosk, "kiosk-help-coming")


def test_a_paused_or_closed_counter_promises_no_minutes(
    open_page: OpenPage, live: LiveServer
) -> None:
    """Counter 4 alone serves the household-business procedures: while it pauses or closes,
    the kiosk and the citizen's phone say so instead of an estimate, and the number is kept."""
    officer = live.login("canbo")
    assert officer.post(f"{live.url}/api/counters/4/next", timeout=5).status_code in (200, 204)
    response = requests.post(
        f"{live.url}/api/tickets",
        json={"procedure_id": "thanh-lap-ho-kinh-doanh", "documents_complete": True},
        timeout=5,
    )
    ticket = response.json()
    phone = open_page(f"{live.url}/t/{ticket['key']}", PHONE)
    phone.set_default_timeout(WAIT)
    waiting = phone.locator(".status-waiting")
    expect(waiting).to_contain_text("Thời gian chờ dự kiến")
    kiosk = open_kiosk(open_page, live, KIOSK_PORTRAIT)
    kiosk.click("[data-field='ho-kinh-doanh']")
    tile = kiosk.locator("[data-procedure='thanh-lap-ho-kinh-doanh']")
    expect(tile.locator(".estimate")).to_contain_text("Dự kiến chờ")

    paused = officer.post(f"{live.url}/api/counters/4/pause", json={"reason": "Họp"}, timeout=5)
    assert paused.status_code == 200, paused.text
    expect(tile.locator(".line-state")).to_have_text("Quầy đang tạm nghỉ")  # live, same screen
    expect(tile.locator(".estimate")).to_have_count(0)
    expect(waiting.locator(".line-state")).to_have_text(
        "Quầy đang tạm nghỉ — Quý vị vẫn giữ số thứ tự."
    )
    expect(waiting).not_to_contain_text("Thời gian chờ dự kiến")
    check_step(kiosk, "procedures", "kiosk-portrait-counter-paused")

    closed = officer.post(f"{live.url}/api/counters/4/close", timeout=5)
    assert closed.status_code in (200, 204), closed.text
    expect(tile.locator(".line-state")).to_have_text("Hiện chưa có quầy nào mở cho thủ tục này")
    expect(waiting.locator(".line-state")).to_have_text(
        "Hiện chưa có quầy nào mở cho thủ tục này — Quý vị vẫn giữ số thứ tự."
    )
    assert serious_accessibility_violations(phone) == []
    screenshot(phone, "ticket-page-no-counter-open")

    tile.click()  # a ticket taken now keeps its number, with no minutes promised
    kiosk.get_by_role("button", name="Tôi đã có đủ giấy tờ").click()
    kiosk.get_by_role("button", name="Không thuộc đối tượng ưu tiên").click()
    wait_for_screen(kiosk, "ticket")
    expect(kiosk.locator(".ticket-line.line-state")).to_have_text(
        "Hiện chưa có quầy nào mở cho thủ tục này — Quý vị vẫn giữ số thứ tự"
    )
    expect(kiosk.locator(".ticket-screen")).not_to_contain_text("Thời gian chờ dự kiến")


def test_the_kiosks_own_network_going_down_is_said_at_once(
    open_page: OpenPage, live: LiveServer
) -> None:
    """A cable pulled at the kiosk: the browser knows at once (its `offline` event), where the
    live connection would wait for a ping to time out."""
    kiosk = open_kiosk(open_page, live, KIOSK_PORTRAIT)
    notice = kiosk.locator("#server-down")
    kiosk.context.set_offline(True)
    expect(notice).to_be_visible(timeout=2500)
    kiosk.context.set_offline(False)
    expect(notice).to_be_hidden(timeout=WAIT)
    kiosk.click("[data-field='cu-tru']")
    wait_for_screen(kiosk, "procedures")
