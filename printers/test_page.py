"""The page `motcua print-test` prints: what a printer makes of Vietnamese, three ways.

One ESC/POS job through python-escpos's Dummy, in four numbered parts:

    1. Ảnh (raster)   the sample drawn like a receipt (printers/receipt.py), always right
    2. Chữ CP1258     the same sample as Windows-1258 text, after ESC t from the profile
    3. Chữ TCVN-3     the same sample as TCVN-3 text (each line in the page that covers it)
    4. Mã QR          a QR code, the printer's own command unless the URL says qr=image

then feed and cut. Where part 2 or 3 reads exactly like part 1, that printer can take
receipts as text (`?text=cp1258` or `?text=tcvn3` on its URL; docs/printers.md).
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from escpos.capabilities import get_profile
from escpos.printer import Dummy
from PIL import Image

from printers.escpos_bytes import PrintOptions, ink_bands
from printers.receipt import Rule, Space, Text, render_blocks, time_and_date
from printers.text_mode import codepage_number, encode_line

TITLE = "TRANG IN THỬ MÁY IN"
# Words a receipt prints, with Đ đ ơ ư ă; the alphabet lines carry every tone on every vowel.
SAMPLE = "Đăng ký khai sinh — Chứng thực — Người cao tuổi — Thứ Năm không hẹn"
VOWELS = "aăâeêioôơuưy"
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang huyền sắc hỏi ngã nặng
VOWELS_PER_LINE = 4  # 28 letters a line: within 32 columns (58 mm) as text
TEXT_PARTS = (("2. Chữ CP1258", "cp1258"), ("3. Chữ TCVN-3", "tcvn3"))
CODE_PAGES = ("CP1258", "TCVN-3-1", "TCVN-3-2")
MODES = {None: "dạng ảnh", "cp1258": "chữ CP1258", "tcvn3": "chữ TCVN-3"}


def alphabet_lines() -> tuple[str, ...]:
    """The 146 Vietnamese letters: each vowel with its six tones, four vowels a line, lower
    case then capitals, đ and Đ closing each half."""
    lines = []
    for case, dd in ((str.lower, "đ"), (str.upper, "Đ")):
        groups = [
            "".join(unicodedata.normalize("NFC", case(vowel) + mark) for mark in TONE_MARKS)
            for vowel in VOWELS
        ]
        for start in range(0, len(groups), VOWELS_PER_LINE):
            lines.append(" ".join(groups[start : start + VOWELS_PER_LINE]))
        lines[-1] += f" {dd}"
    return tuple(lines)


SAMPLE_LINES = (SAMPLE, *alphabet_lines())


@dataclass(frozen=True)
class PrintTestPage:
    """data: the whole ESC/POS job; preview: its raster part (the header and part 1) as it
    prints; code_pages: the ESC t number sent for each code page, None where the profile
    lists none (the text then goes in whatever page the printer has selected)."""

    data: bytes
    preview: Image.Image
    code_pages: dict[str, int | None]


def describe(options: PrintOptions) -> tuple[str, str]:
    """ "Khổ 80 mm (576 chấm) · cấu hình TM-T20II", "QR lệnh của máy in · phiếu dạng ảnh"."""
    paper = 80 if options.width_dots >= 576 else 58
    qr = "lệnh của máy in" if options.native_qr else "dạng ảnh"
    return (
        f"Khổ {paper} mm ({options.width_dots} chấm) · cấu hình {options.profile}",
        f"QR {qr} · phiếu {MODES[options.text_codepage]}",
    )


def text_sizes(options: PrintOptions) -> tuple[int, int, int]:
    """Small, body and title sizes: the receipt's (printers/receipt.py layout)."""
    return (22, 26, 30) if options.width_dots >= 576 else (18, 20, 22)


def raster_part(url: str, options: PrintOptions, moment: datetime) -> Image.Image:
    """The header (title, printer URL and options, date and time) and part 1, drawn."""
    small, body, title = text_sizes(options)
    blocks: list[Text | Rule | Space] = [
        Text(TITLE, title, bold=True),
        Text(url, small),
        *(Text(part, small) for part in describe(options)),
        Text(time_and_date(moment), small),
        Rule(),
        Text("1. Ảnh (raster)", body, bold=True, align="left"),
        *(Text(line, body, align="left") for line in SAMPLE_LINES),
        Space(small),
    ]
    return render_blocks(blocks, options.width_dots)


def qr_heading(qr_text: str, options: PrintOptions) -> Image.Image:
    """Part 4's title and what the code should read as on a phone."""
    small, body, _ = text_sizes(options)
    blocks = [Text("4. Mã QR", body, bold=True, align="left"), Text(qr_text, small)]
    return render_blocks(blocks, options.width_dots)


def profile_width(profile: str) -> int | None:
    """The dots a line of the profile's printer holds; None where the profile does not say."""
    pixels = get_profile(profile).profile_data.get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) else None


def build_test_page(
    url: str, options: PrintOptions, moment: datetime, qr_text: str
) -> PrintTestPage:
    """The test page for the printer at url (its options parsed from it), printed at moment;
    the QR code holds qr_text. ValueError when the paper is wider than the profile's printer
    (python-escpos would refuse the raster)."""
    widest = profile_width(options.profile)
    if widest is not None and options.width_dots > widest:
        raise ValueError(
            f"Cấu hình {options.profile} in được {widest} chấm một dòng, khổ giấy đã chọn cần "
            f"{options.width_dots}: thêm ?paper=58 vào địa chỉ máy in, hoặc chọn cấu hình khác."
        )
    # python-escpos prints a notice on standard output for each image when the profile has
    # no width ("default"): it is about centring, which the page does not ask of it.
    with contextlib.redirect_stdout(io.StringIO()):
        return _build(url, options, moment, qr_text)


def _build(url: str, options: PrintOptions, moment: datetime, qr_text: str) -> PrintTestPage:
    preview = raster_part(url, options, moment)
    printer = Dummy(profile=options.profile)
    printer.hw("INIT")
    printer.set(align="center")  # the ink bands are cropped about the centre
    for band in ink_bands(preview):
        printer.image(band, impl="bitImageRaster", center=False)
    for title, codepage in TEXT_PARTS:
        printer.set(align="left", bold=True)
        printer._raw(encode_line(title, codepage, options.profile) + b"\n")
        printer.set(bold=False)
        for line in SAMPLE_LINES:
            printer._raw(encode_line(line, codepage, options.profile) + b"\n")
        printer._raw(b"\n")
    printer.set(align="center")
    for band in ink_bands(qr_heading(qr_text, options)):
        printer.image(band, impl="bitImageRaster", center=False)
    printer.qr(qr_text, size=6 if options.width_dots >= 576 else 4, native=options.native_qr)
    printer.cut()
    code_pages = {page: codepage_number(options.profile, page) for page in CODE_PAGES}
    return PrintTestPage(printer.output, preview, code_pages)
