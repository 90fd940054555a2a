"""Printer health on the kiosk and the console, in Chromium against a real `motcua serve` whose
printer is the fake LAN printer (tests/fake_printer.py).

States reach the pages live (`printer_status`): the fake runs out of paper, the next receipt
fails, the server says so. A failed receipt is tried again within 5 s (an idle printer is
asked every 15 s), so a printer given paper again is seen within seconds.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    KIOSK_PORTRAIT,
    fits_without_scrolling,
    screenshot,
    serious_accessibility_violations,
)
from tests.browser.test_counter import forgive_api_refusals, log_in, open_counter
from tests.browser.test_kiosk import spilling
from tests.fake_printer import FakeLanPrinter
from tests.live_server import LiveServer

OpenPage = Callable[..., Page]
StartServer = Callable[..., LiveServer]

WAIT = 5000  # ms: the longest a page waits for what follows at once
RETRIED = 12000  # ms: a failed receipt is tried again within 5 s, then reported
PHOTO = "Vui lòng chụp lại số thứ tự"
KEEP_TICKET = "Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!"
ONLINE_HELP = re.compile("^Hỗ trợ nộp hồ sơ trực tuyến")
REPRINT = "In lại phiếu vừa in"


@pytest.fixture
def printer() -> Iterator[FakeLanPrinter]:
    fake = FakeLanPrinter()
    yield fake
    fake.close()


@pytest.fixture
def own_printer() -> Iterator[FakeLanPrinter]:
    """A second printer: a kiosk's or a counter's own."""
    fake = FakeLanPrinter()
    yield fake
    fake.close()


@pytest.fixture
def start_server(tmp_path: Path, printer: FakeLanPrinter) -> Iterator[StartServer]:
    """start_server({"kiosk:sanh-1": fake}) → a running server printing on `printer` by
    default and on each given queue's own fake (written into the database before it starts:
    there is no command for it yet). Stopped at teardown."""
    started: list[LiveServer] = []

    def start(own_printers: dict[str, FakeLanPrinter] | None = None) -> LiveServer:
        server = LiveServer(tmp_path, MOTCUA_PRINTER=f"tcp://127.0.0.1:{printer.port}")
        with closing(sqlite3.connect(tmp_path / "motcua.db")) as db, db:
            for queue, fake in (own_printers or {}).items():
                db.execute(
                    "INSERT INTO printers (name, url) VALUES (?, ?)",
                    [queue, f"tcp://127.0.0.1:{fake.port}"],
                )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def wait_until_online(server: LiveServer, name: str = "default", timeout: float = 5.0) -> None:
    """The server asks each printer as it starts: wait for that answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = requests.get(f"{server.url}/api/printers", timeout=5).json()
        if any(s["printer"] == name and s["state"] == "online" for s in statuses):
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} is not online: {statuses}")


def open_kiosk(open_page: OpenPage, server: LiveServer, query: str = "") -> Page:
    page = open_page(f"{server.url}/kiosk?home=600{query}", KIOSK_PORTRAIT)
    page.set_default_timeout(WAIT)
    page.wait_for_selector("#screen[data-screen='home']")
    return page


def take_ticket(page: Page) -> str:
    """The online-help tile, then its ticket; the address of the ticket on screen (its QR
    code)."""
    page.get_by_role("button", name=ONLINE_HELP).click()
    page.get_by_role("button", name="Lấy số hỗ trợ").click()
    page.wait_for_selector("#screen[data-screen='ticket']")
    return page.locator("figure.qr").get_attribute("data-url") or ""


def number_size(page: Page) -> float:
    return page.locator("#ticket-number").evaluate(
        "(e) => parseFloat(getComputedStyle(e).fontSize)"
    )


def test_the_kiosk_asks_for_a_photo_while_its_printer_has_no_paper(
    open_page: OpenPage, start_server: StartServer, printer: FakeLanPrinter
) -> None:
    server = start_server()
    wait_until_online(server)
    page = open_kiosk(open_page, server)
    badge = page.locator("#printer-badge")
    expect(badge).to_be_hidden()

    # The paper runs out: the ticket is issued, its receipt fails, the kiosk hears it live.
    printer.paper = "out"
    first = take_ticket(page)
    ticket = page.locator(".ticket-screen")
    expect(ticket).to_have_attribute("data-receipt", "none")
    expect(page.locator(".photo-title")).to_have_text(PHOTO)
    expect(page.locator(".keep")).not_to_have_text(KEEP_TICKET)
    expect(page.locator("figure.qr svg")).to_be_visible()
    expect(badge).to_have_text("Máy in: hết giấy")
    expect(badge).to_have_attribute("title", re.compile("hết giấy"))
    page.evaluate("document.fonts.ready")
    assert fits_without_scrolling(page)
    assert spilling(page) == []
    assert serious_accessibility_violations(page) == []
    screenshot(page, "kiosk-printer-out")
    big = number_size(page)

    # Paper again: the receipt prints on its retry and the badge goes; the ticket on screen
    # keeps asking for a photo (its receipt came out late, maybe after the citizen left).
    printer.paper = "ok"
    expect(badge).to_be_hidden(timeout=RETRIED)
    assert len(printer.wait_for_jobs(1)) == 1
    assert printer.printed_qr_codes() == [first]
    expect(ticket).to_have_attribute("data-receipt", "none")

    page.get_by_role("button", name="Xong").click()
    second = take_ticket(page)
    assert len(printer.wait_for_jobs(2)) == 2
    assert printer.printed_qr_codes() == [first, second]
    expect(page.locator(".ticket-screen")).to_have_attribute("data-receipt", "expected")
    expect(page.locator(".photo-notice")).to_have_count(0)
    expect(page.locator(".keep")).to_have_text(KEEP_TICKET)
    expect(badge).to_be_hidden()
    assert number_size(page) < big


