"""The receipt layout: a Receipt or AppointmentSlip drawn to a 1-bit Pillow image.

Vietnamese goes to the printer as a raster, never through a code page (docs/printers.md). The QR
code is not drawn here: escpos_bytes sends it as the printer's native command.

    python -m printers.receipt --write-golden tests/golden
"""

from __future__ import annotations

import argparse
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent / "server" / "static" / "fonts"
REGULAR = FONT_DIR / "NotoSans-Regular.ttf"
BOLD = FONT_DIR / "NotoSans-Bold.ttf"
WIDTHS = (576, 384)  # 80 mm and 58 mm paper, in dots
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
THANKS = "Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!"
SLIP_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
NO_APPOINTMENT = "KHÔNG HẸN — trả kết quả trong ngày"


@dataclass(frozen=True)
class Receipt:
    center_name: str
    number: str
    procedure: str
    field: str
    issued_at: datetime
    waiting_ahead: int
    estimated_wait_minutes: tuple[int, int] | None
    no_appointment: bool
    priority_label: str | None
    ticket_url: str
    # Instead of an estimate, when no counter serves the line now ("Quầy đang tạm nghỉ …").
    wait_note: str | None = None


@dataclass(frozen=True)
class AppointmentSlip:
    center_name: str
    number: str
    procedure: str
    dossier_code: str
    received_at: datetime
    due_date: date
    documents: tuple[str, ...]
    officer: str
    counter_name: str


def from_document(kind: str, document: dict[str, Any]) -> Receipt | AppointmentSlip:
    """A receipt from the JSON document its print job stored (server/printing/
    receipt_documents.py)."""
    if kind == "ticket":
        estimate = document["estimated_wait_minutes"]
        return Receipt(
            center_name=document["center_name"],
            number=document["number"],
            procedure=document["procedure"],
            field=document["field"],
            issued_at=datetime.fromisoformat(document["issued_at"]),
            waiting_ahead=document["waiting_ahead"],
            estimated_wait_minutes=(estimate[0], estimate[1]) if estimate else None,
            no_appointment=document["no_appointment"],
            priority_label=document["priority_label"],
            ticket_url=document["ticket_url"],
            wait_note=document.get("wait_note"),
        )
    if kind == "slip":
        return AppointmentSlip(
            center_name=document["center_name"],
            number=document["number"],
            procedure=document["procedure"],
            dossier_code=document["dossier_code"],
            received_at=datetime.fromisoformat(document["received_at"]),
            due_date=date.fromisoformat(document["due_date"]),
            documents=tuple(document["documents"]),
            officer=document["officer"],
            counter_name=document["counter_name"],
        )
    raise ValueError(f"unknown receipt kind {kind!r}")


def official_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2026": a leading zero below 10 for days, for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def time_and_date(moment: datetime) -> str:
    """ "09:05 — Thứ Năm, 26/11/2026"."""
    return f"{moment:%H:%M} — {WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


@dataclass(frozen=True)
class Text:
    text: str
    size: int
    bold: bool = False
    align: str = "center"
    inverted: bool = False
    tight: bool = False  # crop to the ink: the large number needs no room for tone marks


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Space:
    dots: int


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break on spaces; a word wider than the line is broken between letters. Nothing is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while font.getlength(word) > width:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _fit(text: str, bold: bool, size: int, width: int, smallest: int = 8) -> int:
    """The largest size from `size` down to `smallest` at which text fits on one line."""
    while size > smallest and _font(bold, size).getlength(text) > width:
        size -= 2
    return size


def _padding(item: Text) -> int:
    """Room inside an inverted box, around its words."""
    return item.size // 4 if item.inverted else 0


def _lines(item: Text, width: int, margin: int) -> list[str]:
    """The lines one block is drawn as: what _draw_text draws and receipt_text reads."""
    inner = width - 2 * margin - 2 * _padding(item)
    return _wrap(item.text, _font(item.bold, item.size), inner)


@lru_cache(maxsize=512)
def _text_bits(item: Text, width: int, margin: int) -> tuple[tuple[int, int], bytes]:
    """One block of text as a 1-bit strip of the receipt's width, packed (size, bits).
    Cached: most blocks (the center, the titles, a procedure and its field) repeat on every
    ticket, and glyph rendering is most of a receipt's time. Packed, because a drawn strip
    holds a byte a dot: 512 of them held ~23 MB for the server's life, their bits ~3 MB."""
    strip = _threshold(_draw_text(item, width, margin))
    return strip.size, strip.tobytes()


