"""Every page in Chromium under the server's Content-Security-Policy: none is refused a
script, a style, a sound or its live connection (open_page fails a test on any violation,
reported by Chromium or by the `securitypolicyviolation` event), and the detector itself
catches one."""

from __future__ import annotations

import re
from collections.abc import Callable

import requests
from playwright.sync_api import Page, expect

from server.web.security import CONTENT_SECURITY_POLICY
from tests.browser.conftest import KIOSK_PORTRAIT, PHONE, TV
from tests.live_server import ADMIN_PASSWORD, OFFICER_PASSWORD, LiveServer
from tests.test_voice import wav_bytes

OpenPage = Callable[..., Page]
WAIT = 5000  # ms
PAGE = {"width": 1280, "height": 900}
COPIES = "chung-thuc-ban-sao"  # served by counters 1 and 2


def issue(live: LiveServer) -> dict:
    body = {"procedure_id": COPIES, "documents_complete": True, "priority": None}
    response = requests.post(f"{live.url}/api/tickets", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def log_in(page: Page, username: str, password: str, button: str) -> None:
    page.fill("#username", username)
    page.fill("#password", password)
    page.click(button)


def live_connection(page: Page) -> None:
    """The page's Socket.IO reached the server over a WebSocket (connect-src allows it)."""
    for _ in range(50):
        if any("/socket.io/" in socket.url for socket in page.websockets):  # type: ignore[attr-defined]
            break
        page.wait_for_timeout(100)
    sockets = [s for s in page.websockets if "/socket.io/" in s.url]  # type: ignore[attr-defined]
    assert sockets, f"{page.url}: no WebSocket"
    assert sockets[0].url.startswith("ws://127.0.0.1:")


def test_the_live_server_sends_the_policy(live):
    for path in ("/kiosk", "/static/common/base.css", "/api/stats/today"):
        response = requests.get(f"{live.url}{path}", timeout=5)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_public_pages_load_without_a_violation(live, open_page):
    ticket = issue(live)
    pages = [  # path, what shows once its scripts ran, viewport, whether it listens live
        ("/", "h1", PAGE, False),
        ("/kiosk", ".banner .chip", KIOSK_PORTRAIT, True),
        (f"/t/{ticket['key']}", "#ticket h1, #ticket .number", PHONE, True),
        ("/t/khong-co-phieu-nay", ".not-found h1", PHONE, False),
        ("/display", "#counters li", TV, True),
        ("/display/counter/1", "#counter-name", PAGE, True),
        ("/display/counter/99", ".message-page h1", PAGE, False),
        ("/khong-hen", ".procedure", PAGE, False),
        ("/rate/1", "#screen-idle", PAGE, True),
        ("/rate/99", ".message-page h1", PAGE, False),
    ]
    for path, ready, viewport, listens in pages:
        page = open_page(f"{live.url}{path}", viewport)
        expect(page.locator(ready).first).to_be_visible(timeout=WAIT)
        if listens:
            live_connection(page)


def test_staff_pages_load_without_a_violation(live, open_page):
    issue(live)
    console = open_page(f"{live.url}/counter")
    log_in(console, "canbo", OFFICER_PASSWORD, "#login-button")
    console.click("#counter-choices [data-counter-id='1']")
    console.keyboard.press("Space")  # call the next ticket
    expect(console.locator("#current-number")).to_have_text(re.compile(r"^A\d{3}$"))
    live_connection(console)

    admin = open_page(f"{live.url}/admin")
    log_in(admin, "quantri", ADMIN_PASSWORD, "#login-form button[type=submit]")
    expect(admin.locator("#admin-view")).to_be_visible(timeout=WAIT)
    for link in admin.locator("#menu a").all():
        link.click()
        expect(admin.locator("#section-body > *").first).to_be_visible(timeout=WAIT)
    admin.locator("#menu a").first.click()

    reports = open_page(f"{live.url}/reports")
    log_in(reports, "quantri", ADMIN_PASSWORD, "#login-button")
    expect(reports.locator("svg.chart").first).to_be_visible(timeout=WAIT)


def test_a_take_plays_from_its_blob_before_upload(live, open_page, tmp_path):
    """/admin/voice plays a recorded take from a blob: URL (media-src allows blob:)."""
    page = open_page(f"{live.url}/admin/voice")
    log_in(page, "quantri", ADMIN_PASSWORD, "#login-form button[type=submit]")
    row = page.locator(".clip[data-key='digit_3']")
    expect(row).to_be_visible(timeout=WAIT)
    take = tmp_path / "ba.wav"
    take.write_bytes(wav_bytes(0.5))
    row.locator("input[type=file]").set_input_files(str(take))
    expect(row).to_have_attribute("data-state", "take")
    row.locator("button[data-action=listen]").click()
    page.wait_for_timeout(800)  # the take plays (a refused blob: would be a violation)


def test_a_violation_would_be_caught(live, open_page):
    page = open_page(f"{live.url}/khong-hen")
    expect(page.locator(".procedure").first).to_be_visible(timeout=WAIT)
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">đỏ</p>')")
    page.wait_for_timeout(200)
    caught = [e for e in page.errors if "Content Security Policy" in e or "CSP" in e]  # type: ignore[attr-defined]
    assert caught, page.errors  # type: ignore[attr-defined]
    assert page.evaluate("getComputedStyle(document.querySelector('p:last-of-type')).color") != (
        "rgb(255, 0, 0)"
    )
    page.errors.clear()  # type: ignore[attr-defined]
