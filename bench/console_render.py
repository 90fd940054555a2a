"""The console drawing a long line: how long a counter_state push takes to show in Chromium.

    .venv/bin/python -m bench.console_render [--waiting 200] [--runs 40]

A server with `--waiting` tickets in counter 1's line (one in seven priority, one in three
declared incomplete; the console shows LINE_SHOWN of them), the console logged in at
1366×768 in Debian's Chromium. The page's own render module then draws that counter_state
`--runs` times, each time as after a call: every other draw has the first ticket gone from
the line (the steady state of a busy morning, a push after every change). A draw is timed
from the call to the end of the layout it forces (`offsetHeight`), in the page
(performance.now()). Prints p50 and p90 in milliseconds and the load average; the figures
are in docs/performance.md, "The console's line in the browser".
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import requests
from playwright.sync_api import expect, sync_playwright

from server.line.console import LINE_SHOWN
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, CONSOLE
from tests.live_server import OFFICER_PASSWORD, LiveServer

DRAW = """async (runs) => {
  const render = await import('/static/counter/render.js');
  const snapshot = await (await fetch('/api/counters/1/state')).json();
  const handlers = { onCall() {}, onReinstate() {}, onCorrect() {} };
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const gone = i % 2;
    const next = { ...snapshot, waiting: snapshot.waiting.slice(gone),
                   waiting_count: snapshot.waiting_count - gone };
    const start = performance.now();
    render.renderSnapshot(next, handlers);
    document.body.offsetHeight;
    times.push(performance.now() - start);
  }
  return { rows: snapshot.waiting.length, times };
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        live = LiveServer(Path(folder)).start()
        try:
            for n in range(args.waiting):
                body = {
                    "procedure_id": "chung-thuc-ban-sao" if n % 2 else "chung-thuc-chu-ky",
                    "documents_complete": n % 3 > 0,
                    "priority": "elderly" if n % 7 == 0 else None,
                }
                requests.post(f"{live.url}/api/tickets", json=body, timeout=5).raise_for_status()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_context(viewport=CONSOLE, locale="vi-VN").new_page()
                page.goto(f"{live.url}/counter")
                page.fill("#username", "canbo")
                page.fill("#password", OFFICER_PASSWORD)
                page.click("#login-button")
                page.click("#counter-choices [data-counter-id='1']")
                shown = min(args.waiting, LINE_SHOWN)
                expect(page.locator("#waiting-rows tr")).to_have_count(shown, timeout=30000)
                result = page.evaluate(DRAW, args.runs)
                browser.close()
        finally:
            live.stop()
    times = result["times"]
    load = os.getloadavg()[0]
    print(f"rows {result['rows']}, draws {len(times)}, load average {load:.1f}")
    print(f"p50 {percentile(times, 0.5):.1f} ms, p90 {percentile(times, 0.9):.1f} ms")


if __name__ == "__main__":
    main()
