"""The province hub under a province's load (docs/performance.md, "The province hub").

A throwaway PostgreSQL and one real hub process (`motcua hub serve`); many centers made up
by tests/hub_facts.py, registered on the hub, each sending its facts over HTTP in batches of
1000 as a center's sender does, several senders in parallel. Measured:
1. ingest: one day of `--tickets` tickets at each of `--centers` centers → facts/s;
2. a quarter: `--quarter-centers` of them send 90 days more; the quarter's summary
   (`GET /api/hub/summary`) and one center's report, timed (median of `--repeat`);
3. PostgreSQL's size (`pg_total_relation_size` of the hub's tables) per million tickets.

    .venv/bin/python -m bench.hub --centers 300 --tickets 300 --quarter-centers 30
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import psycopg

from server.clock import SystemClock
from server.hub.accounts import add_user
from server.hub.centers import add_center
from server.hub.migrations import migrate
from tests.hub_facts import center_facts, send
from tests.live_server import free_port, start_postgres, stop_process, wait_until_answers

PASSWORD = "Bench-hub-2026!"
QUARTER = (date(2026, 10, 1), date(2026, 12, 31))
BUSY_DAY = date(2026, 12, 3)
Centers = list[tuple[dict[str, str], str]]  # (the center's id and name, its token)


def register(url: str, count: int) -> Centers:
    """`count` centers and an admin account, straight in the database (a `motcua hub
    add-center` per center would take minutes of Python start-ups)."""
    clock = SystemClock.in_zone("Asia/Ho_Chi_Minh")
    centers = []
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        for number in range(count):
            name = f"Trung tâm phục vụ hành chính công {number}"
            center = {"id": f"tt-{number:03d}", "name": name}
            centers.append((center, add_center(conn, clock, center["id"], center["name"])))
        add_user(conn, clock, "tinh", PASSWORD)
    return centers


def load(
    hub: str, centers: Centers, days: list[date], tickets: int, senders: int, first_day: int = 0
) -> tuple[int, float]:
    """Every center's facts for `days`, `senders` centers sending at once: (facts, seconds).
    `first_day`: how many days each center sent before (its new tickets get new ids)."""

    def facts(seed: int) -> Any:
        return center_facts(seed, days, tickets, first_day=first_day)

    started = time.monotonic()
    with ThreadPoolExecutor(senders) as pool:
        stored = pool.map(
            lambda item: send(hub, item[1][1], item[1][0], facts(item[0])), enumerate(centers)
        )
        total = sum(stored)
    return total, time.monotonic() - started


def logged_in(hub: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({"username": "tinh", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{hub}/api/session", body, {"Content-Type": "application/json"}, method="POST"
    )
    opener.open(request, timeout=30).read()
    return opener


def timed(opener: urllib.request.OpenerDirector, url: str, repeat: int) -> tuple[float, Any]:
    """The median seconds of `repeat` GETs (after one to warm up), and the last answer."""
    answer = json.loads(opener.open(url, timeout=300).read())
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        answer = json.loads(opener.open(url, timeout=300).read())
        times.append(time.monotonic() - started)
    return statistics.median(times), answer


def sizes(url: str) -> tuple[int, int]:
    """(bytes of every table of the hub with its indexes and TOAST, tickets stored)."""
    with psycopg.connect(url) as conn:
        total = conn.execute(
            """SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r'"""
        ).fetchone()[0]
        tickets = conn.execute("SELECT count(*) FROM hub_tickets").fetchone()[0]
    return total, tickets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centers", type=int, default=300)
    parser.add_argument("--tickets", type=int, default=300, help="tickets per center and day")
    parser.add_argument("--senders", type=int, default=6, help="centers sending at once")
    parser.add_argument("--quarter-centers", type=int, default=30)
    parser.add_argument("--threads", type=int, default=8, help="the hub's serving threads")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-hub-") as folder_name:
        folder = Path(folder_name)
        postgres, url = start_postgres(folder)
        hub_process = None
        try:
            centers = register(url, options.centers)
            port = free_port()
            env = {**os.environ, "MOTCUA_HUB_DATABASE": url, "PYTHONUNBUFFERED": "1"}
            env["MOTCUA_SECRET_KEY"] = "bench-hub-secret"
            log = (folder / "hub.log").open("ab")
            hub_process = subprocess.Popen(
                [str(Path(".venv/bin/motcua").resolve()), "hub", "serve", "--port", str(port),
                 "--threads", str(options.threads)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            hub = f"http://127.0.0.1:{port}"
            wait_until_answers(f"{hub}/api/hub/health", hub_process, folder / "hub.log")

            facts, seconds = load(hub, centers, [BUSY_DAY], options.tickets, options.senders)
            print(
                f"ingest, one day: {options.centers} centers × {options.tickets} tickets → "
                f"{facts} facts in {seconds:.1f} s = {facts / seconds:,.0f} facts/s "
                f"({options.senders} senders, {options.threads} hub threads)"
            )
            days = [QUARTER[0] + timedelta(days=n) for n in range(92) if n != 63]
            subset = centers[: options.quarter_centers]
            facts, seconds = load(hub, subset, days, options.tickets, options.senders, 1)
            print(
                f"ingest, a quarter: {len(subset)} centers × {len(days)} days → {facts} facts "
                f"in {seconds:.1f} s = {facts / seconds:,.0f} facts/s"
            )
            total, tickets = sizes(url)
            print(
                f"PostgreSQL: {total / 2**20:,.0f} MiB for {tickets:,} tickets = "
                f"{total / tickets * 1e6 / 2**20:,.0f} MiB per million tickets"
            )
            opener = logged_in(hub)
            query = f"from={QUARTER[0]}&to={QUARTER[1]}"
            median, answer = timed(opener, f"{hub}/api/hub/summary?{query}", options.repeat)
            print(
                f"summary of the quarter ({answer['totals']['issued']:,} tickets, "
                f"{len(answer['centers'])} centers): median {median * 1000:,.0f} ms"
            )
            report = f"{hub}/api/hub/centers/{subset[0][0]['id']}/report?{query}"
            try:
                median, _ = timed(opener, report, options.repeat)
                print(f"one center's report of the quarter: median {median * 1000:,.0f} ms")
            except urllib.error.HTTPError as error:  # a hub without the center report yet
                print(f"one center's report of the quarter: not measured (HTTP {error.code})")
        finally:
            if hub_process is not None:
                stop_process(hub_process)
            stop_process(postgres)


if __name__ == "__main__":
    main()
