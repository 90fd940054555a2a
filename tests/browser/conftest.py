"""Browser fixtures: Debian's Chromium driven by Playwright against a real `motcua serve`.

Screenshots go to var/screenshots/ (the committed copies in docs/screenshots/ are refreshed
from there by hand, after looking at them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.live_server import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

KIOSK_PORTRAIT = {"width": 1080, "height": 1920}
KIOSK_LANDSCAPE = {"width": 1920, "height": 1080}
TV = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
CONSOLE = {"width": 1366, "height": 768}
# Chromium logs most violations itself; the event also catches those it reports quietly.
# (An init script runs through the DevTools protocol: the page's CSP does not stop it.)
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || document.URL}:${event.lineNumber})`);
});
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module (open every day, no-appointment every day), with a working
    printer (receipts as files): the kiosk shows the ticket screen of a printed receipt."""
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(folder, MOTCUA_PRINTER=f"dir:{folder / 'receipts'}").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """open_page(url, viewport) → a page in a fresh context (Vietnamese, in the center's zone
    unless locale= and timezone_id= say otherwise); its console errors (and so any
    Content-Security-Policy violation) are collected in page.errors and fail the test at
    teardown; the messages of dialogs it opened, dismissed, are in page.dialogs, the
    WebSockets it opened in page.websockets."""
    contexts = []
    pages: list[Page] = []

    def open_(
        url: str,
        viewport: dict[str, int] = CONSOLE,
        timezone_id: str = "Asia/Ho_Chi_Minh",
        *,
        locale: str = "vi-VN",
    ) -> Page:
        """timezone_id, locale: the browser's own zone and language (a page must show the
        center's time and Vietnamese dates whatever they are)."""
        context = browser.new_context(viewport=viewport, locale=locale, timezone_id=timezone_id)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        collect_errors(page, page.errors)  # type: ignore[attr-defined]
        page.dialogs = []  # type: ignore[attr-defined]  # alert/confirm/prompt, dismissed as before
        page.websockets = []  # type: ignore[attr-defined]
        page.on("websocket", lambda socket: page.websockets.append(socket))  # type: ignore[attr-defined]
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
        page.goto(url)
        pages.append(page)
        return page

    yield open_
    errors = [error for page in pages for error in page.errors]  # type: ignore[attr-defined]
    for context in contexts:
        context.close()
    assert not errors, errors


def collect_errors(page: Page, errors: list[str]) -> None:
    """The page's script errors and unexpected console errors go to `errors`."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not expected_console_error(message.text)
            else None
        ),
    )


def expected_console_error(text: str) -> bool:
    """Chromium logs every 4xx answer and every refused connection as a console error:
    pages meet those on purpose (a 401 before login, a 409 shown to the officer, the server
    restarting, cutting off a download); script errors and 5xx answers still fail the test."""
    return (
        "ERR_CONNECTION_REFUSED" in text
        or "ERR_CONNECTION_RESET" in text
        or "ERR_CONTENT_LENGTH_MISMATCH" in text
        or "WebSocket connection to" in text
        or ("Failed to load resource" in text and "status of 4" in text)
        # the ticket page's service worker (/t/sw.js) fetched while the test's server is down
        or text == "An unknown error occurred when fetching the script."
    )


def screenshot(page: Page, name: str) -> Path:
    """Save the page as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def serious_accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the current page."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the page's CSP refuses those
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = json.loads(result)["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def fits_without_scrolling(page: Page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollHeight <= window.innerHeight + 1
                 && document.documentElement.scrollWidth <= window.innerWidth + 1"""
    )
