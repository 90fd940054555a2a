"""Printer URLs and the backends behind print_receipt, with a fake LAN printer on 127.0.0.1."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image

from printers.connection import (
    PrinterError,
    PrinterTarget,
    TcpPrinter,
    open_printer,
    parse_printer_url,
)
from printers.escpos_bytes import PrintOptions, receipt_bytes
from printers.receipt import SAMPLE_RECEIPT, SAMPLE_SLIP, AppointmentSlip
from printers.text_mode import cp1258_bytes, tcvn3_line
from tests.fake_printer import FakeLanPrinter, qr_content
from tests.live_server import free_port

VIETNAMESE = set("Đđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("tcp://192.168.1.50:9100", PrinterTarget("tcp", host="192.168.1.50", port=9100)),
        ("tcp://printer.local", PrinterTarget("tcp", host="printer.local", port=9100)),
        ("tcp://10.0.0.7:9101/", PrinterTarget("tcp", host="10.0.0.7", port=9101)),
        ("usb://04b8:0202", PrinterTarget("usb", vendor_id=0x04B8, product_id=0x0202)),
        ("usb://0416:5011", PrinterTarget("usb", vendor_id=0x0416, product_id=0x5011)),
        (
            "serial:///dev/ttyUSB0?baudrate=19200",
            PrinterTarget("serial", device="/dev/ttyUSB0", baudrate=19200),
        ),
        ("serial:///dev/ttyS1", PrinterTarget("serial", device="/dev/ttyS1", baudrate=9600)),
        ("file:/dev/usb/lp0", PrinterTarget("file", path="/dev/usb/lp0")),
        ("dir:var/receipts", PrinterTarget("dir", path="var/receipts")),
        ("dir:/tmp/phieu", PrinterTarget("dir", path="/tmp/phieu")),
        ("none", PrinterTarget("none")),
    ],
)
def test_parses_printer_urls(url: str, target: PrinterTarget) -> None:
    assert parse_printer_url(url) == target


@pytest.mark.parametrize(
    "url",
    [
        "",
        "var/receipts",
        "http://printer:80",
        "tcp://",
        "tcp://host:port",
        "tcp://host:99999",
        "usb://04b8",
        "usb://zzzz:0202",
        "usb://04b8:0202/x",
        "serial://dev/ttyUSB0",
        "serial:///dev/ttyUSB0?baudrate=fast",
        "serial:///dev/ttyUSB0?parity=N",
        "file:",
        "dir:",
        "None",
        "tcp://192.168.1.50\x00:9100",
        "file:/dev/usb/lp0\x00",
        "dir:var/receipts\n/x",
    ],
)
def test_rejects_bad_urls_naming_them(url: str) -> None:
    with pytest.raises(PrinterError) as raised:
        parse_printer_url(url)
    message = str(raised.value)
    assert repr(url) in message
    assert "không hợp lệ" in message


def test_none_prints_nothing() -> None:
    assert open_printer("none").print_receipt(SAMPLE_RECEIPT) == "disabled"


def test_dir_writes_bin_and_png_preview(tmp_path) -> None:
    target = tmp_path / "var" / "receipts"
    open_printer(f"dir:{target}").print_receipt(SAMPLE_RECEIPT)
    bins, pngs = sorted(target.glob("*.bin")), sorted(target.glob("*.png"))
    assert len(bins) == 1 and len(pngs) == 1
    assert bins[0].name == "A025-20261126-090500.bin" and pngs[0].stem == bins[0].stem
    data = bins[0].read_bytes()
    assert data.startswith(b"\x1b@")
    assert data == receipt_bytes(SAMPLE_RECEIPT)
    with Image.open(pngs[0]) as image:
        assert image.width == 576 and image.height > 200


def test_dir_reprint_never_overwrites(tmp_path) -> None:
    printer = open_printer(f"dir:{tmp_path}")
    printer.print_receipt(SAMPLE_RECEIPT)
    printer.print_receipt(SAMPLE_RECEIPT)
    names = sorted(p.name for p in tmp_path.glob("*.bin"))
    assert names == ["A025-20261126-090500-2.bin", "A025-20261126-090500.bin"]


def test_dir_failure_is_a_printer_error(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(PrinterError, match="Không ghi được"):
        open_printer(f"dir:{blocker}/sub").print_receipt(SAMPLE_RECEIPT)


def test_file_writes_the_bytes(tmp_path) -> None:
    device = tmp_path / "lp0"
    open_printer(f"file:{device}").print_receipt(SAMPLE_RECEIPT)
    assert device.read_bytes() == receipt_bytes(SAMPLE_RECEIPT)


def test_file_failure_is_a_printer_error(tmp_path) -> None:
    with pytest.raises(PrinterError, match="Không ghi được tới máy in"):
        open_printer(f"file:{tmp_path}/missing/lp0").print_receipt(SAMPLE_RECEIPT)


@pytest.fixture
def lan_printer() -> Iterator[FakeLanPrinter]:
    printer = FakeLanPrinter()
    yield printer
    printer.close()


def test_tcp_delivers_exactly_the_receipt_bytes(lan_printer: FakeLanPrinter) -> None:
    printer = open_printer(f"tcp://127.0.0.1:{lan_printer.port}")
    printer.print_receipt(SAMPLE_RECEIPT)
    assert lan_printer.wait_for_jobs(1) == [receipt_bytes(SAMPLE_RECEIPT)]


def test_tcp_printer_gone_then_back_without_a_new_printer_object() -> None:
    first = FakeLanPrinter()
    port = first.port
    printer = open_printer(f"tcp://127.0.0.1:{port}")
    assert isinstance(printer, TcpPrinter)
    printer.print_receipt(SAMPLE_RECEIPT)
    assert first.wait_for_jobs(1) == [receipt_bytes(SAMPLE_RECEIPT)]
    first.close()

    with pytest.raises(PrinterError) as raised:
        printer.print_receipt(SAMPLE_RECEIPT)
    message = str(raised.value)
    assert message.startswith("Không kết nối được máy in mạng")
    assert f"127.0.0.1:{port}" in message
    assert set(message) & VIETNAMESE

    second = FakeLanPrinter(port)
    try:
        printer.print_receipt(SAMPLE_RECEIPT)
        assert second.wait_for_jobs(1) == [receipt_bytes(SAMPLE_RECEIPT)]
    finally:
        second.close()


def test_tcp_nothing_listening_is_a_printer_error() -> None:
    printer = TcpPrinter("127.0.0.1", free_port(), timeout=1.0)
    with pytest.raises(PrinterError, match="máy in mạng"):
        printer.print_receipt(SAMPLE_RECEIPT)


def test_the_printed_job_carries_the_ticket_page_in_its_qr(lan_printer: FakeLanPrinter) -> None:
    open_printer(f"tcp://127.0.0.1:{lan_printer.port}").print_receipt(SAMPLE_RECEIPT)
    lan_printer.wait_for_jobs(1)
    assert lan_printer.printed_qr_codes() == [SAMPLE_RECEIPT.ticket_url]


def test_paper_out_refuses_the_job_before_sending_it(lan_printer: FakeLanPrinter) -> None:
    lan_printer.paper = "out"
    printer = open_printer(f"tcp://127.0.0.1:{lan_printer.port}")
    with pytest.raises(PrinterError) as raised:
        printer.print_receipt(SAMPLE_RECEIPT)
    assert raised.value.state == "paper_out"
    assert "hết giấy" in str(raised.value)
    assert printer.status() == "paper_out"
    assert lan_printer.jobs == [] and lan_printer.lost == []  # not even sent

    lan_printer.paper = "ok"
    assert printer.print_receipt(SAMPLE_RECEIPT) == "online"
    assert len(lan_printer.wait_for_jobs(1)) == 1


def test_paper_low_still_prints_and_says_so(lan_printer: FakeLanPrinter) -> None:
    lan_printer.paper = "low"
    printer = open_printer(f"tcp://127.0.0.1:{lan_printer.port}")
    assert printer.print_receipt(SAMPLE_RECEIPT) == "paper_low"
    assert len(lan_printer.wait_for_jobs(1)) == 1


def quick(printer: FakeLanPrinter) -> TcpPrinter:
    """A TcpPrinter on the fake that gives up after a second: a hung printer must not make
    the test wait for the real timeouts (and a loaded machine still answers within it)."""
    return TcpPrinter(
        "127.0.0.1", printer.port, timeout=1.0, status_timeout=1.0, confirm_timeout=1.0
    )


def test_a_printer_that_never_answers_status_gets_nothing_until_it_does(
    lan_printer: FakeLanPrinter,
) -> None:
    lan_printer.silent = True
    printer = quick(lan_printer)
    assert printer.status() == "offline"  # it cannot print: the kiosk shows the number large
    with pytest.raises(PrinterError) as raised:
        printer.print_receipt(SAMPLE_RECEIPT)
    assert raised.value.state == "offline"
    assert "không trả lời" in str(raised.value) and "chưa gửi phiếu" in str(raised.value)
    # Sent, it could never be confirmed and would print again on every retry: not sent.
    assert lan_printer.wait_for_jobs(1, timeout=0.3) == []

    lan_printer.silent = False
    assert printer.print_receipt(SAMPLE_RECEIPT) == "online"
    assert lan_printer.wait_for_jobs(1) == [receipt_bytes(SAMPLE_RECEIPT)]


def test_a_printer_that_accepts_and_never_reads_has_not_printed(
    lan_printer: FakeLanPrinter,
) -> None:
    lan_printer.deaf = True
    started = time.monotonic()
    with pytest.raises(PrinterError) as raised:
        quick(lan_printer).print_receipt(SAMPLE_RECEIPT)
    assert raised.value.state == "offline"
    assert time.monotonic() - started < 3.0  # the status timeout, not the kernel's


def test_a_printer_that_stops_reading_after_its_status_does_not_confirm_the_receipt(
    lan_printer: FakeLanPrinter,
) -> None:
    """The receipt fits in the kernels' buffers, so sending it succeeds: only the missing
    answer behind it tells that the printer never took it."""
    lan_printer.stalls_after_status = True
    printer = quick(lan_printer)
    assert printer.status() == "online"  # it answers when asked first…
    with pytest.raises(PrinterError) as raised:
        printer.print_receipt(SAMPLE_RECEIPT)  # …but never reads the receipt
    assert raised.value.state == "offline"
    assert "không xác nhận đã nhận phiếu" in str(raised.value)
    assert lan_printer.jobs == []


def test_a_printer_that_stops_reading_fails_the_write_once_the_buffers_are_full() -> None:
    hung = FakeLanPrinter(receive_buffer=4096)
    hung.stalls_after_status = True
    try:
        started = time.monotonic()
        with pytest.raises(PrinterError) as raised:
            # More than both kernels buffer (their send buffer grows to a few MB).
            quick(hung).print_bytes(b"\x00" * 32_000_000, "lon")
        assert raised.value.state == "offline"
        assert "không nhận hết phiếu" in str(raised.value)
        assert time.monotonic() - started < 3.0  # the write timeout, not forever
    finally:
        hung.close()


def test_queries_a_raster_spells_by_chance_do_not_pass_for_the_confirmation(
    lan_printer: FakeLanPrinter,
) -> None:
    """A printer answers DLE EOT wherever it reads one, raster bytes included: the state
    after the job is its answer to the queries sent behind it, read after those replies."""
    lan_printer.paper = "low"
    # DLE EOT 4 then 1 inside the raster: read as our replies, the paper byte (0x1e) would
    # pass for a printer byte with its offline bit set.
    job = b"\x1b@\x1dv0\x00\x01\x00\x02\x00\x10\x04\x04\x10\x04\x01raster\x1dV\x00"
    assert quick(lan_printer).print_bytes(job, "trung") == "paper_low"
    assert lan_printer.wait_for_jobs(1) == [job]
    assert lan_printer.status_queries == 6


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("tcp://10.0.0.7:9100?paper=58", PrintOptions(width_dots=384)),
        ("dir:var/r?text=cp1258", PrintOptions(text_codepage="cp1258")),
        (
            "usb://0416:5011?profile=POS-5890&paper=58&qr=image",
            PrintOptions(384, "POS-5890", False),
        ),
        ("serial:///dev/ttyS0?baudrate=19200&text=tcvn3", PrintOptions(text_codepage="tcvn3")),
    ],
)
def test_url_options(url: str, options: PrintOptions) -> None:
    assert parse_printer_url(url).options == options


@pytest.mark.parametrize(
    "url",
    [
        "tcp://10.0.0.7:9100?paper=110",
        "tcp://10.0.0.7:9100?text=utf8",
        "tcp://10.0.0.7:9100?qr=yes",
        "tcp://10.0.0.7:9100?profile=NoSuchPrinter",
        "tcp://10.0.0.7:9100?baudrate=9600",
        "tcp://10.0.0.7:9100?profile=POS-5890",  # a 58 mm printer asked for 80 mm receipts
    ],
)
def test_bad_url_options_are_refused(url: str) -> None:
    with pytest.raises(PrinterError, match="không hợp lệ"):
        parse_printer_url(url)


def test_text_mode_sends_vietnamese_through_the_code_page() -> None:
    data = receipt_bytes(SAMPLE_RECEIPT, PrintOptions(text_codepage="cp1258"))
    assert b"\x1bt\x34" in data  # ESC t 52: CP1258 on a TM-T20II
    assert b"\x1dv0" not in data  # no raster at all
    assert cp1258_bytes("Đăng ký khai sinh") in data
    back = cp1258_bytes("Đăng ký khai sinh").decode("cp1258")
    assert unicodedata.normalize("NFC", back) == "Đăng ký khai sinh"  # tones as marks
    assert qr_content(data) == SAMPLE_RECEIPT.ticket_url
    assert len(data) < 2_000


def test_tcvn3_picks_the_capitals_page_for_capitals() -> None:
    assert tcvn3_line("ĐĂNG KÝ")[0] == "TCVN-3-2"
    page, data = tcvn3_line("đăng ký khai sinh")
    assert page == "TCVN-3-1" and b"?" not in data


def test_a_profile_without_a_paper_width_prints_no_notice(capsys) -> None:
    receipt_bytes(SAMPLE_RECEIPT, PrintOptions(profile="default"))
    assert capsys.readouterr().out == ""


CONTROLS = "\x1b@\x1dV\x00\x10\x14\x01\x00\x05\x1c&\x00\x7f\x9b\x85"  # reset, cut, pulse, FS…
# Tabs and line breaks read as a space; every other control character goes.
WITHOUT_CONTROLS = "@V& "


@pytest.mark.parametrize("codepage", ["cp1258", "tcvn3"])
@pytest.mark.parametrize("item", [SAMPLE_RECEIPT, SAMPLE_SLIP], ids=["ticket", "slip"])
def test_text_mode_never_sends_a_control_character_of_a_name(codepage, item) -> None:
    # The names an admin or the catalog types, printed as they are (the center's name is
    # measured to fit before it reaches text mode, so it is left out here).
    names = ("procedure",) + (
        ("field", "priority_label") if item is SAMPLE_RECEIPT else ("officer", "counter_name")
    )
    hostile = replace(item, **{name: f"{getattr(item, name)}{CONTROLS}" for name in names})
    clean = replace(item, **{name: f"{getattr(item, name)}{WITHOUT_CONTROLS}" for name in names})
    if isinstance(item, AppointmentSlip):
        hostile = replace(hostile, documents=(f"Tờ khai\x1b@\x1dV\x00{CONTROLS}",))
        clean = replace(clean, documents=(f"Tờ khai@V{WITHOUT_CONTROLS}",))
    options = PrintOptions(text_codepage=codepage)
    data = receipt_bytes(hostile, options)
    # The paper shows the same receipt as if the control characters had never been typed…
    assert data == receipt_bytes(clean, options)
    # …and the printer is reset once (first) and cut once (last), by the layout alone.
    assert data.count(b"\x1b@") == 1 and data.startswith(b"\x1b@")
    assert data.count(b"\x1dV") == 1 and data.rstrip(b"\x00").endswith(b"\x1dV")
    assert b"\x10\x14" not in data and b"\x1c&" not in data
