"""What the public queue costs: the bytes a phone downloads, and the server's time per poll.

    python -m bench.public_queue [--waiting 1000] [--runs 30]

A citizen at home opens /hang-cho on a cheap phone, often on 3G, and the page then polls
GET /api/queue every 15 s while it is on screen. This prints the weight of the first load
(the page and each file it loads, raw and gzip-compressed as nginx would send them), the
size of one poll's answer, and the time the server spends computing it with `--waiting`
tickets spread over the demo catalog's procedures.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from server import create_app
from server.clock import FixedClock
from server.line.public_queue import live_figures, public_queue
from server.line.tickets import issue_ticket
from server.settings import Settings
from server.setup.catalog import prepare_database
from server.storage.db import open_database

THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
IMPORT = re.compile(r'from "(/static/[^"]+)"')


def weight(client: object, path: str) -> tuple[int, int]:
    body = client.get(path).get_data()  # type: ignore[attr-defined]
    return len(body), len(gzip.compress(body, 6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database=Path(folder) / "queue.db", printer="none")
        prepare_database(settings)
        db = open_database(settings.database)
        clock = FixedClock(THURSDAY)
        procedures = [row[0] for row in db.execute("SELECT id FROM procedures WHERE active = 1")]
        for index in range(args.waiting):
            issue_ticket(
                db,
                clock,
                settings,
                procedure_id=procedures[index % len(procedures)],
                documents_complete=True,
            )
        app = create_app(
            {
                "database": settings.database,
                "clock": clock,
                "async_mode": "threading",
                "printer": "none",
                "secret_key": "bench",
            }
        )
        client = app.test_client()
        page = client.get("/hang-cho").get_data(as_text=True)
        files = ["/hang-cho", *ASSET.findall(page)]
        for script in [f for f in files if f.endswith(".js")]:
            files += IMPORT.findall(client.get(script).get_data(as_text=True))
        print(f"First load of /hang-cho ({args.waiting} waiting):")
        total_raw = total_gzip = 0
        for path in files:
            raw, packed = weight(client, path)
            total_raw, total_gzip = total_raw + raw, total_gzip + packed
            print(f"  {path:<45} {raw:>7,} B  gzip {packed:>6,} B")
        print(f"  {'total':<45} {total_raw:>7,} B  gzip {total_gzip:>6,} B")
        raw, packed = weight(client, "/api/queue")
        print(f"One poll, GET /api/queue: {raw:,} B (gzip {packed:,} B); unchanged: 304, no body")
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            live_figures(public_queue(db, clock, settings))
            timings.append(time.perf_counter() - start)
        print(
            f"public_queue + live_figures: median {statistics.median(timings) * 1000:.1f} ms, "
            f"max {max(timings) * 1000:.1f} ms over {args.runs} runs"
        )


if __name__ == "__main__":
    main()
