"""A rendered receipt as ESC/POS bytes, through python-escpos's Dummy printer.

The text goes as one raster image (GS v 0); the QR code goes as the printer's native command
(GS ( k), or as an image for a printer whose profile lacks it.
"""

from __future__ import annotations

from escpos.printer import Dummy

from printers.receipt import AppointmentSlip, Receipt, render


def qr_content(item: Receipt | AppointmentSlip) -> str:
    """What the QR code holds: the ticket page, or the dossier code on a slip."""
    return item.ticket_url if isinstance(item, Receipt) else item.dossier_code


def receipt_bytes(
    item: Receipt | AppointmentSlip,
    profile: str = "TM-T20II",
    width_dots: int = 576,
    native_qr: bool = True,
) -> bytes:
    printer = Dummy(profile=profile)
    printer.hw("INIT")
    printer.set(align="center")
    printer.image(render(item, width_dots), impl="bitImageRaster", center=False)
    # center=True raises in python-escpos 3.1: the alignment set above centres the QR.
    printer.set(align="center")
    printer.qr(qr_content(item), size=6 if width_dots >= 576 else 4, native=native_qr)
    printer.cut()
    return printer.output
