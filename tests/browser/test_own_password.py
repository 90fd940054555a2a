"""An officer changes their own password on the console /counter, in Chromium against a real
`motcua serve` (a server of this module's own: the password it changes stays changed)."""

from __future__ import annotations

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.browser.test_counter import forgive_api_refusals, log_in
from tests.live_server import OFFICER_PASSWORD, LiveServer

NEW_PASSWORD = "cây bàng trước sân"


def fill_password_form(page: Page, current: str, new: str, repeat: str | None = None) -> None:
    page.fill("#current-password", current)
    page.fill("#new-password", new)
    page.fill("#repeat-password", new if repeat is None else repeat)
    page.click("#password-save")


def other_device(live: LiveServer) -> requests.Session:
    """The same officer logged in elsewhere (the phone, yesterday's PC)."""
    session = requests.Session()
    body = {"username": "canbo", "password": OFFICER_PASSWORD}
    assert session.post(f"{live.url}/api/session", json=body, timeout=5).status_code == 200
    return session


def test_an_officer_changes_their_password_and_logs_in_with_the_new_one(live, open_page):
    page = open_page(f"{live.url}/counter")
    log_in(page)
    expect(page.locator("#choose-view")).to_be_visible()
    elsewhere = other_device(live)

    page.click("#change-password")
    dialog = page.locator("#password-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#current-password")).to_be_focused()
    assert serious_accessibility_violations(page) == []

    # Refusals stay in the dialog, the cursor on the input to fix; nobody is logged out.
    fill_password_form(page, OFFICER_PASSWORD, NEW_PASSWORD, "cây bàng")
    expect(page.locator("#password-error")).to_have_text("Hai lần nhập mật khẩu mới không khớp.")
    fill_password_form(page, "sai-mat-khau", NEW_PASSWORD)
    expect(page.locator("#password-error")).to_have_text("Mật khẩu hiện tại không đúng.")
    expect(page.locator("#current-password")).to_be_focused()
    fill_password_form(page, OFFICER_PASSWORD, "12345678")
    expect(page.locator("#password-error")).to_contain_text("Mật khẩu này quá phổ biến")
    expect(page.locator("#new-password")).to_be_focused()
    expect(dialog).to_be_visible()
    screenshot(page, "counter-password-refused")
    assert elsewhere.get(f"{live.url}/api/session", timeout=5).status_code == 200

    fill_password_form(page, OFFICER_PASSWORD, NEW_PASSWORD)
    expect(dialog).to_be_hidden()
    expect(page.locator("#message")).to_have_text(
        "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn (máy khác, trình duyệt khác) "
        "đã kết thúc."
    )
    screenshot(page, "counter-password-changed")
    assert elsewhere.get(f"{live.url}/api/session", timeout=5).status_code == 401
    page.reload()  # this console stayed logged in
    expect(page.locator("#choose-view")).to_be_visible()

    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    log_in(page, password=OFFICER_PASSWORD)
    expect(page.locator("#message")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    log_in(page, password=NEW_PASSWORD)
    expect(page.locator("#choose-view")).to_be_visible()
    expect(page.locator("#officer-name")).to_have_text("canbo")
    forgive_api_refusals(page, 400, 401)