def _text_strip(item: Text, width: int, margin: int) -> Image.Image:
    size, bits = _text_bits(item, width, margin)
    return Image.frombytes("1", size, bits)


def _threshold(image: Image.Image) -> Image.Image:
    """Mode "1": a dot prints where the drawing is darker than mid-grey (no dithering)."""
    return image.point(lambda value: 255 if value >= 128 else 0).convert(
        "1", dither=Image.Dither.NONE
    )


def _draw_text(item: Text, width: int, margin: int) -> Image.Image:
    """One block of text as a greyscale strip of the receipt's width."""
    font = _font(item.bold, item.size)
    ascent, descent = font.getmetrics()
    pad = _padding(item)
    lines = _lines(item, width, margin)
    line_height = ascent + descent
    if item.tight:
        _, top, _, bottom = font.getbbox(item.text, anchor="ls")
        ascent, line_height = -top, bottom - top
    height = line_height * len(lines) + 2 * pad
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    ink = 0
    if item.inverted:  # a box hugging the words: black dots cost paper, heat and bytes
        widest = max(font.getlength(line) for line in lines)
        left = max(margin, int((width - widest) / 2) - 2 * pad)
        draw.rectangle((left, 0, width - left - 1, height - 1), fill=0)
        ink = 255
    for index, line in enumerate(lines):
        baseline = pad + index * line_height + ascent
        if item.align == "center":
            x, anchor = width / 2, "ms"
        else:
            x, anchor = margin + pad, "ls"
        draw.text((x, baseline), line, font=font, fill=ink, anchor=anchor)
    return image


