"""The printer seam: one URL string picks the backend, one method prints.

    tcp://HOST:PORT                    LAN printer (port 9100 when left out)
    usb://VENDOR:PRODUCT               hex ids, e.g. usb://04b8:0202
    serial:///dev/ttyUSB0?baudrate=9600
    file:/dev/usb/lp0                  raw ESC/POS bytes to a device or file
    dir:PATH                           one .bin and one .png preview per receipt
    none                               printing disabled

Options after "?" on any of them (our addition to the URLs of docs/api.md):
    paper=80|58         paper width (576 or 384 dots), 80 when left out
    profile=NAME        python-escpos capability profile, TM-T20II when left out
    qr=native|image     the printer's own QR command, or the QR as a raster
    text=cp1258|tcvn3   code-page text instead of raster (see printers/text_mode.py)
    baudrate=N          serial only, 9600 when left out

Every job opens its own connection and closes it, so a printer that was unplugged or switched
off and came back prints the next job without a restart. Any failure raises PrinterError; there
is no fallback to another backend. A LAN printer must confirm each job (TcpPrinter): a socket
that took the bytes proves nothing about the printer behind it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import parse_qs, urlsplit

from printers.options import TEXT_CODEPAGES, PrintOptions
from printers.status import (
    QUERIES,
    STATE_LABELS,
    State,
    can_print,
    is_status_byte,
    queries_in,
    state_from_replies,
)

if TYPE_CHECKING:
    from PIL import Image

    from printers.receipt import AppointmentSlip, Receipt

Kind = Literal["tcp", "usb", "serial", "file", "dir", "none"]
DEFAULT_TCP_PORT = 9100
TCP_TIMEOUT = 5.0  # seconds, connect and send
USB_TIMEOUT_MS = 5000  # pyusb counts milliseconds; 0 would wait forever
SERIAL_TIMEOUT = 5.0
STATUS_TIMEOUT = 1.5  # seconds to wait for the DLE EOT replies; silence means "unknown"
# Seconds for the answer to the queries sent behind a job (TcpPrinter): a printer with a small
# input buffer reads the end of the job, and answers, only once it has printed most of it.
CONFIRM_TIMEOUT = 15.0


class PrinterError(Exception):
    """The printer could not be reached or did not take the job; the message is for staff,
    the state (offline, paper_out) for the badge."""

    def __init__(self, message: str, state: State = "offline") -> None:
        super().__init__(message)
        self.state = state


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
    options: PrintOptions = field(default_factory=PrintOptions)


PAPER_DOTS = {"80": 576, "58": 384}


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError(f"Địa chỉ máy in không hợp lệ: {url!r} ({why})")


def parse_printer_url(url: str) -> PrinterTarget:
    text = url.strip()
    if text == "none":
        return PrinterTarget("none")
    if any(unicodedata.category(char) == "Cc" for char in text):
        # A NUL in a path or host makes open() and connect() raise ValueError, not OSError.
        raise _bad(url, "có ký tự điều khiển")
    scheme, sep, rest = text.partition(":")
    if not sep:
        raise _bad(url, "thiếu loại kết nối, ví dụ tcp://, usb://, dir:")
    rest, _, query_text = rest.partition("?")
    query = parse_qs(query_text, keep_blank_values=True)
    allowed = {"paper", "profile", "qr", "text"} | ({"baudrate"} if scheme == "serial" else set())
    if set(query) - allowed:
        raise _bad(url, f"chỉ hỗ trợ tham số {', '.join(sorted(allowed))}")
    options = _options(url, {key: values[-1] for key, values in query.items()})
    if scheme in ("dir", "file"):
        if not rest or rest.startswith("//"):
            raise _bad(url, f"cần dạng {scheme}:ĐƯỜNG_DẪN")
        return PrinterTarget(scheme, path=rest, options=options)  # type: ignore[arg-type]
    if scheme not in ("tcp", "usb", "serial") or not rest.startswith("//"):
        raise _bad(url, "loại kết nối không được hỗ trợ")
    parts = urlsplit(f"{scheme}:{rest}")
    if scheme == "tcp":
        try:
            host, port = parts.hostname, parts.port
        except ValueError as error:
            raise _bad(url, "cổng không hợp lệ") from error
        if not host or parts.path not in ("", "/"):
            raise _bad(url, "cần dạng tcp://MÁY:CỔNG")
        return PrinterTarget("tcp", host=host, port=port or DEFAULT_TCP_PORT, options=options)
    if scheme == "usb":
        vendor, colon, product = parts.netloc.partition(":")
        try:
            ids = int(vendor, 16), int(product, 16)
        except ValueError as error:
            raise _bad(url, "cần dạng usb://VENDOR:PRODUCT, mã hex") from error
        if not colon or parts.path or not all(0 < i <= 0xFFFF for i in ids):
            raise _bad(url, "cần dạng usb://VENDOR:PRODUCT, mã hex")
        return PrinterTarget("usb", vendor_id=ids[0], product_id=ids[1], options=options)
    # serial
    if parts.netloc or not parts.path.startswith("/"):
        raise _bad(url, "cần dạng serial:///dev/ttyUSB0?baudrate=9600")
    try:
        baudrate = int(query.get("baudrate", ["9600"])[-1])
    except ValueError as error:
        raise _bad(url, "baudrate phải là số") from error
    if baudrate <= 0:
        raise _bad(url, "baudrate phải là số dương")
    return PrinterTarget("serial", device=parts.path, baudrate=baudrate, options=options)


def _options(url: str, query: dict[str, str]) -> PrintOptions:
    paper = query.get("paper", "80")
    if paper not in PAPER_DOTS:
        raise _bad(url, "paper phải là 80 hoặc 58")
    profile = query.get("profile", PrintOptions.profile)
    if profile != PrintOptions.profile:  # the default takes both papers (tested)
        _check_profile(url, profile, PAPER_DOTS[paper])
    qr = query.get("qr", "native")
    if qr not in ("native", "image"):
        raise _bad(url, "qr phải là native hoặc image")
    text = query.get("text")
    if text is not None and text not in TEXT_CODEPAGES:
        raise _bad(url, f"text phải là {' hoặc '.join(TEXT_CODEPAGES)}")
    return PrintOptions(PAPER_DOTS[paper], profile, qr == "native", text)


def _check_profile(url: str, profile: str, width_dots: int) -> None:
    """A profile python-escpos knows, as wide as the paper."""
    from escpos.capabilities import get_profile  # parses all its profiles: 0.4 s on import

    try:
        media = get_profile(profile).profile_data["media"]["width"]["pixels"]
    except Exception as error:  # python-escpos raises its own NotSupported for unknown names
        raise _bad(url, f"không biết cấu hình máy in {profile!r}") from error
    if str(media).isdigit() and int(media) < width_dots:
        # python-escpos would refuse every receipt as too wide, and the spool retry forever.
        raise _bad(url, f"máy in {profile} chỉ rộng {media} chấm: thêm ?paper=58")


def _encoded(receipt: Receipt | AppointmentSlip, options: PrintOptions) -> bytes:
    """The receipt as the ESC/POS bytes the printer is sent."""
    from printers.escpos_bytes import receipt_bytes as encode  # Pillow, escpos: when printing

    return encode(receipt, options)


def _drawn(receipt: Receipt | AppointmentSlip, width_dots: int) -> Image.Image:
    """The receipt drawn (the dir: printer's preview)."""
    from printers.receipt import render as draw  # Pillow: only when printing

    return draw(receipt, width_dots)


class Printer(Protocol):
    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        """Print one receipt and return the state the printer reported; raise PrinterError
        when it could not print or did not take the whole job (its state says why): only a
        return means the receipt may be marked printed. Opens and closes its own connection."""
        ...

    def print_bytes(self, data: bytes, name: str) -> State:
        """Send ready ESC/POS bytes (the test page of `motcua print-test`); name labels the
        job where that means something (the file name under dir:)."""
        ...

    def status(self) -> State:
        """Ask without printing (DLE EOT where the connection reads back)."""
        ...


@dataclass(frozen=True)
class NoPrinter:
    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        return "disabled"

    def print_bytes(self, data: bytes, name: str) -> State:
        return "disabled"

    def status(self) -> State:
        return "disabled"


@dataclass(frozen=True)
class DirPrinter:
    path: Path
    options: PrintOptions = field(default_factory=PrintOptions)

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            stem = self._free_stem(receipt)
            (self.path / f"{stem}.bin").write_bytes(_encoded(receipt, self.options))
            _drawn(receipt, self.options.width_dots).save(self.path / f"{stem}.png")
        except OSError as error:
            raise PrinterError(f"Không ghi được phiếu vào thư mục {self.path}: {error}") from error
        return "online"

    def print_bytes(self, data: bytes, name: str) -> State:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / f"{name}.bin").write_bytes(data)
        except OSError as error:
            raise PrinterError(f"Không ghi được vào thư mục {self.path}: {error}") from error
        return "online"

    def status(self) -> State:
        writable = self.path.is_dir() and os.access(self.path, os.W_OK)
        return "online" if writable or not self.path.exists() else "offline"

    def _free_stem(self, receipt: Receipt | AppointmentSlip) -> str:
        """<number>-<time the ticket was issued>; a reprint gets -2, -3... and never overwrites."""
        from printers.receipt import Receipt  # loaded already: the receipt was just encoded

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
    options: PrintOptions = field(default_factory=PrintOptions)

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        return self.print_bytes(_encoded(receipt, self.options), receipt.number)

    def print_bytes(self, data: bytes, name: str) -> State:
        try:
            with open(self.path, "ab") as out:  # a device node or a file: append, never truncate
                out.write(data)
        except OSError as error:
            raise PrinterError(f"Không ghi được tới máy in {self.path}: {error}") from error
        return "online"

    def status(self) -> State:
        return "online" if os.access(self.path, os.W_OK) else "offline"


