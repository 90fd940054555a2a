"""The console through a real working day: a long line, times and dates the Vietnamese way
on any browser, the counter's states and the corrections an officer needs.

One server for the module: the tests run in file order and share its day.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    TV,
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
from tests.live_server import LiveServer


def next_eighth_of_december() -> date:
    """The next 8 December after today: typed 08/12 it must never be read as 12 August."""
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the live server's day
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
    page.clock.install()  # to show the line a quarter of an hour later, for the screenshot
    pushed = follow_pushed_states(page)
    page.reload()
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 37")
    wait_for_a_pushed_state(page, pushed)
    rows = page.locator("#waiting-rows tr")
    expect(rows).to_have_count(37)  # the whole line, not its first screenful
    expect(page.locator("#waiting-more")).to_be_hidden()
    expect(rows.first.locator(".waiting-minutes")).to_have_text("0 phút")
    first = rows.filter(has_text=tickets[0]["number"])
    expect(first).to_contain_text("Chưa đủ giấy tờ")  # its citizen said "not complete"
    elderly = rows.filter(has_text=tickets[5]["number"])
    expect(elderly).to_contain_text("Ưu tiên: Người cao tuổi")
    expect(elderly).to_contain_text("Đủ giấy tờ")

    # The page itself never scrolls; the line does, down to its last row shown.
    assert fits_without_scrolling(page)
    page.locator("#panel-waiting").evaluate("panel => { panel.scrollTop = panel.scrollHeight; }")
    expect(rows.last).to_be_in_viewport()
    assert page.evaluate(
        "() => { const p = document.getElementById('panel-waiting');"
        " return p.scrollHeight > p.clientHeight && p.scrollTop > 0; }"
    )
    page.locator("#panel-waiting").evaluate("panel => { panel.scrollTop = 0; }")
    assert serious_accessibility_violations(page) == []
    page.clock.set_system_time(datetime.now() + timedelta(minutes=14, seconds=30))
    expect(rows.first.locator(".waiting-minutes")).to_have_text("14 phút")
    screenshot(page, "counter-line")
    page.clock.set_system_time(datetime.now())
    expect(rows.first.locator(".waiting-minutes")).to_have_text("0 phút")

    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(tickets[5]["number"])  # priority first
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 36")
    page.keyboard.press("F8")
    expect(page.locator("#current-idle")).to_be_visible()


def test_times_and_due_dates_read_the_vietnamese_way_on_an_english_browser_elsewhere(
    live, open_page
):
    page = open_page(f"{live.url}/counter", locale="en-US", timezone_id="America/New_York")
    # The PC's clock is 20 minutes fast: the minutes waited follow the server's clock.
    page.clock.install(time=datetime.now() + timedelta(minutes=20))
    pushed = follow_pushed_states(page)
    page.reload()
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    wait_for_a_pushed_state(page, pushed)  # its `now` sets the clock; no other comes after
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


def follow_pushed_states(page: Page) -> list[str]:
    """The counter_state pushes the page will receive (its Socket.IO frames), from now on."""
    frames: list[str] = []
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived",
            lambda frame: frames.append(frame) if "counter_state" in str(frame) else None,
        ),
    )
    return frames


def wait_for_a_pushed_state(page: Page, frames: list[str], timeout: float = 5.0) -> None:
    """Until the live channel's first counter_state has arrived (and been applied)."""
    deadline = time.monotonic() + timeout
    while not frames:
        assert time.monotonic() < deadline, "no counter_state pushed"
        page.wait_for_timeout(50)  # lets Playwright deliver the page's events
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")


def procedure_line(live: LiveServer, procedure_id: str = COPIES) -> dict:
    procedures = requests.get(f"{live.url}/api/procedures", timeout=5).json()
    return next(p for p in procedures if p["id"] == procedure_id)


def counter_of(live: LiveServer, counter_id: int) -> dict:
    counters = requests.get(f"{live.url}/api/counters", timeout=5).json()
    return next(c for c in counters if c["id"] == counter_id)