def test_the_console_shows_the_printers_live_and_reprints(
    open_page: OpenPage,
    start_server: StartServer,
    printer: FakeLanPrinter,
    own_printer: FakeLanPrinter,
) -> None:
    server = start_server({"counter:1": own_printer})
    wait_until_online(server)
    wait_until_online(server, "counter:1")
    page = open_page(f"{server.url}/counter")
    log_in(page)
    open_counter(page, 1, "Quầy 1 — Chứng thực")
    summary = page.locator("#printers-summary")
    expect(summary).to_have_text("Sẵn sàng")
    page.click("#printers summary")
    # This counter's own printer first, then the shared one.
    expect(page.locator(".printer-row .printer-name")).to_have_text(
        ["Máy in Quầy 1 — Chứng thực", "Máy in chung"]
    )
    row = page.locator(".printer-row[data-printer='default']")
    expect(row.locator(".printer-state")).to_have_text("sẵn sàng")

    # The paper runs out while a ticket prints: the panel says so, live.
    printer.paper = "out"
    ticket = requests.post(
        f"{server.url}/api/tickets",
        json={"procedure_id": "chung-thuc-ban-sao", "documents_complete": True},
        timeout=5,
    ).json()
    expect(row.locator(".printer-state")).to_have_text("hết giấy")
    expect(row.locator(".printer-pending")).to_have_text("1 phiếu chờ in")
    expect(row).to_have_attribute("title", re.compile("hết giấy"))
    expect(summary).to_have_text("Máy in chung: hết giấy")
    assert fits_without_scrolling(page)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-printers")

    # Paper again: the receipt prints, then "In lại" prints it once more.
    printer.paper = "ok"
    expect(row.locator(".printer-state")).to_have_text("sẵn sàng", timeout=RETRIED)
    expect(row.locator(".printer-pending")).to_have_count(0)
    assert len(printer.wait_for_jobs(1)) == 1
    row.get_by_role("button", name=REPRINT).click()
    expect(page.locator("#message")).to_have_text("Đã gửi lệnh in lại (Máy in chung).")
    assert len(printer.wait_for_jobs(2)) == 2
    assert printer.printed_qr_codes() == [f"{server.url}/t/{ticket['key']}"] * 2

    # The counter's printer has printed nothing today: the server's refusal is shown.
    own = page.locator(".printer-row[data-printer='counter:1']")
    own.get_by_role("button", name=REPRINT).click()
    expect(page.locator("#message")).to_have_text("Máy in này chưa in phiếu nào hôm nay.")
    forgive_api_refusals(page, 404)


def test_a_named_kiosk_prints_on_its_own_printer(
    open_page: OpenPage,
    start_server: StartServer,
    printer: FakeLanPrinter,
    own_printer: FakeLanPrinter,
) -> None:
    server = start_server({"kiosk:sanh-1": own_printer})
    wait_until_online(server, "kiosk:sanh-1")
    token = re.search(r"token=([\w-]+)", server.run("kiosk", "add", "sanh-1"))[1]
    page = open_kiosk(open_page, server, f"&kiosk=sanh-1&token={token}")
    with page.expect_request("**/api/tickets") as request:
        first = take_ticket(page)
    assert request.value.headers.get("x-kiosk") == "sanh-1"
    own_printer.wait_for_jobs(1)
    assert own_printer.printed_qr_codes() == [first]

    # The kiosk follows its own printer, not the shared one.
    own_printer.paper = "out"
    page.get_by_role("button", name="Xong").click()
    take_ticket(page)
    expect(page.locator(".ticket-screen")).to_have_attribute("data-receipt", "none")
    expect(page.locator("#printer-badge")).to_have_text("Máy in: hết giấy")

    # A name that is not a kiosk name is not sent: the shared printer prints.
    other = open_kiosk(open_page, server, "&kiosk=Sanh_1")
    with other.expect_request("**/api/tickets") as request:
        third = take_ticket(other)
    assert "x-kiosk" not in request.value.headers
    printer.wait_for_jobs(1)
    assert printer.printed_qr_codes() == [third]
    expect(other.locator(".ticket-screen")).to_have_attribute("data-receipt", "expected")
    expect(other.locator("#printer-badge")).to_be_hidden()
