"""How one printer takes a receipt, as its URL says (printers/connection.py parses it).

Plain values, apart from the drawing and the ESC/POS encoding: a server that parses a
printer URL (the admin's printer form, the print worker's idle check) imports neither
Pillow nor python-escpos for it.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_CODEPAGES = ("cp1258", "tcvn3")  # `?text=`: printers/text_mode.py


@dataclass(frozen=True)
class PrintOptions:
    """How one printer takes a receipt: from the query of its URL (printers/connection.py)."""

    width_dots: int = 576  # 80 mm; 384 for 58 mm paper
    profile: str = "TM-T20II"  # python-escpos capability profile
    native_qr: bool = True
    text_codepage: str | None = None  # None: raster; "cp1258" or "tcvn3": code-page text
