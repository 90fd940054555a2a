"""Printer URLs and the backends behind print_receipt, with a fake LAN printer on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from printers.connection import (
    PrinterError,
    PrinterTarget,
    TcpPrinter,
    open_printer,
    parse_printer_url,
)
from printers.escpos_bytes import receipt_bytes
from printers.receipt import SAMPLE_RECEIPT

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
    ],
)
def test_rejects_bad_urls_naming_them(url: str) -> None:
    with pytest.raises(PrinterError) as raised:
        parse_printer_url(url)
    message = str(raised.value)
    assert repr(url) in message
    assert "không hợp lệ" in message


def test_none_prints_nothing() -> None:
    assert open_printer("none").print_receipt(SAMPLE_RECEIPT) is None


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


class FakeLanPrinter:
    """A real TCP server on 127.0.0.1 that records what each connection sent, until EOF."""

    def __init__(self, port: int = 0) -> None:
        self.jobs: list[bytes] = []
        self.received = threading.Event()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen()
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            self.jobs.append(b"".join(chunks))
            self.received.set()

    def wait_for_jobs(self, count: int) -> list[bytes]:
        for _ in range(50):
            if len(self.jobs) >= count:
                break
            self.received.wait(0.1)
            self.received.clear()
        return self.jobs

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        assert not self._thread.is_alive()
        self._server.close()


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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = TcpPrinter("127.0.0.1", port, timeout=1.0)
    with pytest.raises(PrinterError, match="máy in mạng"):
        printer.print_receipt(SAMPLE_RECEIPT)
