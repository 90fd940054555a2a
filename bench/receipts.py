"""Receipts: how long one takes to draw and encode, and how many bytes go to the printer.

    .venv/bin/python -m bench.receipts [--count 200] [--cold-runs 10]

For the 80 mm ticket, the 58 mm ticket and the 80 mm appointment slip, through the code the
print worker runs (printers.escpos_bytes.receipt_bytes, raster mode, native QR):

- cold: the first receipt of a fresh process (fonts not loaded, nothing cached), one per
  process, --cold-runs processes; the imports are not counted;
- warm: --count different receipts in one process (numbers, places in line, waits, times
  and procedures of the demo catalog vary) after one of each procedure was drawn, the
  steady state of a running server: render caches the text blocks that repeat (the center,
  the titles, a procedure and its field) and draws the rest (the number, the count, the time);
- reprint: SAMPLE_RECEIPT --count times: every block cached, the best case, for reference.

render: drawing the 1-bit image (printers.receipt.render); encode: the rest of receipt_bytes
(ink bands, python-escpos's Dummy, the QR, the cut). Times are wall clock, p50 and p95
(nearest rank), so the load average is printed too.
Bytes: what the receipt sends (ink bands and native QR) against one whole-page raster
(`printer.image(render(...), impl="bitImageRaster")`) with the same native QR, the QR as an
image instead, and code-page text mode (`?text=cp1258`). Prints a Markdown table; the
figures are in docs/performance.md, "Receipts".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from escpos.printer import Dummy
from PIL import Image

import printers.escpos_bytes as escpos_bytes
from printers.escpos_bytes import PrintOptions, qr_content, receipt_bytes
from printers.receipt import (
    SAMPLE_RECEIPT,
    SAMPLE_SLIP,
    AppointmentSlip,
    Receipt,
    render,
)
from server.settings import DEFAULT_CATALOG
from server.setup.catalog import Catalog, load_catalog

Item = Receipt | AppointmentSlip
KINDS = {  # name → (paper width in dots, the sample)
    "ticket-80": (576, SAMPLE_RECEIPT),
    "ticket-58": (384, SAMPLE_RECEIPT),
    "slip-80": (576, SAMPLE_SLIP),
}
LABELS = {"ticket-80": "80 mm ticket", "ticket-58": "58 mm ticket", "slip-80": "80 mm slip"}
MORNING = datetime(2026, 11, 26, 7, 30)
OFFICERS = ("Nguyễn Thị Hồng Nhung", "Trần Văn Bình", "Lê Thị Thu Hà")
PRIORITIES = ("Người cao tuổi (từ 60 tuổi)", "Phụ nữ mang thai", "Người khuyết tật")
TICKET_TARGET_MS = 30.0
TICKET_TARGET_BYTES = 20_000  # "20 KB", taken as 20,000 bytes


class RenderClock:
    """Wraps escpos_bytes.render so one receipt_bytes call splits into render and encode."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.real = escpos_bytes.render
        escpos_bytes.render = self.render  # type: ignore[assignment]

    def render(self, item: Item, width_dots: int) -> Image.Image:
        start = time.perf_counter()
        try:
            return self.real(item, width_dots)
        finally:
            self.spent += time.perf_counter() - start

    def time(self, item: Item, options: PrintOptions) -> tuple[float, float, int]:
        """(render ms, encode ms, bytes) of one receipt_bytes call."""
        self.spent = 0.0
        start = time.perf_counter()
        data = receipt_bytes(item, options)
        total = time.perf_counter() - start
        return self.spent * 1000, (total - self.spent) * 1000, len(data)


def tickets(catalog: Catalog, count: int, start: int = 0) -> list[Receipt]:
    """A morning's tickets: every procedure in turn, a new number, count, wait and time."""
    fields = {field.id: field for field in catalog.fields}
    items = []
    for index in range(start, start + count):
        procedure = catalog.procedures[index % len(catalog.procedures)]
        field = fields[procedure.field]
        ahead = index * 7 % 41
        number = f"{field.letter}{index // len(fields) + 1:03d}"
        items.append(
            Receipt(
                center_name=catalog.center_name,
                number=number,
                procedure=procedure.short_name,
                field=field.name,
                issued_at=MORNING + timedelta(seconds=97 * index),
                waiting_ahead=ahead,
                estimated_wait_minutes=(ahead * 2, ahead * 3) if ahead else None,
                no_appointment=procedure.no_appointment,
                priority_label=PRIORITIES[index // 10 % 3] if index % 10 == 0 else None,
                ticket_url=f"http://motcua.local/t/2026-11-26-{number}?d=2026-11-26",
            )
        )
    return items


def slips(catalog: Catalog, count: int, start: int = 0) -> list[AppointmentSlip]:
    """Appointment slips of the same morning: each procedure's own documents."""
    fields = {field.id: field for field in catalog.fields}
    items = []
    for index in range(start, start + count):
        procedure = catalog.procedures[index % len(catalog.procedures)]
        number = f"{fields[procedure.field].letter}{index // len(fields) + 1:03d}"
        received = MORNING + timedelta(seconds=131 * index)
        items.append(
            replace(
                SAMPLE_SLIP,
                center_name=catalog.center_name,
                number=number,
                procedure=procedure.name,
                dossier_code=f"000.00.21.H29-261126-{index + 1:04d}",
                received_at=received,
                due_date=date(2026, 11, 27) + timedelta(days=index % 9),
                documents=procedure.documents or SAMPLE_SLIP.documents,
                officer=OFFICERS[index % len(OFFICERS)],
                counter_name=f"Quầy số {index % 6 + 1}",
            )
        )
    return items


def varied(kind: str, catalog: Catalog, count: int, start: int = 0) -> list[Item]:
    make: Callable[..., list] = slips if kind == "slip-80" else tickets
    return make(catalog, count, start)


def whole_page_bytes(item: Item, width_dots: int) -> int:
    """The naive way: the whole render as one raster, then the same native QR and cut."""
    printer = Dummy(profile="TM-T20II")
    printer.hw("INIT")
    printer.set(align="center")
    printer.image(render(item, width_dots), impl="bitImageRaster", center=False)
    printer.set(align="center")
    printer.qr(qr_content(item), size=6 if width_dots >= 576 else 4, native=True)
    printer.cut()
    return len(printer.output)


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the value below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f}"


