"""What a commit on disk costs a ticket: issuing with synchronous=FULL against NORMAL.

    python -m bench.durability [--tickets 300]

Each ticket is one write transaction (the number, the ticket, its receipt job, its event).
FULL waits for the disk at every commit, so a power cut never loses a ticket whose receipt
printed; the figure below is what that wait costs on this machine's disk.
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
from server.line.tickets import ReceiptOrder, issue_ticket
from server.settings import Settings
from server.setup.catalog import prepare_database
from server.storage.db import open_database

THURSDAY = datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def issue_many(folder: Path, mode: str, count: int) -> list[float]:
    """Seconds per ticket, each issued in its own transaction on a fresh database."""
    settings = Settings(database=folder / f"{mode.lower()}.db", printer="none")
    prepare_database(settings)
    db = open_database(settings.database)
    db.execute(f"PRAGMA synchronous = {mode}")
    clock = FixedClock(THURSDAY)
    order = ReceiptOrder(kiosk=None, site_url="http://127.0.0.1:5000")
    times = []
    for _ in range(count):
        start = time.perf_counter()
        issue_ticket(
            db, clock, settings, procedure_id="chung-thuc-ban-sao", documents_complete=True,
            receipt=order,
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    db.conn.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("NORMAL", "FULL"):
            times = issue_many(Path(folder), mode, arguments.tickets)
            print(
                f"synchronous={mode:<6} {arguments.tickets} tickets: "
                f"median {statistics.median(times) * 1000:.2f} ms, "
                f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.2f} ms, "
                f"total {sum(times):.2f} s"
            )


if __name__ == "__main__":
    main()
