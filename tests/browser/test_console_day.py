"""The console through a real working day: a long line, times and dates the Vietnamese way
on any browser, the counter's states and the corrections an officer needs.

One server for the module: the tests run in file order and share its day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import (
    fits_without_scrolling,
    screenshot,
    serious_accessibility_violations,
)
from tests.browser.test_counter import (
    COPIES,
    COUNTER_1,
    SIGNATURES,
    forgive_api_refusals,
    issue,
    log_in,
    open_counter,
)

HOUSEHOLD = "khai-sinh"  # served by counter 2 only


def next_eighth_of_december() -> date:
    """The next 8 December after today: typed 08/12 it must never be read as 12 August."""
    today = date.today()
    eighth = date(today.year, 12, 8)
    return eighth if eighth > today else date(today.year + 1, 12, 8)


def test_a_long_line_scrolls_whole_and_shows_its_length(live, open_page):
    tickets = [
        issue(
            live,
            COPIES if n % 3 else SIGNATURES,
            documents_complete=n % 4 != 0,
            priority="elderly" if n % 9 == 5 else None,
        )
        for n in range(37)
    ]
    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 37")
    rows = page.locator("#waiting-rows tr")
    expect(rows.first.locator(".waiting-minutes")).to_have_text("0 phút")
    first = rows.filter(has_text=tickets[0]["number"])
    expect(first).to_contain_text("Chưa đủ giấy tờ")  # its citizen said "not complete"
    elderly = rows.filter(has_text=tickets[5]["number"])
    expect(elderly).to_contain_text("Ưu tiên: Người cao tuổi")
    expect(elderly).to_contain_text("Đủ giấy tờ")

    # The page itself never scrolls; the line does, down to its last row shown.
    assert fits_without_scrolling(page)
    last = rows.last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert page.evaluate(
        "() => { const p = document.getElementById('panel-waiting');"
        " return p.scrollHeight > p.clientHeight && p.scrollTop > 0; }"
    )
    page.locator("#panel-waiting").evaluate("panel => { panel.scrollTop = 0; }")
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(tickets[5]["number"])  # priority first
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 36")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-line")
    page.keyboard.press("F8")
    expect(page.locator("#current-idle")).to_be_visible()


def test_times_and_due_dates_read_the_vietnamese_way_on_an_english_browser_elsewhere(
    live, open_page
):
    page = open_page(f"{live.url}/counter", locale="en-US", timezone_id="America/New_York")
    # The PC's clock is 20 minutes fast: the minutes waited follow the server's clock.
    page.clock.install(time=datetime.now() + timedelta(minutes=20))
    page.reload()
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#waiting-count")).to_have_text(re.compile(r"^Đang chờ: \d+$"))
    expect(page.locator("#waiting-rows tr").first.locator(".waiting-minutes")).to_have_text(
        "0 phút"
    )
    page.clock.set_system_time(datetime.now() + timedelta(minutes=23, seconds=5))
    expect(page.locator("#waiting-rows tr").first.locator(".waiting-minutes")).to_have_text(
        "3 phút"
    )

    page.keyboard.press("F2")
    number = page.locator("#current-number")
    expect(number).not_to_be_empty()
    state = live.login("canbo").get(f"{live.url}/api/counters/1/state", timeout=5).json()
    called_at = state["current"]["called_at"]  # "2026-12-07T10:25:31+07:00"
    expect(page.locator("#current-called-at")).to_have_text(f"gọi lúc {called_at[11:16]}")

    # The due date: typed day first, whatever the browser's language; sent as YYYY-MM-DD.
    due = next_eighth_of_december()
    page.click("[data-outcome='appointment']")
    field = page.locator("#due-date")
    expect(field).to_have_attribute("placeholder", "dd/mm/yyyy")
    field.fill("31/02/2026")
    expect(page.locator("#due-date-text")).to_contain_text("Ngày không hợp lệ")
    page.click("#outcome-submit")
    expect(page.locator("#outcome-error")).to_contain_text("Ngày không hợp lệ")
    field.fill("")
    field.press_sequentially(f"0812{due.year}")  # the slashes come by themselves
    expect(field).to_have_value(f"08/12/{due.year}")
    expect(page.locator("#due-date-text")).to_contain_text(f"08/12/{due.year}")
    assert serious_accessibility_violations(page) == []
    with page.expect_request(lambda request: request.url.endswith("/finish")) as sent:
        page.click("#outcome-submit")
    assert sent.value.post_data_json == {"outcome": "appointment", "due_date": due.isoformat()}
    expect(page.locator("#slip")).to_be_visible()
    expect(page.locator("#slip-due")).to_contain_text(f"08/12/{due.year}")
    expect(page.locator("#slip-number")).to_have_text(state["current"]["number"])
    forgive_api_refusals(page, 401)