@dataclass(frozen=True)
class TcpPrinter:
    """A LAN printer on a raw port (9100). A job counts as printed only once the printer has
    answered a status query sent behind it.

    The kernels on both ends buffer well over a megabyte, so a printer that accepted the
    connection and then stopped reading (hung, its buffer full) lets `sendall` return as if
    it had taken the receipt. A printer reads its input in order and answers `DLE EOT` as it
    reads it, so the answer to the queries sent after the receipt proves every byte before
    them reached it; no answer within confirm_timeout and the job is not printed (it is sent
    again once the printer answers). For the same reason a printer that does not answer
    before the job gets nothing: it could never confirm one, and would print it on every
    retry. Either way it cannot print, so its state is "offline" (the kiosk then shows the
    number large), not "unknown" as for a USB or serial printer that may print without
    reading back. Timeouts are fields so tests can shorten them.
    """

    host: str
    port: int
    options: PrintOptions = field(default_factory=PrintOptions)
    timeout: float = TCP_TIMEOUT
    status_timeout: float = STATUS_TIMEOUT
    confirm_timeout: float = CONFIRM_TIMEOUT

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        return self.print_bytes(_encoded(receipt, self.options), receipt.number)

    def print_bytes(self, data: bytes, name: str) -> State:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                state = self._ask(conn)
                if state == "unknown":
                    raise PrinterError(
                        f"Máy in mạng {self.host}:{self.port} không trả lời khi được hỏi "
                        "trạng thái: chưa gửi phiếu.",
                        "offline",
                    )
                if not can_print(state):
                    raise PrinterError(f"{STATE_LABELS[state]} ({self._where()}).", state)
                self._send(conn, data)
                return self._confirm(conn, data)
        except OSError as error:  # refused, unreachable, reset, timed out
            raise PrinterError(f"Không kết nối được {self._where()}: {error}") from error

    def status(self) -> State:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                state = self._ask(conn)
        except OSError:
            return "offline"
        return "offline" if state == "unknown" else state  # silent: it would get no job

    def _ask(self, conn: socket.socket) -> State:
        """DLE EOT 1 and 4 on an open connection; "unknown" when the printer does not answer."""
        conn.sendall(b"".join(QUERIES))
        return _state_of(self._replies(conn, len(QUERIES), self.status_timeout))

    def _send(self, conn: socket.socket, data: bytes) -> None:
        """The job, then the status queries that confirm it. Python's sendall gives up after
        `timeout` seconds in all, so a printer that stopped reading fails here once the
        buffers are full."""
        try:
            conn.sendall(data)
            conn.sendall(b"".join(QUERIES))
            conn.shutdown(socket.SHUT_WR)
        except OSError as error:
            raise PrinterError(
                f"Máy in mạng {self.host}:{self.port} không nhận hết phiếu ({error}): "
                "phiếu sẽ được gửi lại.",
                "offline",
            ) from error

    def _confirm(self, conn: socket.socket, data: bytes) -> State:
        """The printer's state from its answer to the queries behind the job, or PrinterError
        when none came. Every reply is read before the socket closes: closing on unread
        replies would reset the connection, and the printer could drop the job's tail."""
        expected = len(QUERIES) + queries_in(data)
        replies = self._replies(conn, expected, self.confirm_timeout)
        # A printer that ignores queries inside a raster sends fewer: the last ones are ours.
        state = _state_of(replies[-len(QUERIES) :]) if len(replies) >= len(QUERIES) else None
        if state is None or state == "unknown":
            raise PrinterError(
                f"Máy in mạng {self.host}:{self.port} không xác nhận đã nhận phiếu: "
                "phiếu sẽ được gửi lại.",
                "offline",
            )
        return state

    def _replies(self, conn: socket.socket, count: int, timeout: float) -> bytes:
        """Up to `count` reply bytes, waiting at most `timeout` seconds in all."""
        deadline = time.monotonic() + timeout
        replies = b""
        try:
            while len(replies) < count and (left := deadline - time.monotonic()) > 0:
                conn.settimeout(left)
                chunk = conn.recv(count - len(replies))
                if not chunk:
                    break
                replies += chunk
        except TimeoutError:
            pass
        finally:
            conn.settimeout(self.timeout)
        return replies

    def _where(self) -> str:
        return f"máy in mạng {self.host}:{self.port}"


