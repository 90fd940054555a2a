"""The admin's printer settings: which printer a kiosk or a counter prints to.

The queues are those of the print spool (server/printing/spool.py): "default" prints to
MOTCUA_PRINTER unless the admin gives it a URL; "kiosk:<name>" and "counter:<id>" print to
their own printer once given one, else to the default. A URL is checked with the printers'
own parser before it is saved, so a typing mistake is refused here, not at the first ticket.

An admin's page reaches fewer addresses than the installer's command line. A printer URL is
a place the server writes to, as the server's own user: `file:` appends to any file it can
write (948 bytes of receipt appended into the virtualenv's site-packages stopped every
Python start), `dir:` creates folders and files anywhere, `usb:` detaches the kernel driver of
whatever device has those ids (a USB disk), `serial:` opens any terminal device, and `tcp:`
sends bytes to any host and port. So from the admin's page (`admin_may_use`):

- `tcp://HOST:PORT` only on a raw printer port, 9100 to 9102 (JetDirect: 9100, and 9101 and
  9102 for the second and third port of a print server), and never to the server itself
  (loopback, 0.0.0.0, `localhost`) nor a multicast or broadcast address. LPD (515) and IPP
  (631) do not take raw ESC/POS, and on the server itself 631 is CUPS. A host name is not
  resolved here (it could change after); the port rule is what bounds it.
- `file:` only on a USB printer's device, `/dev/usb/lpN`, or inside a folder the installer
  listed in MOTCUA_PRINTER_FOLDERS; `dir:` only inside such a folder.
- `usb:` and `serial:` never: the installer sets them with `motcua printer set`, or
  MOTCUA_PRINTER, on the server itself.
- `none` always.
Addresses already saved are left as they are: the table does not say who saved them.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from pathlib import Path
from typing import Any

from printers.connection import PrinterError, PrinterTarget, parse_printer_url
from server.clock import Clock
from server.errors import InvalidInput, NotFound
from server.printing.spool import (
    QUEUE_NAME,
    PrinterStatusChanged,
    printer_status,
    printer_statuses,
)
from server.settings import Settings
from server.setup.admin.input import Rule, check_body, refuse
from server.setup.audit import audited_change
from server.storage.db import Database, add_event

PRINTER_RULES = {"url": Rule("Địa chỉ máy in", str)}
PRINTER_PORTS = range(9100, 9103)
USB_PRINTER_DEVICE = re.compile(r"/dev/usb/lp[0-9]{1,3}")


def list_printers(db: Database, settings: Settings) -> list[dict[str, Any]]:
    """Every configured queue with its state, its own URL (None: prints to the default) and,
    for the default, the MOTCUA_PRINTER it falls back to."""
    urls = dict(db.execute("SELECT name, url FROM printers").fetchall())
    return [
        {
            **status,
            "url": urls.get(status["printer"]),
            "fallback_url": settings.printer if status["printer"] == "default" else None,
        }
        for status in printer_statuses(db)
    ]


def set_printer(
    db: Database, clock: Clock, settings: Settings, user_id: int | None, queue: str, body: Any
) -> dict[str, Any]:
    """Give a queue its printer URL, or none (null or blank: back to the default printer, or
    for the default itself to MOTCUA_PRINTER). A new kiosk:<name> or counter:<id> queue is
    created on its first URL."""
    if not QUEUE_NAME.fullmatch(queue):
        raise InvalidInput(
            f"Tên máy in không hợp lệ: '{queue}' (default, kiosk:TÊN hoặc counter:SỐ).",
            "invalid_printer_name",
        )
    url = check_body(body, PRINTER_RULES, creating=False).get("url")
    if url is not None:
        try:
            target = parse_printer_url(url)
        except PrinterError as error:
            raise refuse("url", str(error)) from None
        admin_may_use(target, settings.printer_folders)
    with audited_change(db, clock, user_id, "printer.update", "printers") as change:
        if queue.startswith("counter:"):
            counter_id = int(queue.partition(":")[2])
            if not db.execute("SELECT 1 FROM counters WHERE id = ?", [counter_id]).fetchone():
                raise NotFound(f"Không có quầy {counter_id}.", "counter_not_found")
        row = db.execute("SELECT url FROM printers WHERE name = ?", [queue]).fetchone()
        # The spool's configure_printer writes the same row, in a transaction of its own: the
        # audit entry must share this one.
        db.execute(
            """INSERT INTO printers (name, url) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET url = excluded.url""",
            [queue, url],
        )
        change.record(
            f"printer:{queue}",
            before={"url": row[0] if row else None},
            after={"url": url},
        )
        status = printer_status(db, queue)
        add_event(db, PrinterStatusChanged(status))  # never the URL: kiosks show it
    return {**status, "url": url, "fallback_url": settings.printer if queue == "default" else None}


def admin_may_use(target: PrinterTarget, folders: tuple[Path, ...]) -> None:
    """Refuse (400 printer_url_not_allowed) a printer the admin's page may not set: the
    module's docstring says which and why. The message says what is allowed instead."""
    if target.kind == "none":
        return
    if target.kind == "tcp":
        if target.port not in PRINTER_PORTS:
            why = f"Máy in mạng phải dùng cổng máy in 9100, 9101 hoặc 9102 (nhận {target.port})."
        elif _is_this_server_or_everyone(target.host or ""):
            why = f"Máy in mạng phải là một máy in trong mạng LAN, không phải {target.host}."
        else:
            return
    elif target.kind in ("file", "dir"):
        path = target.path or ""
        if target.kind == "file" and USB_PRINTER_DEVICE.fullmatch(os.path.normpath(path)):
            return
        if any(_inside(path, folder, target.kind == "dir") for folder in folders):
            return
        why = f"{'Tệp' if target.kind == 'file' else 'Thư mục'} {path} nằm ngoài chỗ được phép."
    else:
        why = f"Máy in {target.kind}: không đặt được từ trang quản trị."
    raise InvalidInput(f"{why} {_allowed(folders)}", "printer_url_not_allowed")


def _allowed(folders: tuple[Path, ...]) -> str:
    """What the admin's page can set, in the words of the refusal."""
    places = f", tệp hoặc thư mục trong {', '.join(map(str, folders))}" if folders else ""
    return (
        "Trên trang quản trị chỉ đặt được: máy in mạng tcp://ĐỊA_CHỈ:9100 (cổng 9100, 9101 "
        f"hoặc 9102), máy in USB file:/dev/usb/lp0 (lp1, lp2…){places}, hoặc none. Các địa "
        "chỉ khác phải cấu hình trên máy chủ (lệnh motcua printer set hoặc biến MOTCUA_PRINTER)."
    )


def _is_this_server_or_everyone(host: str) -> bool:
    """Loopback, unspecified (0.0.0.0 connects to this machine), multicast or broadcast,
    written any way the resolver accepts: "127.1" and "2130706433" are 127.0.0.1 too."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(name)
    except ValueError:
        try:  # the short and numeric IPv4 forms getaddrinfo also takes
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return False  # a host name
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    broadcast = address == ipaddress.IPv4Address("255.255.255.255")
    return address.is_loopback or address.is_unspecified or address.is_multicast or broadcast


def _inside(path: str, folder: Path, may_be_the_folder: bool) -> bool:
    """Whether path is inside folder once both are resolved (.. and symbolic links), the
    way the printer will open it."""
    real, allowed = os.path.realpath(path), os.path.realpath(folder)
    if real == allowed:
        return may_be_the_folder
    return os.path.commonpath([real, allowed]) == allowed
