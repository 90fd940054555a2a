"""How soon the kiosk says the server is gone, and how soon it carries on once it is back.

    .venv/bin/python -m bench.kiosk_outage [--runs 5]

One real `motcua serve` (tests/live_server.py) and one kiosk in Debian's Chromium (the
browser tests' flags). Each run stops the server (SIGTERM, as systemd does; the time counted
from when the process has exited) and measures until the kiosk's full-screen notice
("Vui lòng báo cán bộ tại quầy hướng dẫn") is visible, then starts the server again on the
same port and database and measures from its first HTTP answer until the notice is gone (the
live connection retries every 0.5–2 s). Figures: docs/performance.md, "The kiosk and an
unreachable server".
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, KIOSK_PORTRAIT
from tests.live_server import LiveServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder)).start()
        shown, hidden = [], []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=KIOSK_PORTRAIT)
                page.goto(f"{server.url}/kiosk")
                page.wait_for_selector("#screen[data-screen='home']")
                for _ in range(runs):
                    server.stop()
                    stopped = time.monotonic()
                    page.wait_for_selector("#server-down", state="visible", timeout=60_000)
                    shown.append(time.monotonic() - stopped)
                    server.start()
                    answered = time.monotonic()
                    page.wait_for_selector("#server-down", state="hidden", timeout=60_000)
                    hidden.append(time.monotonic() - answered)
                browser.close()
        finally:
            server.stop()
    for label, values in (("notice shown after the server exited", shown),
                          ("notice gone after the server answered", hidden)):  # fmt: skip
        print(
            f"{label}: median {statistics.median(values):.2f} s, "
            f"max {max(values):.2f} s ({', '.join(f'{v:.2f}' for v in values)})"
        )


if __name__ == "__main__":
    main()
