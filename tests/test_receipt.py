"""The receipt layout against committed golden PNGs, and its ESC/POS bytes through Dummy.

Regenerate the PNGs after a deliberate layout change, then look at them:
    python -m printers.receipt --write-golden tests/golden
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from printers.escpos_bytes import PrintOptions, ink_bands, receipt_bytes
from printers.receipt import (
    GOLDEN,
    SAMPLE_LONG_NAME,
    SAMPLE_RECEIPT,
    SAMPLE_SLIP,
    official_date,
    render,
    time_and_date,
)

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
TOLERANCE = 0.005  # share of pixels that may differ (font hinting across FreeType versions)


def differing_share(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    same = diff.histogram()[0]
    return 1 - same / (a.width * a.height)


def golden(name: str) -> Image.Image:
    with Image.open(GOLDEN_DIR / name) as image:
        return image.copy()


def decode_rasters(data: bytes, paper_width: int) -> Image.Image:
    """Every GS v 0 block of the stream, stacked and centred as the printer does (the stream
    sets centre alignment first): bit set = black dot."""
    strips = []
    start = data.find(b"\x1dv0")
    while start != -1:
        x_low, x_high, y_low, y_high = data[start + 4 : start + 8]
        row_bytes, rows = x_low + 256 * x_high, y_low + 256 * y_high
        body = data[start + 8 : start + 8 + row_bytes * rows]
        inverted = bytes(255 - b for b in body)  # mode "1" raw: bit set = white
        strips.append(Image.frombytes("1", (row_bytes * 8, rows), inverted))
        start = data.find(b"\x1dv0", start + 8 + len(body))
    image = Image.new("1", (paper_width, sum(s.height for s in strips)), 1)
    top = 0
    for strip in strips:
        image.paste(strip, ((paper_width - strip.width) // 2, top))
        top += strip.height
    return image


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_rendering_matches_the_golden_image(name):
    item, width = GOLDEN[name]
    image = render(item, width)
    expected = golden(name)
    assert image.mode == "1"
    assert image.width == width
    assert abs(image.height - expected.height) <= 2, (image.height, expected.height)
    if image.height != expected.height:
        image = image.crop((0, 0, width, expected.height))
    assert differing_share(image, expected) < TOLERANCE


def test_the_golden_images_are_committed_for_both_widths():
    assert {golden(name).width for name in GOLDEN} == {576, 384}


def test_a_long_procedure_name_wraps_instead_of_overflowing():
    short = render(replace(SAMPLE_LONG_NAME, procedure="Đăng ký khai sinh"), 384)
    long = render(SAMPLE_LONG_NAME, 384)
    assert long.width == short.width == 384
    assert long.height > short.height + 3 * 20


def test_a_word_wider_than_the_paper_is_broken_not_cut():
    word = "Chứngthựcbảnsaotừbảnchínhgiấytờvănbản" * 2
    image = render(replace(SAMPLE_RECEIPT, procedure=word), 384)
    assert image.width == 384
    assert image.height > render(SAMPLE_RECEIPT, 384).height


def test_ink_stays_off_the_edges():
    for item, width in GOLDEN.values():
        image = render(item, width).convert("L")
        left = image.crop((0, 0, 2, image.height))
        right = image.crop((width - 2, 0, width, image.height))
        assert left.getextrema() == (255, 255)
        assert right.getextrema() == (255, 255)


def test_the_no_appointment_badge_is_an_inverted_box():
    with_badge = render(SAMPLE_RECEIPT, 576)
    without = render(replace(SAMPLE_RECEIPT, no_appointment=False), 576)
    black = with_badge.histogram()[0] - without.histogram()[0]
    assert with_badge.height > without.height
    assert black > 576 * 20  # a filled box, not just the words


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 30), "ngày 30 tháng 11 năm 2026"),
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 3, 7), "ngày 07 tháng 3 năm 2026"),
        (date(2026, 12, 10), "ngày 10 tháng 12 năm 2026"),
    ],
)
def test_official_dates(day, text):
    assert official_date(day) == text


def test_time_and_date():
    assert time_and_date(datetime(2026, 11, 26, 9, 5)) == "09:05 — Thứ Năm, 26/11/2026"
    assert time_and_date(datetime(2026, 11, 29, 7, 0)) == "07:00 — Chủ nhật, 29/11/2026"


@pytest.mark.parametrize("item", [SAMPLE_RECEIPT, SAMPLE_SLIP])
def test_escpos_bytes_initialise_raster_native_qr_and_cut(item):
    data = receipt_bytes(item)
    assert data.startswith(b"\x1b@")
    assert b"\x1dv0" in data
    assert b"\x1d(k" in data
    assert data.index(b"\x1dv0") < data.index(b"\x1d(k")
    cut = data.rindex(b"\x1dV")
    assert len(data) - cut <= 4  # GS V m [n]: nothing after the cut


def test_without_native_qr_the_qr_goes_as_a_second_raster():
    data = receipt_bytes(SAMPLE_RECEIPT, PrintOptions(native_qr=False))
    assert b"\x1d(k" not in data
    assert data.count(b"\x1dv0") >= 2
    assert data.rindex(b"\x1dV") > data.rindex(b"\x1dv0")


@pytest.mark.parametrize(("item", "width"), [(SAMPLE_RECEIPT, 576), (SAMPLE_LONG_NAME, 384)])
def test_the_raster_decodes_back_to_the_rendered_image(item, width):
    data = receipt_bytes(item, PrintOptions(width_dots=width))
    decoded = decode_rasters(data[: data.index(b"\x1d(k")], width)
    expected = render(item, width)
    assert decoded.size == expected.size
    assert differing_share(decoded, expected) == 0


@pytest.mark.parametrize(("item", "width"), [(SAMPLE_RECEIPT, 576), (SAMPLE_SLIP, 576)])
def test_bands_send_far_fewer_bytes_than_one_whole_raster(item, width):
    image = render(item, width)
    whole = width // 8 * image.height
    banded = sum(band.width // 8 * band.height for band in ink_bands(image))
    assert banded < whole / 2
    assert all(band.width % 8 == 0 for band in ink_bands(image))


def test_an_80mm_ticket_is_under_20_kb_with_a_native_qr():
    assert len(receipt_bytes(SAMPLE_RECEIPT)) < 20_000


def test_a_blank_image_is_one_narrow_blank_strip():
    bands = list(ink_bands(Image.new("1", (576, 40), 1)))
    assert [band.size for band in bands] == [(8, 40)]