def _state_of(replies: bytes) -> State:
    """The state from the replies to QUERIES, in their order; a missing or garbled one is
    None, both missing is "unknown"."""
    answers: list[int | None] = [value if is_status_byte(value) else None for value in replies]
    answers += [None] * (len(QUERIES) - len(answers))
    return state_from_replies(answers[0], answers[1])


@dataclass(frozen=True)
class UsbPrinter:
    vendor_id: int
    product_id: int
    options: PrintOptions = field(default_factory=PrintOptions)

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        return self.print_bytes(_encoded(receipt, self.options), receipt.number)

    def print_bytes(self, data: bytes, name: str) -> State:
        return send_through_escpos(self._open, data, self._where())

    def status(self) -> State:
        return ask_through_escpos(self._open)

    def _open(self) -> Any:
        from escpos.printer import Usb

        return Usb(self.vendor_id, self.product_id, timeout=USB_TIMEOUT_MS)

    def _where(self) -> str:
        return f"máy in USB {self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True)
class SerialPrinter:
    device: str
    baudrate: int
    options: PrintOptions = field(default_factory=PrintOptions)

    def print_receipt(self, receipt: Receipt | AppointmentSlip) -> State:
        return self.print_bytes(_encoded(receipt, self.options), receipt.number)

    def print_bytes(self, data: bytes, name: str) -> State:
        return send_through_escpos(self._open, data, f"cổng nối tiếp {self.device}")

    def status(self) -> State:
        return ask_through_escpos(self._open)

    def _open(self) -> Any:
        from escpos.printer import Serial

        return Serial(self.device, baudrate=self.baudrate, timeout=SERIAL_TIMEOUT)