def test_an_officer_pauses_resumes_and_closes_the_counter_by_logging_out(live, open_page):
    tv = open_page(f"{live.url}/display", TV)
    tv_card = tv.locator(".counter[data-counter-id='1']")
    issue(live)
    live.login("canbo").post(f"{live.url}/api/counters/1/close", timeout=5).raise_for_status()
    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#state-label")).to_have_text("Quầy đóng")
    expect(tv_card).to_contain_text("Đóng")
    assert procedure_line(live)["line_state"] == "closed"
    page.click("#resume")  # "Mở quầy"
    expect(page.locator("#state-label")).to_have_text("Đang mở")
    expect(tv_card).to_contain_text("Sẵn sàng", timeout=1000)
    assert procedure_line(live)["line_state"] == "open"

    # A pause with one of the offered reasons: the console, the TV and the kiosk all know.
    page.click("#pause")
    expect(page.locator("#pause-dialog")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.click("#pause-reasons [data-reason='Nghỉ trưa']")
    expect(page.locator("#state-label")).to_have_text("Tạm nghỉ — Nghỉ trưa")
    expect(page.locator("#paused-main")).to_have_text("Quầy đang tạm nghỉ — Nghỉ trưa")
    since = counter_of(live, 1)["state_since"]
    expect(page.locator("#state-since")).to_have_text(f"từ {since[11:16]}")
    expect(tv_card).to_contain_text("Tạm nghỉ", timeout=1000)
    line = procedure_line(live)
    assert (line["line_state"], line["estimated_wait_minutes"]) == ("paused", None)
    assert fits_without_scrolling(page)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-paused")

    page.click("#resume")
    expect(page.locator("#state-label")).to_have_text("Đang mở")
    expect(page.locator("#paused-notice")).to_be_hidden()
    expect(tv_card).not_to_contain_text("Tạm nghỉ", timeout=1000)
    assert procedure_line(live)["line_state"] == "open"

    # A typed reason; then "Gọi số tiếp theo" opens the counter again and calls.
    page.click("#pause")
    page.fill("#pause-reason", "Tập huấn phần mềm")
    page.press("#pause-reason", "Enter")
    expect(page.locator("#state-label")).to_have_text("Tạm nghỉ — Tập huấn phần mềm")
    serving = call_next(page)
    expect(page.locator("#state-label")).to_have_text("Đang mở")

    # Pausing while serving is refused with the server's own words.
    page.click("#pause")
    page.click("#pause-reasons [data-reason='Họp']")
    expect(page.locator("#pause-error")).not_to_be_empty()
    refusal = page.text_content("#pause-error")
    expect(page.locator("#message")).to_have_text(refusal or "")
    page.click("#pause-cancel")

    # Logging out while serving asks first; staying keeps everything as it was.
    page.click("#logout")
    expect(page.locator("#logout-dialog")).to_be_visible()
    expect(page.locator("#logout-text")).to_contain_text(f"Số {serving}")
    page.click("#logout-stay")
    expect(page.locator("#current-number")).to_have_text(serving)
    page.keyboard.press("F8")
    expect(page.locator("#current-idle")).to_be_visible()
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    assert counter_of(live, 1)["state"] == "closed"
    expect(tv_card).to_contain_text("Đóng", timeout=1000)
    forgive_api_refusals(page, 401, 409)


def test_corrections_no_show_back_in_line_a_chosen_ticket_supplement_refusal_and_notes(
    live, open_page
):
    # Counter 2 is open and paused by the other officer; the others are closed.
    other = live.login("canbo2")
    called = other.post(f"{live.url}/api/counters/2/next", timeout=5).json()
    other.post(f"{live.url}/api/tickets/{called['id']}/finish", json={"outcome": "advice"})
    other.post(f"{live.url}/api/counters/2/pause", json={"reason": "Họp"}, timeout=5)

    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#state-label")).to_have_text("Quầy đóng")

    # "Gọi số này": the third of the line, out of turn; the counter opens.
    chosen = page.locator("#waiting-rows tr").nth(2)
    number = chosen.locator(".waiting-number").text_content()
    chosen.locator(".call-this").click()
    expect(page.locator("#current-number")).to_have_text(number or "")
    expect(page.locator("#state-label")).to_have_text("Đang mở")
    expect(page.locator("#waiting-rows")).not_to_contain_text(number or "")

    # Absent, then back: the no-show goes to the front of the line and is called again.
    page.keyboard.press("F4")
    expect(page.locator("#no-shows-count")).to_have_text("(1)")
    page.click("#tab-no-shows")
    absent = page.locator("#no-show-list .done-item").filter(has_text=number or "")
    expect(absent).to_contain_text("vắng lúc")
    assert serious_accessibility_violations(page) == []
    absent.get_by_role("button", name=f"Gọi lại vào hàng: {number}").click()
    expect(page.locator("#message")).to_have_text(f"Số {number} đã về đầu hàng chờ của quầy.")
    expect(page.locator("#panel-waiting")).to_be_visible()
    expect(page.locator("#waiting-rows tr").first.locator(".waiting-number")).to_have_text(
        number or ""
    )
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(number or "")
    expect(page.locator("#no-shows-count")).to_have_text("")

    # A note, then a supplement with documents ticked from the checklist and one typed.
    page.fill("#note", "Mang thiếu bản gốc")
    page.click("#note-save")
    expect(page.locator("#message")).to_have_text(f"Đã lưu ghi chú của số {number}.")
    documents = procedure_line(live, procedure_of(page))["documents"]
    page.click("[data-outcome='supplement']")
    expect(page.locator("#documents-section")).to_be_visible()
    page.click("#outcome-submit")
    expect(page.locator("#outcome-error")).to_have_text(
        "Vui lòng đánh dấu hoặc ghi ít nhất một giấy tờ còn thiếu."
    )
    page.locator("#document-choices input").first.check()
    page.fill("#other-documents", "Giấy ủy quyền")
    assert serious_accessibility_violations(page) == []
    with page.expect_response(lambda response: response.url.endswith("/finish")) as answer:
        page.click("#outcome-submit")
    assert answer.value.json()["missing_documents"] == [documents[0], "Giấy ủy quyền"]
    page.click("#tab-finished")
    done = page.locator("#finished-list .done-item").filter(has_text=number or "")
    expect(done).to_contain_text("Bổ sung hồ sơ")
    expect(done).to_contain_text(f"Thiếu: {documents[0]}; Giấy ủy quyền")
    # The row offers the A4 request to supplement (and its DOCX), as the panel did.
    expect(page.locator("#slip-forms a.form-print")).to_have_text("In giấy tờ (A4)")
    expect(done.locator("a.form-print")).to_have_attribute(
        "href", re.compile(r"^/forms/supplement/[^/]+\?print=1$")
    )
    expect(done.locator("a.form-docx")).to_have_text("Tải DOCX")
    screenshot(page, "counter-finished-forms")

    # "Sửa kết quả": it was resolved after all.
    done.get_by_role("button", name=f"Sửa kết quả: {number}").click()
    expect(page.locator("#outcome-recorded")).to_have_text("Kết quả đã ghi: Bổ sung hồ sơ.")
    page.check("#outcome-choices input[value='resolved']")
    page.click("#outcome-submit")
    expect(page.locator("#message")).to_contain_text(
        f"Đã sửa kết quả của số {number}: Giải quyết ngay."
    )
    expect(done).to_contain_text("Giải quyết ngay")

    # A mis-pressed F8 is put right from the message line at once.
    mistaken = call_next(page)
    page.keyboard.press("F8")
    expect(page.locator("#message")).to_contain_text(f"Số {mistaken}: Giải quyết ngay.")
    page.locator("#message").get_by_role("button", name="Sửa kết quả").click()
    page.check("#outcome-choices input[value='appointment']")
    expect(page.locator("#due-section")).to_be_visible()
    page.click("#outcome-submit")
    expect(page.locator("#slip")).to_be_visible()
    expect(page.locator("#slip-number")).to_have_text(mistaken or "")

    # A refusal asks its reason; the transfer offers only counters not closed.
    call_next(page)
    page.click("[data-outcome='refused']")
    page.click("#outcome-submit")
    expect(page.locator("#outcome-error")).to_have_text("Vui lòng ghi lý do từ chối.")
    page.fill("#refusal-reason", "Không thuộc thẩm quyền của xã")
    with page.expect_response(lambda response: response.url.endswith("/finish")) as answer:
        page.click("#outcome-submit")
    assert answer.value.json()["outcome_reason"] == "Không thuộc thẩm quyền của xã"
    expect(page.locator("#slip-title")).to_have_text("Đã từ chối tiếp nhận hồ sơ")
    expect(page.locator("#slip-forms a.form-print")).to_have_attribute(
        "href", re.compile(r"^/forms/refusal/[^/]+\?print=1$")
    )

    moving = call_next(page)
    page.fill("#note", "Cần gặp lãnh đạo")  # not saved by hand: the transfer saves it
    page.click("#transfer")
    choices = page.locator("#transfer-choices [data-counter-id]")
    expect(choices).to_have_count(1)
    expect(choices.first).to_contain_text("Đang tạm nghỉ — Họp")
    choices.first.click()
    expect(page.locator("#message")).to_contain_text(f"Đã chuyển số {moving}")
    there = other.get(f"{live.url}/api/counters/2/state", timeout=5).json()
    moved = next(t for t in there["waiting"] if t["number"] == moving)
    assert moved["note"] == "Cần gặp lãnh đạo"
    forgive_api_refusals(page, 401, 409)

    # Another officer at this counter is refused, in words (403).
    intruder = open_page(f"{live.url}/counter")
    log_in(intruder, "canbo2")
    open_counter(intruder, 1, COUNTER_1)
    intruder.click("#close-counter")
    expect(intruder.locator("#message")).to_contain_text("đang do cán bộ khác giữ")
    expect(intruder.locator("#message")).to_have_class(re.compile("message-error"))
    forgive_api_refusals(intruder, 401, 403)


def call_next(page: Page) -> str:
    """Press F2 and wait for the call: the number now served."""
    page.keyboard.press("F2")
    expect(page.locator("#message")).to_have_text(re.compile(r"^Đã gọi số \w+\.$"))
    number = (page.text_content("#message") or "").removeprefix("Đã gọi số ").rstrip(".")
    expect(page.locator("#current-number")).to_have_text(number)
    return number


def procedure_of(page: Page) -> str:
    """The procedure id of the ticket the console serves now."""
    return page.evaluate(
        "async () => (await (await fetch('/api/counters/1/state')).json()).current.procedure_id"
    )
