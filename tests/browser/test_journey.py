"""One citizen's morning across every face, in Chromium against a real `motcua serve`:
the kiosk issues the ticket, the lobby TV lists it, an officer calls it on the console, the TV
shows it at that counter and queues its announcement, finishing "resolved" moves the
same-day figure, and the phone page takes the citizen's one rating.
"""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.browser.conftest import CONSOLE, KIOSK_PORTRAIT, PHONE, TV
from tests.live_server import OFFICER_PASSWORD

WAIT = 8000  # ms


def stats(live) -> dict:
    return requests.get(f"{live.url}/api/stats/today", timeout=5).json()


def test_from_kiosk_to_counter_to_lobby_to_rating(live, open_page):
    display = open_page(f"{live.url}/display", TV)
    display.set_default_timeout(WAIT)
    display.wait_for_function("() => document.body.dataset.connection === 'connected'")
    same_day_before = stats(live)["no_appointment"]

    kiosk = open_page(f"{live.url}/kiosk?home=600", KIOSK_PORTRAIT)
    kiosk.set_default_timeout(WAIT)
    kiosk.click("[data-field='chung-thuc']")
    kiosk.click("[data-procedure='chung-thuc-ban-sao']")
    kiosk.get_by_role("button", name="Tôi đã có đủ giấy tờ").click()
    kiosk.get_by_role("button", name="Không thuộc đối tượng ưu tiên").click()
    number = kiosk.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^A\d{3}$"))
    ticket_url = kiosk.locator("figure.qr").get_attribute("data-url")
    ticket_key = ticket_url.rsplit("/", 1)[1]  # the receipt's QR opens the page by the key
    number = number.inner_text()
    expect(kiosk.locator(".badge.no-appointment")).to_be_visible()

    chung_thuc = display.locator("#fields li").filter(has_text="Chứng thực")
    expect(chung_thuc.locator(".field-waiting")).not_to_have_text(re.compile(r"^0\b"))

    console = open_page(f"{live.url}/counter", CONSOLE)
    console.set_default_timeout(WAIT)
    console.fill("#username", "canbo")
    console.fill("#password", OFFICER_PASSWORD)
    console.click("#login-button")
    console.click("#counter-choices [data-counter-id='1']")
    console.keyboard.press("Space")
    expect(console.locator("#current-number")).to_have_text(number)

    card = display.locator(".counter[data-counter-id='1'] .counter-number")
    expect(card).to_have_text(number)
    display.wait_for_function(
        """(number) => [...announcer.history, ...(announcer.current ? [announcer.current] : []),
                        ...announcer.queue].some((item) => item.number === number)""",
        arg=number,
    )

    console.click("[data-outcome='resolved']")
    expect(console.locator("#current-idle")).to_be_visible()
    resolved = same_day_before["resolved"] + 1
    finished = same_day_before["finished"] + 1
    expect(display.locator("#no-appointment-progress")).to_have_text(
        re.compile(rf"^Trả kết quả ngay hôm nay: {resolved}/{finished} \(\d+%\)$")
    )

    phone = open_page(ticket_url, PHONE)
    phone.set_default_timeout(WAIT)
    phone.locator(".rate-satisfied").click()
    expect(phone.locator(".rating.rated")).to_be_visible()
    rated = requests.get(f"{live.url}/api/tickets/{ticket_key}", timeout=5).json()
    assert (rated["outcome"], rated["rating"]) == ("resolved", "satisfied")
    again = requests.post(
        f"{live.url}/api/tickets/{ticket_key}/rating", json={"rating": "unsatisfied"}, timeout=5
    )
    assert again.status_code == 409
    # The ticket's id (which staff see) rates nothing, not even from an officer's session.
    ticket_id = rated["id"]
    for caller in (requests, live.login()):
        forged = caller.post(
            f"{live.url}/api/tickets/{ticket_id}/rating", json={"rating": "unsatisfied"}, timeout=5
        )
        assert forged.status_code == 404
    assert requests.get(f"{live.url}/api/tickets/{ticket_id}", timeout=5).status_code == 404
    # Nothing public carries the ticket's id or key: the TV's page and the public stats.
    public = display.content() + requests.get(f"{live.url}/api/stats/today", timeout=5).text
    assert ticket_id not in public
    assert ticket_key not in public
