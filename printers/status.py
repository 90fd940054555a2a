"""Printer health: the states we show, and the ESC/POS real-time status bytes behind them.

DLE EOT n (10 04 n) is answered by the printer at once, even while it is busy: n = 1 gives
the printer status (bit 3: offline, e.g. cover open), n = 4 the paper roll sensor (bits 2-3:
paper near its end, bits 5-6: paper out). Every reply has bits 1 and 4 set and bits 0 and 7
clear, which tells a status byte from noise. No reply means "unknown", never "ok" (measured:
python-escpos's paper_status() says "ok" when nothing came back).
"""

from __future__ import annotations

import re
from typing import Literal

State = Literal["online", "paper_low", "paper_out", "offline", "unknown", "disabled"]

QUERY_PRINTER = b"\x10\x04\x01"
QUERY_PAPER = b"\x10\x04\x04"
QUERIES = (QUERY_PRINTER, QUERY_PAPER)
ANY_QUERY = re.compile(rb"\x10\x04[\x01-\x04]")  # DLE EOT n: each gets one reply byte

FIXED_MASK, FIXED_BITS = 0x93, 0x12
OFFLINE_BIT = 0x08
PAPER_LOW_BITS = 0x0C
PAPER_OUT_BITS = 0x60

# What staff read on the kiosk badge and the console, one line each.
STATE_LABELS: dict[str, str] = {
    "online": "Máy in sẵn sàng",
    "paper_low": "Máy in sắp hết giấy",
    "paper_out": "Máy in hết giấy",
    "offline": "Máy in không kết nối được",
    "unknown": "Chưa rõ trạng thái máy in",
    "disabled": "Không dùng máy in",
}


def is_status_byte(value: int) -> bool:
    return value & FIXED_MASK == FIXED_BITS


def queries_in(data: bytes) -> int:
    """How many DLE EOT queries a job carries by chance (a raster's bytes can spell one): a
    printer answers them as it reads, before the queries we send behind the job."""
    return len(ANY_QUERY.findall(data))


def state_from_replies(printer_byte: int | None, paper_byte: int | None) -> State:
    """The state read from the two replies (None: that query got no valid answer)."""
    if paper_byte is not None and paper_byte & PAPER_OUT_BITS == PAPER_OUT_BITS:
        return "paper_out"
    if printer_byte is not None and printer_byte & OFFLINE_BIT:
        return "offline"
    if paper_byte is not None and paper_byte & PAPER_LOW_BITS == PAPER_LOW_BITS:
        return "paper_low"
    if printer_byte is None and paper_byte is None:
        return "unknown"
    return "online"


def can_print(state: State) -> bool:
    """Send a job only when the printer may print it; unknown means it did not say no."""
    return state in ("online", "paper_low", "unknown")
