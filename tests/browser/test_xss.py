"""Names an admin types are text on every screen, never markup: in real Chromium, a field,
a procedure, a counter, an officer and the center itself named like an HTML image with a
script show as those very characters, no such image is ever made and no dialog opens.

Pages fill themselves both ways: some names come rendered by Jinja, most are set by scripts
from the JSON API and the live events. The Content-Security-Policy would also stop the
script, and open_page fails the test on its violation; this test needs neither layer alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import KIOSK_PORTRAIT, PHONE, TV
from tests.live_server import ADMIN_PASSWORD, LiveServer

OpenPage = Callable[..., Page]
EVIL = "<img src=x onerror=alert(1)>"
WAIT = 5000  # ms
PAGE = {"width": 1366, "height": 900}
OFFICER = "canbodoc"
OFFICER_PASSWORD = "mat-khau-doc-hai-1"
COUNTER = 7


class Stage:
    """The live server once the names are in, and the ticket served under them."""

    def __init__(self, live: LiveServer, ticket: dict) -> None:
        self.live = live
        self.ticket = ticket

    def url(self, path: str) -> str:
        return f"{self.live.url}{path}"


def ok(response: requests.Response) -> dict:
    assert response.ok, response.text
    return response.json() if response.content else {}


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    """Names set through the admin API, then one ticket issued, called and finished there."""
    folder: Path = tmp_path_factory.mktemp("xss")
    live = LiveServer(folder).start()
    try:
        admin, url = live.login("quantri"), live.url
        center = ok(admin.get(f"{url}/api/admin/center", timeout=5))
        ok(admin.put(f"{url}/api/admin/center", json={**center, "name": EVIL}, timeout=5))
        field = {"id": "doc-hai", "name": EVIL, "letter": "X"}
        ok(admin.post(f"{url}/api/admin/fields", json=field, timeout=5))
        procedure = {"id": "thu-tuc-doc", "field": "doc-hai", "name": EVIL, "short_name": EVIL,
                     "documents": [EVIL], "no_appointment": True}  # fmt: skip
        ok(admin.post(f"{url}/api/admin/procedures", json=procedure, timeout=5))
        counter = {"id": COUNTER, "name": EVIL, "procedures": ["thu-tuc-doc"]}
        ok(admin.post(f"{url}/api/admin/counters", json=counter, timeout=5))
        officer = {"username": OFFICER, "full_name": EVIL, "role": "officer",
                   "password": OFFICER_PASSWORD}  # fmt: skip
        ok(admin.post(f"{url}/api/admin/users", json=officer, timeout=5))

        body = {"procedure_id": "thu-tuc-doc", "documents_complete": True, "priority": None}
        ticket = ok(requests.post(f"{url}/api/tickets", json=body, timeout=5))
        staff = requests.Session()
        login = {"username": OFFICER, "password": OFFICER_PASSWORD}
        ok(staff.post(f"{url}/api/session", json=login, timeout=5))
        ok(staff.post(f"{url}/api/counters/{COUNTER}/next", timeout=5))
        finish = {"outcome": "resolved"}
        ok(staff.post(f"{url}/api/tickets/{ticket['id']}/finish", json=finish, timeout=5))
        yield Stage(live, ticket)
    finally:
        live.stop()


def shows_the_name_as_text(page: Page, where: str = "body") -> None:
    """The name is in the text of an element (as markup it would not be: the browser would
    have made an element of it); no image was made of it; no dialog opened."""
    expect(page.locator(where).first).to_contain_text(EVIL, timeout=WAIT)
    assert page.locator("img[src='x'], [onerror]").count() == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def log_in(page: Page, username: str, password: str, button: str) -> None:
    page.fill("#username", username)
    page.fill("#password", password)
    page.click(button)


def test_the_kiosk(stage, open_page):
    page = open_page(stage.url("/kiosk"), KIOSK_PORTRAIT)
    shows_the_name_as_text(page, ".banner")  # the no-appointment procedure's chip
    shows_the_name_as_text(page, "header")  # the center
    shows_the_name_as_text(page, "[data-field='doc-hai']")  # the field's tile
    page.click("[data-field='doc-hai']")
    shows_the_name_as_text(page, "[data-procedure='thu-tuc-doc']")
    page.click("[data-procedure='thu-tuc-doc']")
    shows_the_name_as_text(page, "#screen")  # its checklist: title and document
    assert page.locator("#screen").inner_text().count(EVIL) >= 2


def test_the_ticket_page(stage, open_page):
    page = open_page(stage.url(f"/t/{stage.ticket['key']}"), PHONE)
    shows_the_name_as_text(page, "#ticket")
    shows_the_name_as_text(page, ".center-name")


def test_the_lobby_tv_and_the_counter_screen(stage, open_page):
    tv = open_page(stage.url("/display"), TV)
    shows_the_name_as_text(tv, "#center-name")
    shows_the_name_as_text(tv, "#counters")
    screen = open_page(stage.url(f"/display/counter/{COUNTER}"))
    shows_the_name_as_text(screen, "#counter-name")


def test_the_counter_console(stage, open_page):
    page = open_page(stage.url("/counter"), PAGE)
    log_in(page, OFFICER, OFFICER_PASSWORD, "#login-button")
    choice = page.locator(f"#counter-choices [data-counter-id='{COUNTER}']")
    expect(choice).to_contain_text(EVIL, timeout=WAIT)
    choice.click()
    shows_the_name_as_text(page, "#heading")


def test_the_rating_tablet(stage, open_page):
    printed = stage.live.run("kiosk", "add", "may-tinh-bang")  # a registered tablet
    token = re.search(r"/rate/SỐ\?token=([\w-]+)", printed)[1]
    page = open_page(stage.url(f"/rate/{COUNTER}?token={token}"), PAGE)
    expect(page.locator("#screen-rating")).to_be_visible(timeout=WAIT)
    shows_the_name_as_text(page, "#counter-label")
    shows_the_name_as_text(page, "#served-procedure")
    expect(page.locator("#served-officer")).to_have_text(f"Cán bộ phục vụ: {EVIL}")


def test_the_poster(stage, open_page):
    page = open_page(stage.url("/khong-hen"), PAGE)
    shows_the_name_as_text(page, ".procedure[data-procedure-id='thu-tuc-doc']")
    shows_the_name_as_text(page, ".poster-center")


def test_the_reports_page(stage, open_page):
    page = open_page(stage.url("/reports"), PAGE)
    log_in(page, "quantri", ADMIN_PASSWORD, "#login-button")
    for table in ("#fields", "#procedures", "#counters", "#unranked"):
        shows_the_name_as_text(page, table)
    shows_the_name_as_text(page, "header")  # the center
    assert EVIL in page.title()


def test_the_admin_page(stage, open_page):
    page = open_page(stage.url("/admin"), PAGE)
    log_in(page, "quantri", ADMIN_PASSWORD, "#login-form button[type=submit]")
    expect(page.locator("#admin-view")).to_be_visible(timeout=WAIT)
    for link in page.locator("#menu a").all():
        link.click()
        expect(page.locator("#section-body > *").first).to_be_visible(timeout=WAIT)
        title = link.inner_text()
        if any(word in title for word in ("Lĩnh vực", "Thủ tục", "Quầy", "Tài khoản")):
            shows_the_name_as_text(page, "#section-body")
    page.goto(stage.url("/admin#trung-tam"))
    expect(page.locator("#section-body input[name=name]")).to_have_value(EVIL, timeout=WAIT)
    assert page.locator("img[src='x'], [onerror]").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