def layout(item: Receipt | AppointmentSlip, width: int) -> list[Text | Rule | Space]:
    small = 22 if width >= 576 else 18
    body = 26 if width >= 576 else 20
    title = 30 if width >= 576 else 22
    line = width - width // 12
    number = _fit(item.number, True, 156 if width >= 576 else 120, width - width // 8)
    center = item.center_name.upper()
    blocks: list[Text | Rule | Space] = [
        # One line when it fits at a slightly smaller size: a second line costs ~2 KB.
        Text(center, _fit(center, True, small, line, small - 4), bold=True),
    ]
    if isinstance(item, Receipt):
        blocks += [
            Rule(),
            Text("PHIẾU SỐ THỨ TỰ", title, bold=True),
            Space(small // 2),
            Text(item.number, number, bold=True, tight=True),
            Space(small // 2),
            Text(item.procedure, body, bold=True),
            Text(f"Lĩnh vực: {item.field}", small),
            Space(small // 2),
        ]
        if item.no_appointment:
            blocks += [
                Text(
                    NO_APPOINTMENT,
                    _fit(NO_APPOINTMENT, True, body, line - body // 2, small),
                    bold=True,
                    inverted=True,
                ),
                Space(small // 2),
            ]
        if item.priority_label:
            blocks.append(Text(f"Ưu tiên: {item.priority_label}", body, bold=True))
        blocks.append(Text(f"Số người chờ trước: {item.waiting_ahead}", body))
        if item.estimated_wait_minutes:
            low, high = item.estimated_wait_minutes
            span = f"{low} phút" if low == high else f"{low}–{high} phút"
            blocks.append(Text(f"Thời gian chờ dự kiến: {span}", body))
        elif item.wait_note:
            blocks.append(Text(item.wait_note, body))
        blocks += [
            Text(time_and_date(item.issued_at), small),
            Rule(),
            Text(THANKS, _fit(THANKS, False, small, line, small - 4)),
        ]
    else:
        code = f"Mã hồ sơ: {item.dossier_code}"
        due = f"Hẹn trả kết quả: {official_date(item.due_date)}"
        blocks += [
            Rule(),
            Text(SLIP_TITLE, _fit(SLIP_TITLE, True, title, line, small), bold=True),
            Space(small // 2),
            Text(item.number, number * 2 // 3, bold=True, tight=True),
            Space(small // 2),
            Text(item.procedure, body, bold=True),
            Text(code, _fit(code, True, body, line, small), bold=True),
            Text(f"Tiếp nhận: {time_and_date(item.received_at)}", small),
            Text(due, _fit(due, True, body, line, small), bold=True),
            Rule(),
            Text("Giấy tờ đã nhận:", small, bold=True, align="left"),
        ]
        blocks += [
            Text(f"{index}. {name}", small, align="left")
            for index, name in enumerate(item.documents, start=1)
        ]
        blocks += [
            Rule(),
            Text(f"Cán bộ tiếp nhận: {item.officer}", small),
            Text(item.counter_name, small),
        ]
    return blocks


def render(item: Receipt | AppointmentSlip, width_dots: int) -> Image.Image:
    """The whole receipt, width_dots wide (576 for 80 mm, 384 for 58 mm), mode "1"."""
    return render_blocks(layout(item, width_dots), width_dots)


def _margin(width_dots: int) -> int:
    return width_dots // 48


def _normalized(block: Text) -> Text:
    """The block with its text in NFC (a catalog may hold decomposed tone marks): the form
    it is drawn in, and so the form its lines are read in."""
    return replace(block, text=unicodedata.normalize("NFC", block.text))


def receipt_text(item: Receipt | AppointmentSlip, width_dots: int = 576) -> list[str]:
    """What the receipt says: each line of text that render draws, top to bottom, wrapped as
    on paper of this width (a long procedure name takes several lines).

    Read from the same layout blocks and the same wrapping as the image, not from a second
    copy of the wording, so a test of these lines is a test of what the citizen reads; the
    OCR test (tests/test_receipt_ocr.py) checks that the raster says them too."""
    margin = _margin(width_dots)
    return [
        line
        for block in layout(item, width_dots)
        if isinstance(block, Text)
        for line in _lines(_normalized(block), width_dots, margin)
    ]


def render_blocks(blocks: list[Text | Rule | Space], width_dots: int) -> Image.Image:
    """Blocks drawn one under another the way a receipt is (its font, margins and 1-bit
    threshold), mode "1": the receipt's layout, or other text such as the test page's."""
    margin = _margin(width_dots)
    parts: list[Image.Image] = []
    for block in blocks:
        if isinstance(block, Text):
            parts.append(_text_strip(_normalized(block), width_dots, margin))
        elif isinstance(block, Rule):
            rule = Image.new("L", (width_dots, 12), 255)
            ImageDraw.Draw(rule).line((margin, 5, width_dots - margin, 5), fill=0, width=2)
            parts.append(_threshold(rule))
        else:
            parts.append(Image.new("1", (width_dots, block.dots), 1))
    # Each part is thresholded on its own: the same dots as thresholding the stacked page.
    canvas = Image.new("1", (width_dots, sum(part.height for part in parts)), 1)
    top = 0
    for part in parts:
        canvas.paste(part, (0, top))
        top += part.height
    return canvas


# The examples the golden images in tests/golden are drawn from.
SAMPLE_RECEIPT = Receipt(
    center_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
    number="A025",
    procedure="Đăng ký khai sinh",
    field="Hộ tịch",
    issued_at=datetime(2026, 11, 26, 9, 5),
    waiting_ahead=12,
    estimated_wait_minutes=(20, 30),
    no_appointment=True,
    priority_label="Người cao tuổi",
    ticket_url="http://motcua.local/t/A025?d=2026-11-26",
)
SAMPLE_LONG_NAME = Receipt(
    center_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
    number="B107",
    procedure=(
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền "
        "với đất lần đầu cho hộ gia đình, cá nhân đã được giao đất để quản lý"
    ),
    field="Đất đai",
    issued_at=datetime(2026, 11, 26, 14, 40),
    waiting_ahead=3,
    estimated_wait_minutes=None,
    no_appointment=False,
    priority_label=None,
    ticket_url="http://motcua.local/t/B107?d=2026-11-26",
)
SAMPLE_SLIP = AppointmentSlip(
    center_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
    number="C012",
    procedure="Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    dossier_code="000.00.21.H29-261126-0012",
    received_at=datetime(2026, 11, 26, 10, 15),
    due_date=date(2026, 11, 30),
    documents=("Tờ khai (bản chính)", "Căn cước công dân (bản sao)", "Sổ hộ khẩu cũ"),
    officer="Nguyễn Thị Hồng Nhung",
    counter_name="Quầy số 3",
)
GOLDEN = {
    "receipt-80mm.png": (SAMPLE_RECEIPT, 576),
    "receipt-58mm.png": (SAMPLE_RECEIPT, 384),
    "slip-80mm.png": (SAMPLE_SLIP, 576),
    "receipt-long-name-58mm.png": (SAMPLE_LONG_NAME, 384),
}


def write_golden(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, (item, width) in GOLDEN.items():
        render(item, width).save(directory / name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m printers.receipt")
    parser.add_argument("--write-golden", type=Path, required=True, metavar="DIR")
    write_golden(parser.parse_args(argv).write_golden)


if __name__ == "__main__":
    main()