def cold_child(kind: str) -> None:
    """In a fresh process: time the first receipt of `kind` and print it as JSON."""
    width, item = KINDS[kind]
    clock = RenderClock()
    render_ms, encode_ms, size = clock.time(item, PrintOptions(width_dots=width))
    print(json.dumps({"render": render_ms, "encode": encode_ms, "bytes": size}))


def cold(kind: str, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        child = subprocess.run(
            [sys.executable, "-m", "bench.receipts", "--cold-child", kind],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        results.append(json.loads(child.stdout))
    return results


def row(label: str, timings: list[tuple[float, float, int]], sizes: str) -> str:
    renders = [timing[0] for timing in timings]
    encodes = [timing[1] for timing in timings]
    totals = [timing[0] + timing[1] for timing in timings]
    return (
        f"| {label} | {len(timings)} | {spread(renders)} | {spread(encodes)} | "
        f"{spread(totals)} | {sizes} |"
    )


def byte_columns(items: list[Item], width: int) -> tuple[str, list[int]]:
    """The four byte counts, as 'median (max)' over the items, and the receipt sizes."""
    bands = [len(receipt_bytes(item, PrintOptions(width_dots=width))) for item in items]
    whole = [whole_page_bytes(item, width) for item in items]
    qr_image = [
        len(receipt_bytes(item, PrintOptions(width_dots=width, native_qr=False))) for item in items
    ]
    text = [
        len(receipt_bytes(item, PrintOptions(width_dots=width, text_codepage="cp1258")))
        for item in items
    ]

    def cell(values: list[int]) -> str:
        middle, top = int(statistics.median(values)), max(values)
        return f"{middle:,}" if middle == top else f"{middle:,} ({top:,})"

    return " | ".join(cell(values) for values in (bands, whole, qr_image, text)), bands


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.receipts")
    parser.add_argument("--count", type=int, default=200, help="receipts per warm row")
    parser.add_argument("--cold-runs", type=int, default=10, help="fresh processes per kind")
    parser.add_argument("--cold-child", choices=sorted(KINDS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.cold_child)
        return

    load_before = os.getloadavg()[0]
    catalog = load_catalog(DEFAULT_CATALOG)
    cold_runs = {kind: cold(kind, args.cold_runs) for kind in KINDS}
    clock = RenderClock()
    lines = [
        "| receipt | receipts | render ms p50 / p95 | encode ms p50 / p95 | total ms p50 / p95 "
        "| bytes: bands + native QR | whole-page raster + native QR | bands + QR as image "
        "| text CP1258 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for kind, (width, sample) in KINDS.items():
        label = LABELS[kind]
        options = PrintOptions(width_dots=width)
        first = [(run["render"], run["encode"], int(run["bytes"])) for run in cold_runs[kind]]
        lines.append(row(f"{label}, cold: first in a fresh process", first, "– | – | – | –"))
        if kind == "ticket-80":
            reprints = [clock.time(sample, options) for _ in range(args.count)]
            sizes, _ = byte_columns([sample], width)
            lines.append(row(f"{label}, reprint of one (every block cached)", reprints, sizes))
        for item in varied(kind, catalog, len(catalog.procedures), start=10_000):
            clock.time(item, options)  # every procedure once: the caches a server has
        items = varied(kind, catalog, args.count)
        warm = [clock.time(item, options) for item in items]
        sizes, bands = byte_columns(items, width)
        lines.append(row(f"{label}, warm: {args.count} different", warm, sizes))
        if kind.startswith("ticket"):
            worst = percentile([timing[0] + timing[1] for timing in warm], 0.95)
            verdicts.append(
                f"- {label}: p95 {worst:.1f} ms warm, "
                f"{statistics.median([r + e for r, e, _ in first]):.1f} ms cold (p50) "
                f"against < {TICKET_TARGET_MS:.0f} ms; largest {max(bands):,} bytes"
                + (f" against < {TICKET_TARGET_BYTES:,}" if width == 576 else "")
            )
    print("\n".join(lines))
    print()
    print("\n".join(verdicts))
    print(  # times are wall clock: other work on the machine lengthens them
        f"- load average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
