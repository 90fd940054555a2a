"""How soon the lobby TV says a call aloud: one call alone, then four calls in one second.

Starts a `motcua serve` with the espeak-ng clips (the voice of every TV until the center
records its own), opens /display in Debian's Chromium (headless, sound allowed), and calls
through the API with one officer per counter. Reads the page's own announcement log
(`window.announcements`: when each call arrived, started and ended) and prints, per call, how
long its announcement lasted and how long after its API call it had been heard. Results go to
docs/performance.md, "Announcements".

    .venv/bin/python -m bench.announcements [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Page, sync_playwright

from tests.live_server import ADMIN_PASSWORD, LiveServer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
OFFICER_PASSWORD = "mat-khau-ban-do-1"
LETTERS = "ABCD"

# Older pages kept no log: their history had received_at and ended_at only.
LOG = """() => (window.announcements || announcer.history.map((item) => ({
  number: item.number, seq: item.seq, queued_at: item.received_at,
  started_at: null, ended_at: item.ended_at, status: item.status })))"""


def officers(server: LiveServer, count: int) -> list[requests.Session]:
    """One officer per counter (an officer holds one counter at a time)."""
    admin = requests.Session()
    admin.post(
        f"{server.url}/api/session",
        json={"username": "quantri", "password": ADMIN_PASSWORD},
        timeout=5,
    ).raise_for_status()
    sessions = []
    for index in range(count):
        username = f"bench-loa-{index + 1}"
        body = {"username": username, "password": OFFICER_PASSWORD, "role": "officer"}
        admin.post(f"{server.url}/api/admin/users", json=body, timeout=5)
        session = requests.Session()
        session.post(
            f"{server.url}/api/session",
            json={"username": username, "password": OFFICER_PASSWORD},
            timeout=5,
        ).raise_for_status()
        sessions.append(session)
    return sessions


def procedures(server: LiveServer) -> dict[str, str]:
    found: dict[str, str] = {}
    for procedure in requests.get(f"{server.url}/api/procedures", timeout=5).json():
        found.setdefault(procedure["letter"], procedure["id"])
    return found


def issue(server: LiveServer, procedure_id: str) -> dict[str, Any]:
    body = {"procedure_id": procedure_id, "documents_complete": True, "priority": None}
    response = requests.post(f"{server.url}/api/tickets", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def counters_for(server: LiveServer) -> dict[str, int]:
    """Ticket letter → a counter that serves that field."""
    catalog = requests.get(f"{server.url}/api/procedures", timeout=5).json()
    by_procedure = {procedure["id"]: procedure["letter"] for procedure in catalog}
    found: dict[str, int] = {}
    for counter in requests.get(f"{server.url}/api/counters", timeout=5).json():
        for procedure_id in counter["procedures"]:
            letter = by_procedure.get(procedure_id)
            if letter in LETTERS and letter not in found and counter["id"] not in found.values():
                found[letter] = counter["id"]
    return found


def heard(page: Page, numbers: list[str], timeout_ms: int = 120_000) -> list[dict[str, Any]]:
    page.wait_for_function(
        "(numbers) => numbers.every((n) => (" + LOG + ")().some("
        "(e) => e.number === n && e.ended_at))",
        arg=numbers,
        timeout=timeout_ms,
    )
    return [e for e in page.evaluate(LOG) if e["number"] in numbers]


def finish(server: LiveServer, officer: requests.Session, counter_id: int) -> None:
    state = officer.get(f"{server.url}/api/counters/{counter_id}/state", timeout=5).json()
    if state.get("current"):
        officer.post(
            f"{server.url}/api/tickets/{state['current']['id']}/finish",
            json={"outcome": "resolved"},
            timeout=5,
        ).raise_for_status()


def round_of(
    server: LiveServer, page: Page, staff: list[requests.Session], calls: int
) -> dict[str, Any]:
    letters = procedures(server)
    where = counters_for(server)
    for letter in LETTERS[:calls]:
        issue(server, letters[letter])
    called_at = {}
    started = time.time()
    for index, letter in enumerate(LETTERS[:calls]):
        answer = staff[index].post(f"{server.url}/api/counters/{where[letter]}/next", timeout=5)
        answer.raise_for_status()
        called_at[answer.json()["number"]] = time.time() * 1000
    spread = time.time() - started
    log = heard(page, list(called_at))
    for index, letter in enumerate(LETTERS[:calls]):
        finish(server, staff[index], where[letter])
    rows = []
    for entry in log:
        rows.append(
            {
                "number": entry["number"],
                "status": entry["status"],
                "lasted": (entry["ended_at"] - entry["started_at"]) / 1000
                if entry["started_at"]
                else None,
                "heard_after": (entry["ended_at"] - called_at[entry["number"]]) / 1000,
            }
        )
    return {"spread": spread, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server = LiveServer(Path(folder)).start()
        try:
            server.run("voice", "render-espeak")
            staff = officers(server, len(LETTERS))
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{server.url}/display")
            page.wait_for_function("() => window.announcer && announcer.activeSet === 'espeak'")
            page.wait_for_function("() => document.body.dataset.connection === 'connected'")
            singles, lasts, durations = [], [], []
            for _ in range(options.rounds):
                one = round_of(server, page, staff, 1)
                singles.append(one["rows"][0]["heard_after"])
                durations += [row["lasted"] for row in one["rows"] if row["lasted"]]
                four = round_of(server, page, staff, 4)
                print(f"four calls in {four['spread']:.2f} s:")
                for row in four["rows"]:
                    lasted = f"{row['lasted']:.1f} s" if row["lasted"] else "?"
                    print(
                        f"  {row['number']} {row['status']:8} lasted {lasted:>7}, "
                        f"heard {row['heard_after']:.1f} s after its call"
                    )
                lasts.append(max(row["heard_after"] for row in four["rows"]))
            print(
                f"one call alone: heard {statistics.median(singles):.1f} s after it "
                f"(median of {len(singles)}; max {max(singles):.1f} s)"
            )
            if durations:
                print(f"  its announcement lasted {statistics.median(durations):.1f} s")
            print(
                f"four calls in one second: the last heard {statistics.median(lasts):.1f} s "
                f"after its call (median of {len(lasts)}; max {max(lasts):.1f} s)"
            )
            browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
