"""The printer seam: one URL string picks the backend, one method prints (STYLE rules 13-14).

    tcp://HOST:PORT                    LAN printer (port 9100 when left out)
    usb://VENDOR:PRODUCT               hex ids, e.g. usb://04b8:0202
    serial:///dev/ttyUSB0?baudrate=9600
    file:/dev/usb/lp0                  raw ESC/POS bytes to a device or file
    dir:PATH                           one .bin and one .png preview per receipt
    none                               printing disabled

Every job opens its own connection and closes it, so a printer that was unplugged or switched
off and came back prints the next job without a restart. Any failure raises PrinterError; there
is no fallback to another backend.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, urlsplit

from printers.escpos_bytes import receipt_bytes
from printers.receipt import AppointmentSlip, Receipt, render

Kind = Literal["tcp", "usb", "serial", "file", "dir", "none"]
DEFAULT_TCP_PORT = 9100
TCP_TIMEOUT = 5.0  # seconds, connect and send
USB_TIMEOUT_MS = 5000  # pyusb counts milliseconds; 0 would wait forever
SERIAL_TIMEOUT = 5.0
WIDTH_DOTS = 576


class PrinterError(Exception):
    """The printer could not be reached or did not take the job; the message is for staff."""


@dataclass(frozen=True)
class PrinterTarget:
    kind: Kind
    host: str | None = None
    port: int | None = None
    vendor_id: int | None = None
    product_id: int | None = None
    device: str | None = None
    baudrate: int | None = None
    path: str | None = None


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError(f"Địa chỉ máy in không hợp lệ: {url!r} ({why})")


def parse_printer_url(url: str) -> PrinterTarget:
    text = url.strip()
    if text == "none":
        return PrinterTarget("none")
    scheme, sep, rest = text.partition(":")
    if not sep:
        raise _bad(url, "thiếu loại kết nối, ví dụ tcp://, usb://, dir:")
    if scheme in ("dir", "file"):
        if not rest or rest.startswith("//"):
            raise _bad(url, f"cần dạng {scheme}:ĐƯỜNG_DẪN")
        return PrinterTarget(scheme, path=rest)  # type: ignore[arg-type]
    if scheme not in ("tcp", "usb", "serial") or not rest.startswith("//"):
        raise _bad(url, "loại kết nối không được hỗ trợ")
    parts = urlsplit(text)
    if scheme == "tcp":
        try:
            host, port = parts.hostname, parts.port
        except ValueError as error:
            raise _bad(url, "cổng không hợp lệ") from error
        if not host or parts.path not in ("", "/"):
            raise _bad(url, "cần dạng tcp://MÁY:CỔNG")
        return PrinterTarget("tcp", host=host, port=port or DEFAULT_TCP_PORT)
    if scheme == "usb":
        vendor, colon, product = parts.netloc.partition(":")
        try:
            ids = int(vendor, 16), int(product, 16)
        except ValueError as error:
            raise _bad(url, "cần dạng usb://VENDOR:PRODUCT, mã hex") from error
        if not colon or parts.path or not all(0 < i <= 0xFFFF for i in ids):
            raise _bad(url, "cần dạng usb://VENDOR:PRODUCT, mã hex")
        return PrinterTarget("usb", vendor_id=ids[0], product_id=ids[1])
    # serial
    if parts.netloc or not parts.path.startswith("/"):
        raise _bad(url, "cần dạng serial:///dev/ttyUSB0?baudrate=9600")
    query = parse_qs(parts.query)
    if set(query) - {"baudrate"}:
        raise _bad(url, "chỉ hỗ trợ tham số baudrate")
    try:
        baudrate = int(query.get("baudrate", ["9600"])[-1])
    except ValueError as error:
        raise _bad(url, "baudrate phải là số") from error
    if baudrate <= 0:
        raise _bad(url, "baudrate phải là số dương")
    return PrinterTarget("serial", device=parts.path, baudrate=baudrate)


class Printer(Protocol):
    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None: ...


@dataclass(frozen=True)
class NoPrinter:
    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        return None


@dataclass(frozen=True)
class DirPrinter:
    path: Path

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            stem = self._free_stem(receipt)
            (self.path / f"{stem}.bin").write_bytes(receipt_bytes(receipt))
            render(receipt, WIDTH_DOTS).save(self.path / f"{stem}.png")
        except OSError as error:
            raise PrinterError(f"Không ghi được phiếu vào thư mục {self.path}: {error}") from error

    def _free_stem(self, receipt: Receipt | AppointmentSlip) -> str:
        """<number>-<time the ticket was issued>; a reprint gets -2, -3... and never overwrites."""
        moment = receipt.issued_at if isinstance(receipt, Receipt) else receipt.received_at
        base = f"{receipt.number}-{moment:%Y%m%d-%H%M%S}"
        stem, copy = base, 1
        while (self.path / f"{stem}.bin").exists() or (self.path / f"{stem}.png").exists():
            copy += 1
            stem = f"{base}-{copy}"
        return stem


@dataclass(frozen=True)
class FilePrinter:
    path: Path

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        data = receipt_bytes(receipt)
        try:
            with open(self.path, "ab") as out:  # a device node or a file: append, never truncate
                out.write(data)
        except OSError as error:
            raise PrinterError(f"Không ghi được tới máy in {self.path}: {error}") from error


@dataclass(frozen=True)
class TcpPrinter:
    host: str
    port: int
    timeout: float = TCP_TIMEOUT

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        data = receipt_bytes(receipt)
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)
        except OSError as error:  # refused, unreachable, reset, timed out
            raise PrinterError(
                f"Không kết nối được máy in mạng {self.host}:{self.port}: {error}"
            ) from error


@dataclass(frozen=True)
class UsbPrinter:
    vendor_id: int
    product_id: int

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        from escpos.printer import Usb

        name = f"{self.vendor_id:04x}:{self.product_id:04x}"
        printer = Usb(self.vendor_id, self.product_id, timeout=USB_TIMEOUT_MS)
        send_through_escpos(printer, receipt_bytes(receipt), f"máy in USB {name}")


@dataclass(frozen=True)
class SerialPrinter:
    device: str
    baudrate: int

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> None:
        from escpos.printer import Serial

        printer = Serial(self.device, baudrate=self.baudrate, timeout=SERIAL_TIMEOUT)
        send_through_escpos(printer, receipt_bytes(receipt), f"cổng nối tiếp {self.device}")


def send_through_escpos(printer: Any, data: bytes, where: str) -> None:
    """Open a python-escpos device, write the bytes, close it: one job, one connection, so a
    printer unplugged and plugged back prints the next job. Any failure is a PrinterError."""
    try:
        printer.open()
        printer._raw(data)
    except Exception as error:  # pyusb, pyserial and escpos raise many unrelated types
        raise PrinterError(f"Không in được qua {where}: {error}") from error
    finally:
        _close_quietly(printer)


def _close_quietly(printer: object) -> None:
    # The job already succeeded or already raised; a failing close adds nothing.
    with contextlib.suppress(Exception):
        printer.close()  # type: ignore[attr-defined]


def open_printer(url: str) -> Printer:
    """The Printer for a CONTRACT printer URL; nothing is contacted until a receipt prints."""
    target = parse_printer_url(url)
    if target.kind == "none":
        return NoPrinter()
    if target.kind == "dir":
        return DirPrinter(Path(target.path or ""))
    if target.kind == "file":
        return FilePrinter(Path(target.path or ""))
    if target.kind == "tcp":
        return TcpPrinter(target.host or "", target.port or DEFAULT_TCP_PORT)
    if target.kind == "usb":
        return UsbPrinter(target.vendor_id or 0, target.product_id or 0)
    return SerialPrinter(target.device or "", target.baudrate or 9600)