def send_through_escpos(make: Callable[[], Any], data: bytes, where: str) -> State:
    """Open a python-escpos device, ask its state, write the bytes, close it: one job, one
    connection, so a printer unplugged and plugged back prints the next job."""
    printer = make()
    try:
        printer.open()
        state = _escpos_state(printer)
        if not can_print(state):
            raise PrinterError(f"{STATE_LABELS[state]} ({where}).", state)
        printer._raw(data)
        return state
    except PrinterError:
        raise
    except Exception as error:  # pyusb, pyserial and escpos raise many unrelated types
        raise PrinterError(f"Không in được qua {where}: {error}") from error
    finally:
        _close_quietly(printer)


def ask_through_escpos(make: Callable[[], Any]) -> State:
    printer = make()
    try:
        printer.open()
        return _escpos_state(printer)
    except Exception:  # not there, busy, no permission: all "offline" for the badge
        return "offline"
    finally:
        _close_quietly(printer)


def _escpos_state(printer: Any) -> State:
    """DLE EOT through python-escpos; its own paper_status() would call silence "ok"."""
    answers: list[int | None] = []
    for query in QUERIES:
        reply = printer.query_status(query)
        answers.append(reply[0] if reply and is_status_byte(reply[0]) else None)
    return state_from_replies(answers[0], answers[1])


def _close_quietly(printer: object) -> None:
    # The job already succeeded or already raised; a failing close adds nothing.
    with contextlib.suppress(Exception):
        printer.close()  # type: ignore[attr-defined]


def open_printer(
    url: str,
    *,
    timeout: float = TCP_TIMEOUT,
    status_timeout: float = STATUS_TIMEOUT,
    confirm_timeout: float = CONFIRM_TIMEOUT,
) -> Printer:
    """The Printer for a printer URL; nothing is contacted until it prints or is asked. The
    timeouts are a LAN printer's (TcpPrinter); tests shorten them."""
    target = parse_printer_url(url)
    options = target.options
    if target.kind == "none":
        return NoPrinter()
    if target.kind == "dir":
        return DirPrinter(Path(target.path or ""), options)
    if target.kind == "file":
        return FilePrinter(Path(target.path or ""), options)
    if target.kind == "tcp":
        return TcpPrinter(
            target.host or "",
            target.port or DEFAULT_TCP_PORT,
            options,
            timeout,
            status_timeout,
            confirm_timeout,
        )
    if target.kind == "usb":
        return UsbPrinter(target.vendor_id or 0, target.product_id or 0, options)
    return SerialPrinter(target.device or "", target.baudrate or 9600, options)
