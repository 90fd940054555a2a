"""The admin's printer settings: which printer a kiosk or a counter prints to.

The queues are those of the print spool (server/printing/spool.py): "default" prints to
MOTCUA_PRINTER unless the admin gives it a URL; "kiosk:<name>" and "counter:<id>" print to
their own printer once given one, else to the default. A URL is checked with the printers'
own parser before it is saved, so a typing mistake is refused here, not at the first ticket.
"""

from __future__ import annotations

from typing import Any

from printers.connection import PrinterError, parse_printer_url
from server.clock import Clock
from server.errors import InvalidInput, NotFound
from server.printing.spool import (
    QUEUE_NAME,
    PrinterStatusChanged,
    printer_status,
    printer_statuses,
)
from server.settings import Settings
from server.setup.admin.input import Rule, check_body, refuse
from server.setup.audit import audited_change
from server.storage.db import Database, add_event

PRINTER_RULES = {"url": Rule("Địa chỉ máy in", str)}


def list_printers(db: Database, settings: Settings) -> list[dict[str, Any]]:
    """Every configured queue with its state, its own URL (None: prints to the default) and,
    for the default, the MOTCUA_PRINTER it falls back to."""
    urls = dict(db.execute("SELECT name, url FROM printers").fetchall())
    return [
        {
            **status,
            "url": urls.get(status["printer"]),
            "fallback_url": settings.printer if status["printer"] == "default" else None,
        }
        for status in printer_statuses(db)
    ]


def set_printer(
    db: Database, clock: Clock, settings: Settings, user_id: int | None, queue: str, body: Any
) -> dict[str, Any]:
    """Give a queue its printer URL, or none (null or blank: back to the default printer, or
    for the default itself to MOTCUA_PRINTER). A new kiosk:<name> or counter:<id> queue is
    created on its first URL."""
    if not QUEUE_NAME.fullmatch(queue):
        raise InvalidInput(
            f"Tên máy in không hợp lệ: '{queue}' (default, kiosk:TÊN hoặc counter:SỐ).",
            "invalid_printer_name",
        )
    url = check_body(body, PRINTER_RULES, creating=False).get("url")
    if url is not None:
        try:
            parse_printer_url(url)
        except PrinterError as error:
            raise refuse("url", str(error)) from None
    with audited_change(db, clock, user_id, "printer.update", "printers") as change:
        if queue.startswith("counter:"):
            counter_id = int(queue.partition(":")[2])
            if not db.execute("SELECT 1 FROM counters WHERE id = ?", [counter_id]).fetchone():
                raise NotFound(f"Không có quầy {counter_id}.", "counter_not_found")
        row = db.execute("SELECT url FROM printers WHERE name = ?", [queue]).fetchone()
        # The spool's configure_printer writes the same row, in a transaction of its own: the
        # audit entry must share this one.
        db.execute(
            """INSERT INTO printers (name, url) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET url = excluded.url""",
            [queue, url],
        )
        change.record(
            f"printer:{queue}",
            before={"url": row[0] if row else None},
            after={"url": url},
        )
        status = printer_status(db, queue)
        add_event(db, PrinterStatusChanged(status))  # never the URL: kiosks show it
    return {**status, "url": url, "fallback_url": settings.printer if queue == "default" else None}
