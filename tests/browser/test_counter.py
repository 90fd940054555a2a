"""The officer's console /counter in Chromium against a real `motcua serve`.

One server for the module: the tests run in file order and share its day.
"""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    fits_without_scrolling,
    screenshot,
    serious_accessibility_violations,
)
from tests.live_server import OFFICER_PASSWORD, LiveServer

COPIES = "chung-thuc-ban-sao"  # served by counters 1 and 2
SIGNATURES = "chung-thuc-chu-ky"  # served by counters 1 and 2
COUNTER_1 = "Quầy 1 — Chứng thực"
COUNTER_2 = "Quầy 2 — Chứng thực, Hộ tịch"


def issue(live: LiveServer, procedure_id: str = COPIES, **fields: object) -> dict:
    body = {"procedure_id": procedure_id, "documents_complete": True, **fields}
    response = requests.post(f"{live.url}/api/tickets", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def ticket(live: LiveServer, key: str) -> dict:
    """The ticket as its citizen reads it (by the key the kiosk's answer carries)."""
    return requests.get(f"{live.url}/api/tickets/{key}", timeout=5).json()


def log_in(page: Page, username: str = "canbo", password: str = OFFICER_PASSWORD) -> None:
    page.set_default_timeout(5000)  # every click and fill fails fast instead of after 30 s
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")


def open_counter(page: Page, counter_id: int, name: str) -> None:
    page.click(f"#counter-choices [data-counter-id='{counter_id}']")
    expect(page.locator("#heading")).to_have_text(name)


def forgive_api_refusals(page: Page, *statuses: int) -> None:
    """Chromium logs every 4xx answer as a console error; these tests cause some on purpose."""
    page.errors[:] = [  # type: ignore[attr-defined]
        error
        for error in page.errors  # type: ignore[attr-defined]
        if not any(f"responded with a status of {status}" in error for status in statuses)
    ]


def test_a_wrong_login_is_refused_with_its_message(live, open_page):
    page = open_page(f"{live.url}/counter")
    expect(page.locator("#login-form")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    log_in(page, password="khong-dung-mat-khau")
    expect(page.locator("#message")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    expect(page.locator("#password")).to_be_focused()
    screenshot(page, "counter-login")
    forgive_api_refusals(page, 401)


def test_an_officer_serves_the_line_from_call_to_dossier_return(live, open_page):
    first, second, third = issue(live), issue(live), issue(live)
    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, COUNTER_1)
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 3")

    # Space calls the first ticket; the line shows the two others in call order.
    page.keyboard.press("Space")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    expect(page.locator("#current-marks")).to_contain_text("Không hẹn")
    expect(page.locator("#waiting-rows .waiting-number")).to_have_text(
        [second["number"], third["number"]]
    )
    expect(page.locator("#message")).to_have_text(f"Đã gọi số {first['number']}.")

    page.click("#recall")
    expect(page.locator("#message")).to_have_text(f"Đã gọi lại số {first['number']}.")
    # Space with the recall button focused still means "call next": refused while serving.
    page.keyboard.press("Space")
    expect(page.locator("#message")).to_have_text(
        f"{COUNTER_1} đang phục vụ số {first['number']}: "
        "hãy kết thúc hoặc ghi nhận vắng mặt trước khi gọi số mới."
    )

    # The transfer offers the counters not closed: the other officer opens counter 2.
    live.login("canbo2").post(f"{live.url}/api/counters/2/resume", timeout=5).raise_for_status()
    page.click("#transfer")
    page.click("#transfer-dialog [data-counter-id='2']")
    expect(page.locator("#message")).to_have_text(
        f"Đã chuyển số {first['number']} sang {COUNTER_2}."
    )
    expect(page.locator("#current-idle")).to_be_visible()
    moved = ticket(live, first["key"])
    assert (moved["status"], moved["counter_id"]) == ("waiting", 2)

    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(second["number"])
    # Tickets taken meanwhile appear in the line by themselves (live events).
    elderly = issue(live, SIGNATURES, priority="elderly", documents_complete=False)
    expect(page.locator("#waiting-rows tr").filter(has_text=elderly["number"])).to_contain_text(
        "Ưu tiên"
    )
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 2")
    expect(page.locator("#current-timer")).not_to_have_text("00:00", timeout=4000)
    assert re.fullmatch(r"\d\d:\d\d", page.text_content("#current-timer") or "")
    assert fits_without_scrolling(page)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-serving")

    # Appointment: the due date defaults to the procedure's, the dossier code is shown.
    procedures = requests.get(f"{live.url}/api/procedures", timeout=5).json()
    default_due = next(p for p in procedures if p["id"] == COPIES)["default_due_date"]
    year, month, day = default_due.split("-")
    page.click("[data-outcome='appointment']")
    expect(page.locator("#outcome-dialog")).to_be_visible()
    expect(page.locator("#due-date")).to_have_value(f"{day}/{month}/{year}")
    expect(page.locator("#due-date-text")).to_contain_text(f"{day}/{month}/{year}")
    assert serious_accessibility_violations(page) == []
    page.click("#outcome-submit")
    expect(page.locator("#slip")).to_be_visible()
    code = page.text_content("#slip-code") or ""
    finished = ticket(live, second["key"])
    assert (finished["outcome"], finished["dossier_code"]) == ("appointment", code)
    expect(page.locator("#slip-due")).to_contain_text(f"{day}/{month}/{year}")
    expect(page.locator("#tally .tally-appointment dd")).to_have_text("1")
    expect(page.locator("#tally .tally-finished dd")).to_have_text("1")
    # Its A4 form: "In giấy tờ (A4)" opens the receipt in a new tab, printing at once.
    form = page.locator("#slip-forms a.form-print")
    expect(form).to_have_text("In giấy tờ (A4)")
    expect(form).to_have_attribute("target", "_blank")
    href = form.get_attribute("href") or ""
    assert href == f"/forms/receipt/{finished['id']}?print=1"
    receipt = page.request.get(f"{live.url}{href.removesuffix('?print=1')}")
    assert receipt.ok and code in receipt.text()
    docx = page.request.get(
        f"{live.url}{page.locator('#slip-forms a.form-docx').get_attribute('href')}"
    )
    assert docx.ok and docx.headers["content-type"].endswith("wordprocessingml.document")
    screenshot(page, "counter-appointment")

    # A scanner types the code and Enter wherever the focus is: the dossier is returned.
    page.locator("#slip-code").click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("#return-result")).to_have_text(
        f"Hồ sơ {code}: Trước hạn (hẹn {day}/{month}/{year})."
    )
    page.fill("#return-code", code)
    page.press("#return-code", "Enter")
    expect(page.locator("#message")).to_contain_text(f"Hồ sơ {code} đã trả kết quả lúc")

    # The priority ticket comes next; F8 resolves it, F4 records the last one absent.
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(elderly["number"])
    expect(page.locator("#current-marks")).to_contain_text("Ưu tiên: Người cao tuổi")
    expect(page.locator("#current-marks")).to_contain_text("Chưa đủ giấy tờ")
    page.keyboard.press("F8")
    expect(page.locator("#tally .tally-resolved dd")).to_have_text("1")
    page.keyboard.press("F2")
    expect(page.locator("#current-number")).to_have_text(third["number"])
    page.keyboard.press("F4")
    expect(page.locator("#tally .tally-no_show dd")).to_have_text("1")
    expect(page.locator("#tally .tally-called dd")).to_have_text("3")
    page.keyboard.press("F2")
    expect(page.locator("#message")).to_have_text("Không còn ai chờ.")
    expect(page.locator("#waiting-empty")).to_be_visible()

    # The login and the counter are remembered; logging out returns to the form.
    page.reload()
    expect(page.locator("#heading")).to_have_text(COUNTER_1)
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    forgive_api_refusals(page, 401, 409)


def test_a_lost_connection_is_shown_and_recovers_by_itself(live, open_page):
    line = live.login("canbo2").get(f"{live.url}/api/counters/2/state", timeout=5).json()
    transferred = line["waiting"][0]  # the ticket counter 1 sent here
    page = open_page(f"{live.url}/counter")
    log_in(page, "canbo2")
    open_counter(page, 2, COUNTER_2)
    expect(page.locator("#waiting-count")).to_have_text("Đang chờ: 1")
    expect(page.locator("#waiting-rows")).to_contain_text("Chuyển đến")
    bar = page.locator(".connection-lost")
    expect(bar).to_be_hidden()

    live.stop()  # returns once the process is gone and its sockets closed
    expect(bar).to_be_visible(timeout=10000)
    expect(bar).to_have_text("Mất kết nối với máy chủ. Đang tự kết nối lại…")
    live.start()
    expect(bar).to_be_hidden(timeout=10000)

    page.keyboard.press("Space")
    expect(page.locator("#current-number")).to_have_text(transferred["number"])
    expect(page.locator("#current-marks")).to_contain_text("Không hẹn")
    forgive_api_refusals(page, 401)
