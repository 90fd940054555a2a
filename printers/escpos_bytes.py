"""A receipt as ESC/POS bytes, through python-escpos's Dummy printer.

Raster mode (the default): the rendered receipt goes as a column of small rasters (GS v 0),
one per run of rows with ink, each cropped to its ink symmetrically about the centre and
printed centred, so it lands exactly where it was drawn; a run of blank rows goes as a
one-byte-wide blank raster. A receipt is mostly white, so this sends about a third of the
bytes of one whole-width image (docs/performance.md) and the paper shows the same picture.

Text mode (`?text=cp1258|tcvn3` on the printer URL): the same layout as lines of code-page
text (printers/text_mode.py), for printers known to print it.

The QR code goes as the printer's native command (GS ( k) where the profile has it, else as
one more raster.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator

from escpos.printer import Dummy
from PIL import Image, ImageOps

from printers.options import PrintOptions
from printers.receipt import AppointmentSlip, Receipt, Rule, Space, Text, layout, render
from printers.text_mode import encode_line

BLANK_STRIP_WIDTH = 8  # dots: the narrowest raster, one byte per row


def qr_content(item: Receipt | AppointmentSlip) -> str:
    """What the QR code holds: the ticket page, or the dossier code on a slip."""
    return item.ticket_url if isinstance(item, Receipt) else item.dossier_code


def ink_bands(image: Image.Image) -> Iterator[Image.Image]:
    """The image cut into horizontal runs of inked and of blank rows, top to bottom.

    An inked run is cropped by the same number of dots on both sides (a multiple of 4, so its
    width stays a whole number of bytes), so printing it centred puts every dot back in place.
    A blank run becomes a blank strip BLANK_STRIP_WIDTH wide.
    """
    bitmap = image.convert("1")
    width, height = bitmap.size
    row_bytes = (width + 7) // 8
    packed = bitmap.tobytes()  # mode "1": a set bit is white, rows padded to whole bytes
    white = b"\xff" * row_bytes
    inked = [packed[y * row_bytes : (y + 1) * row_bytes] != white for y in range(height)]
    start = 0
    while start < height:
        end = start
        while end < height and inked[end] == inked[start]:
            end += 1
        if inked[start]:
            band = bitmap.crop((0, start, width, end))
            left, _, right, _ = ImageOps.invert(band.convert("L")).getbbox() or (0, 0, width, 0)
            side = min(left, width - right) // 4 * 4
            yield band.crop((side, 0, width - side, end - start))
        else:
            yield Image.new("1", (BLANK_STRIP_WIDTH, end - start), 1)
        start = end


def receipt_bytes(item: Receipt | AppointmentSlip, options: PrintOptions | None = None) -> bytes:
    options = options or PrintOptions()
    printer = Dummy(profile=options.profile)
    _know_the_paper_width(printer, options.width_dots)
    printer.hw("INIT")
    printer.set(align="center")
    if options.text_codepage:
        _text_lines(printer, item, options)
    else:
        for band in ink_bands(render(item, options.width_dots)):
            printer.image(band, impl="bitImageRaster", center=False)
    # center=True raises in python-escpos 3.1: the alignment set above centres the QR.
    printer.set(align="center")
    size = 6 if options.width_dots >= 576 else 4
    printer.qr(qr_content(item), size=size, native=options.native_qr)
    printer.cut()
    return printer.output


def _know_the_paper_width(printer: Dummy, width_dots: int) -> None:
    """A profile without a paper width makes python-escpos print a notice on stdout for every
    image; give this printer's own copy of the profile the width we print at."""
    media = printer.profile.profile_data.get("media", {})
    if str(media.get("width", {}).get("pixels", "Unknown")).isdigit():
        return
    data = copy.deepcopy(printer.profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = width_dots
    printer.profile.profile_data = data


def _text_lines(printer: Dummy, item: Receipt | AppointmentSlip, options: PrintOptions) -> None:
    """The layout as text: the big number at 4x, titles at 2x height, bold kept."""
    columns = 48 if options.width_dots >= 576 else 32
    rule = b"-" * columns + b"\n"
    for block in layout(item, options.width_dots):
        if isinstance(block, Rule):
            printer._raw(rule)
        elif isinstance(block, Space):
            printer._raw(b"\n")
        elif isinstance(block, Text):
            _text_block(printer, block, options)
    printer.set(normal_textsize=True, bold=False, align="center")


def _text_block(printer: Dummy, block: Text, options: PrintOptions) -> None:
    big = block.size >= 100
    printer.set(
        align="left" if block.align == "left" else "center",
        bold=block.bold,
        invert=block.inverted,
        custom_size=big,
        width=4 if big else 1,
        height=4 if big else 1,
        double_height=not big and block.size >= 30,
        normal_textsize=not big and block.size < 30,
    )
    text = unicodedata.normalize("NFC", block.text)
    printer._raw(encode_line(text, options.text_codepage or "cp1258", options.profile) + b"\n")
