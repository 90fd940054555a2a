"""The receipt read back from its raster by OCR: what the paper says, not what the code meant.

tests/test_receipt_text.py checks the lines the layout draws; this reads the 1-bit image the
printer gets with tesseract and finds the lines a citizen checks, exactly: the number, the
procedure, "Số người chờ trước", the wait, the time and date (and on a slip its dossier code
and due date). A digit drawn wrong, a line drawn over another or off the paper fails here.

Needs Debian's tesseract-ocr, tesseract-ocr-vie and tesseract-ocr-eng (.ci/run installs them);
without them these tests fail and say so, they are never skipped.

How the image is read (measured on random tickets at both widths; docs/printers.md): the text
lines with the Vietnamese model after softening the 1-bit edges by half a dot and enlarging
1.5× (one key line misread in 144 tickets); the big number with the English model at 0.6 of
the size (240 of 240), since the Vietnamese one misreads it ("E480" as "E450") or drops it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import datetime

import pytest
from PIL import Image, ImageFilter, ImageOps

from printers.receipt import SAMPLE_RECEIPT, SAMPLE_SLIP, render
from printers.receipt import receipt_text as layout_lines

PACKAGES = "tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng"
LINES_SCALE = 1.5
NUMBER_SCALE = 0.6
BORDER = 16  # white dots around the page: text touching the edge is read worse
TIMEOUT = 60  # seconds for one read; it takes well under one

AFTERNOON = replace(
    SAMPLE_RECEIPT,
    number="B107",
    procedure="Chứng thực chữ ký",
    field="Chứng thực",
    issued_at=datetime(2026, 11, 27, 14, 48, 31),
    waiting_ahead=27,
    estimated_wait_minutes=(35, 53),
    no_appointment=False,
    priority_label=None,
)
CASES = {
    "ticket-80mm": (
        SAMPLE_RECEIPT,
        576,
        [
            "Đăng ký khai sinh",
            "KHÔNG HẸN — trả kết quả trong ngày",
            "Ưu tiên: Người cao tuổi",
            "Số người chờ trước: 12",
            "Thời gian chờ dự kiến: 20–30 phút",
            "09:05 — Thứ Năm, 26/11/2026",
        ],
    ),
    "ticket-58mm": (
        SAMPLE_RECEIPT,
        384,
        [
            "Đăng ký khai sinh",
            "Ưu tiên: Người cao tuổi",
            "Số người chờ trước: 12",
            "Thời gian chờ dự kiến: 20–30 phút",
            "09:05 — Thứ Năm, 26/11/2026",
        ],
    ),
    "afternoon-80mm": (
        AFTERNOON,
        576,
        [
            "Chứng thực chữ ký",
            "Số người chờ trước: 27",
            "Thời gian chờ dự kiến: 35–53 phút",
            "14:48 — Thứ Sáu, 27/11/2026",
        ],
    ),
    "afternoon-58mm": (
        AFTERNOON,
        384,
        [
            "Chứng thực chữ ký",
            "Số người chờ trước: 27",
            "Thời gian chờ dự kiến: 35–53 phút",
            "14:48 — Thứ Sáu, 27/11/2026",
        ],
    ),
    "slip-80mm": (
        SAMPLE_SLIP,
        576,
        [
            "Mã hồ sơ: 000.00.21.H29-261126-0012",
            "Tiếp nhận: 10:15 — Thứ Năm, 26/11/2026",
            "Hẹn trả kết quả: ngày 30 tháng 11 năm 2026",
        ],
    ),
}


@pytest.fixture(scope="module")
def tesseract() -> str:
    """The tesseract command, with the Vietnamese and English models."""
    binary = shutil.which("tesseract")
    assert binary, f"tesseract is missing: apt-get install {PACKAGES} (.ci/run does)"
    listed = subprocess.run(
        [binary, "--list-langs"], capture_output=True, text=True, check=True, timeout=TIMEOUT
    ).stdout.split()
    missing = {"vie", "eng"} - set(listed)
    assert not missing, f"tesseract lacks {sorted(missing)}: apt-get install {PACKAGES}"
    return binary


def for_lines(page: Image.Image) -> Image.Image:
    """The page as tesseract reads its text lines best: the 1-bit staircase edges softened
    by half a dot, then enlarged so the 58 mm paper's 18-dot letters are 27 tall."""
    grey = page.convert("L").filter(ImageFilter.GaussianBlur(0.5))
    size = (round(page.width * LINES_SCALE), round(page.height * LINES_SCALE))
    return ImageOps.expand(grey.resize(size, Image.Resampling.LANCZOS), BORDER, fill=255)


def for_number(page: Image.Image) -> Image.Image:
    """The page at 0.6 of its size. At full size the number's 120 to 156-dot letters are too
    tall for the English model ("G768" read as "G/68"); at half size its page segmentation
    now and then loses the number's line."""
    size = (round(page.width * NUMBER_SCALE), round(page.height * NUMBER_SCALE))
    grey = page.convert("L").resize(size, Image.Resampling.LANCZOS)
    return ImageOps.expand(grey, BORDER, fill=255)


def read(tesseract: str, image: Image.Image, language: str) -> list[str]:
    """The lines tesseract reads on the image (automatic page segmentation, --psm 3), NFC,
    blank lines dropped."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    command = [tesseract, "stdin", "stdout", "-l", language, "--psm", "3"]
    result = subprocess.run(
        command,
        input=png.getvalue(),
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
        # One thread: the suite runs in parallel processes, and tesseract's threads only
        # contend with them (0.4 s a page instead of 2 s).
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    text = unicodedata.normalize("NFC", result.stdout.decode("utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip()]


def as_number(line: str) -> str:
    """A line taken as a ticket number, one letter and three digits. Noto Sans Bold's zero is
    a narrower O and the English model prefers a letter after a letter ("F099" read as
    "FO99"); among the digits an O can only be a 0."""
    return line[:1] + line[1:].replace("O", "0")


def same_dash(line: str) -> str:
    """OCR reads the en dash of "20–30 phút" as a hyphen; the figures are what count."""
    return line.replace("–", "-")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_printed_lines_read_back_exactly(tesseract, case):
    item, width, expected = CASES[case]
    page = render(item, width)
    drawn = layout_lines(item, width)
    assert [line for line in expected if line not in drawn] == []
    lines = [same_dash(line) for line in read(tesseract, for_lines(page), "vie")]
    assert [line for line in expected if same_dash(line) not in lines] == [], lines


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_big_number_reads_back_exactly(tesseract, case):
    item, width, _ = CASES[case]
    lines = read(tesseract, for_number(render(item, width)), "eng")
    assert item.number in [as_number(line) for line in lines], lines


def test_a_receipt_one_off_does_not_read_as_the_right_one(tesseract):
    """The reading is exact, not approximate: one more person ahead and one minute later
    read as such, so a wrong receipt could not pass for the right one."""
    wrong = replace(
        SAMPLE_RECEIPT, waiting_ahead=13, issued_at=datetime(2026, 11, 26, 9, 6), number="A026"
    )
    page = render(wrong, 576)
    lines = read(tesseract, for_lines(page), "vie")
    assert "Số người chờ trước: 13" in lines and "Số người chờ trước: 12" not in lines
    assert "09:06 — Thứ Năm, 26/11/2026" in lines
    assert "09:05 — Thứ Năm, 26/11/2026" not in lines
    numbers = [as_number(line) for line in read(tesseract, for_number(page), "eng")]
    assert "A026" in numbers and "A025" not in numbers
