"""What one console's snapshot costs with a long line, by how many tickets it shows.

    python -m bench.console_line [--waiting 1000] [--runs 30]

Every open console gets its counter's snapshot (server/line/console.py) after every change,
at most every 0.3 s: its state, current ticket and line in call order, no-shows and finished
services. This times that function for counter 1 of the demo catalog with `--waiting`
tickets in its line (one in seven priority), for several lengths of the line shown.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from server.clock import FixedClock
from server.line import console
from server.line.tickets import issue_ticket
from server.settings import Settings
from server.setup.catalog import prepare_database
from server.storage.db import open_database

THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SHOWN = (30, 100, 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database=Path(folder) / "line.db", printer="none")
        prepare_database(settings)
        db = open_database(settings.database)
        clock = FixedClock(THURSDAY)
        for index in range(args.waiting):
            priority = "elderly" if index % 7 == 0 else None
            issue_ticket(
                db,
                clock,
                settings,
                procedure_id="chung-thuc-ban-sao",
                documents_complete=True,
                priority=priority,
            )
        print(f"counter 1, {args.waiting} waiting, median of {args.runs}")
        for shown in SHOWN:
            console.LINE_SHOWN = shown
            seconds = []
            for _ in range(args.runs):
                start = time.perf_counter()
                console.counter_state(db, clock, settings, 1)
                seconds.append(time.perf_counter() - start)
            print(f"{shown:>4} tickets shown: {statistics.median(seconds) * 1000:6.2f} ms")
        db.conn.close()


if __name__ == "__main__":
    main()
