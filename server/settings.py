"""Settings from the MOTCUA_* environment, read once into one frozen value.

Every setting of the public contract lives here with its default, so the rest of the
code never reads os.environ and tests can build a Settings directly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_CATALOG = Path(__file__).parent / "data" / "catalog.yaml"
ASYNC_MODES = ("eventlet", "threading")  # the production server; tests and development
# The push services of the major browsers: Chrome, Edge on Android and Opera (Google's FCM),
# Firefox (Mozilla's autopush), Safari and iPhones (Apple), Edge on Windows (WNS).
DEFAULT_PUSH_SERVICES = (
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
)
# An https origin, `*.` standing for one or more labels of a host name; or a plain-http one
# on the machine itself with its port, which only a test's fake push service needs.
PUSH_SERVICE = re.compile(
    r"https://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?"
    r"|http://(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}"
)


class SettingsError(ValueError):
    """A MOTCUA_* variable that cannot be understood; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one server process.

    database: SQLite file; timezone: IANA zone of the center (the day and its numbering);
    no_appointment_days: weekday numbers (Monday = 0) of the no-appointment model;
    no_appointment_until: local time after which new tickets no longer qualify;
    printer: receipt printer URL; catalog: YAML catalog loaded into an empty database;
    secret_key: session signing key (None: generated once next to the database);
    ticket_rate: tickets per minute per client address (0 = no limit);
    message_queue: URL joining several processes (None: one process);
    priority_in_row: how many priority tickets a counter may call in a row while a
    normal ticket waits; async_mode: Flask-SocketIO's server mode; public_url: the address
    citizens' phones reach the server at, for the receipt's QR code (None: the address the
    kiosk used); trusted_proxies: how many reverse proxies (nginx) stand in front and may
    be believed about the client's address and scheme (X-Forwarded-For/-Proto/-Host);
    printer_folders: the folders where an admin's page may put a dir: or file: printer
    (everything else but LAN printers and /dev/usb/lpN is the installer's, on the command
    line: server/printing/printer_setup.py); connections_per_address: how many connections
    one client address may hold open at once, and how many live-event (Socket.IO) clients
    (0 = no limit; server/web/connections.py); remote_tickets: how many tickets a day may be
    taken from outside the center (0 = none; the admin's saved choice wins:
    server/setup/remote.py); push_services: the origins a Web Push
    subscription's endpoint may point at (server/push/subscriptions.py), anything else refused
    so that a forged subscription cannot make the server send requests elsewhere;
    push_subject: the VAPID `sub` claim, how a push service reaches the center's operator
    (None: see vapid_subject); hub_url, hub_token, hub_center: the province hub this center
    sends its facts to, its token there and the id the hub registered it under (all three,
    or none: the center then keeps everything to itself); hub_database: the province
    hub's PostgreSQL URL, read by `motcua hub …` only (a center never opens it).
    """

    database: Path = Path("var/motcua.db")
    timezone: str = "Asia/Ho_Chi_Minh"
    no_appointment_days: frozenset[int] = field(default_factory=lambda: frozenset({3}))
    no_appointment_until: time = time(15, 0)
    printer: str = "dir:var/receipts"
    catalog: Path = DEFAULT_CATALOG
    secret_key: str | None = None
    ticket_rate: int = 30
    message_queue: str | None = None
    priority_in_row: int = 2
    async_mode: str = "eventlet"
    public_url: str | None = None
    trusted_proxies: int = 0
    printer_folders: tuple[Path, ...] = ()
    connections_per_address: int = 100
    remote_tickets: int = 0
    push_services: tuple[str, ...] = DEFAULT_PUSH_SERVICES
    push_subject: str | None = None
    hub_database: str | None = None
    hub_url: str | None = None
    hub_token: str | None = None
    hub_center: str | None = None

    def sends_to_hub(self) -> bool:
        """Whether this center sends its facts to a province hub (server/sync/sender.py):
        settings_from_env refuses a start with only some of the three hub settings."""
        return bool(self.hub_url and self.hub_token and self.hub_center)

    def vapid_subject(self) -> str:
        """The `sub` of every VAPID token: MOTCUA_PUSH_SUBJECT, else the center's https
        address (MOTCUA_PUBLIC_URL), else a placeholder that Google and Mozilla accept and
        Apple refuses (403 BadJwtToken for a host it cannot resolve): docs/deploy.md."""
        if self.push_subject:
            return self.push_subject
        if self.public_url and self.public_url.startswith("https://"):
            return self.public_url
        return "mailto:admin@localhost"

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with some fields replaced (tests and the CLI use it)."""
        return replace(self, **overrides)


def parse_weekdays(text: str) -> frozenset[int]:
    """'thu' or 'tue,thu' → weekday numbers; unknown names are an error, not ignored."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in WEEKDAYS]
    if unknown:
        raise SettingsError(
            f"MOTCUA_NO_APPOINTMENT_DAYS: ngày không hợp lệ {', '.join(unknown)} "
            f"(dùng {','.join(WEEKDAYS)})"
        )
    return frozenset(WEEKDAYS.index(name) for name in names)


def parse_time(text: str, variable: str) -> time:
    """'15:00' → time(15, 0)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SettingsError(f"{variable}: giờ không hợp lệ '{text}' (dạng HH:MM)")
    return time(int(match[1]), int(match[2]))


def parse_int(text: str, variable: str) -> int:
    if not text.strip().isdigit():
        raise SettingsError(f"{variable}: cần một số nguyên không âm, nhận '{text}'")
    return int(text)


def parse_timezone(text: str) -> str:
    """An IANA zone the machine knows ('Asia/Ho_Chi_Minh'): a typo fails at start with what to
    write, not with a traceback at the first ticket."""
    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"MOTCUA_TZ: múi giờ không hợp lệ '{text}' (ví dụ Asia/Ho_Chi_Minh)"
        ) from None
    return name


def parse_async_mode(text: str) -> str:
    if text not in ASYNC_MODES:
        raise SettingsError(
            f"MOTCUA_ASYNC_MODE: chế độ không hợp lệ '{text}' ({' hoặc '.join(ASYNC_MODES)})"
        )
    return text


def parse_public_url(text: str) -> str:
    """'http://10.0.0.5:8000/' → 'http://10.0.0.5:8000' (no trailing slash)."""
    url = text.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise SettingsError(
            f"MOTCUA_PUBLIC_URL: địa chỉ không hợp lệ '{text}' (dạng http://MÁY:CỔNG)"
        )
    return url


def parse_message_queue(text: str) -> str:
    """'redis://127.0.0.1:6379/0': the processes of one center meet in Redis (nothing else
    is supported, so a typo fails at start rather than silently running alone)."""
    url = text.strip()
    if not re.fullmatch(r"rediss?://\S+", url):
        raise SettingsError(
            f"MOTCUA_MESSAGE_QUEUE: địa chỉ không hợp lệ '{text}' (dạng redis://MÁY:6379/0)"
        )
    return url


def parse_folders(text: str) -> tuple[Path, ...]:
    """'/srv/phieu:/var/lib/motcua/phieu' → both paths. Each must be absolute: an allowed
    place must not move with the folder the server happens to start in."""
    folders = [part.strip() for part in text.split(os.pathsep) if part.strip()]
    relative = [folder for folder in folders if not os.path.isabs(folder)]
    if relative:
        raise SettingsError(
            f"MOTCUA_PRINTER_FOLDERS: cần đường dẫn tuyệt đối, nhận '{relative[0]}' "
            "(dạng /srv/motcua/phieu, nhiều thư mục cách nhau bằng dấu :)"
        )
    return tuple(Path(folder) for folder in folders)


def parse_push_services(text: str) -> tuple[str, ...]:
    """'https://fcm.googleapis.com,https://*.notify.windows.com' → the origins, lower-cased.
    A path, a wildcard anywhere but the first label, or plain http to another machine is
    refused at start: a loose entry would let a forged subscription reach any host."""
    origins = tuple(part.strip().lower().rstrip("/") for part in text.split(",") if part.strip())
    wrong = [origin for origin in origins if not PUSH_SERVICE.fullmatch(origin)]
    if wrong:
        raise SettingsError(
            f"MOTCUA_PUSH_SERVICES: nguồn không hợp lệ '{wrong[0]}' (dạng https://MÁY hoặc "
            "https://*.TÊN-MIỀN, cách nhau bằng dấu phẩy; http:// chỉ cho 127.0.0.1:CỔNG)"
        )
    return origins


def parse_push_subject(text: str) -> str:
    """The VAPID subject: a mailto: address or an https:// page of the center (RFC 8292)."""
    subject = text.strip()
    if not re.fullmatch(r"mailto:[^\s@]+@[^\s@]+|https://\S+", subject):
        raise SettingsError(
            f"MOTCUA_PUSH_SUBJECT: cần mailto:ĐỊA-CHỈ-THƯ hoặc https://…, nhận '{text}'"
        )
    return subject


def parse_hub_database(text: str) -> str:
    """'postgresql://motcua@/motcua_hub': a libpq URL (host, port, user and password in it,
    or a unix socket when the host is empty)."""
    url = text.strip()
    if not re.fullmatch(r"postgres(ql)?://\S*", url):
        raise SettingsError(
            f"MOTCUA_HUB_DATABASE: địa chỉ không hợp lệ '{text}' "
            "(dạng postgresql://NGƯỜI-DÙNG:MẬT-KHẨU@MÁY:5432/TÊN-CSDL)"
        )
    return url


def parse_hub_url(text: str) -> str:
    """'https://hub.tinh.gov.vn/' → 'https://hub.tinh.gov.vn' (no trailing slash)."""
    url = text.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise SettingsError(
            f"MOTCUA_HUB_URL: địa chỉ không hợp lệ '{text}' (dạng https://MÁY-CHỦ-TỈNH)"
        )
    return url


def parse_hub_center(text: str) -> str:
    """The center's id at the hub, as `motcua hub add-center ID` registered it."""
    center = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", center):
        raise SettingsError(
            f"MOTCUA_HUB_CENTER: mã trung tâm không hợp lệ '{text}' (chữ không dấu, số, "
            "dấu gạch ngang; đúng mã tỉnh đã đăng ký, ví dụ lai-khe)"
        )
    return center


def hub_values(env: Mapping[str, str]) -> dict[str, str]:
    """MOTCUA_HUB_URL, MOTCUA_HUB_TOKEN and MOTCUA_HUB_CENTER: all three or none, so that a
    center believed to send to its province never silently keeps its facts to itself."""
    given = {
        name: env[name].strip()
        for name in ("MOTCUA_HUB_URL", "MOTCUA_HUB_TOKEN", "MOTCUA_HUB_CENTER")
        if env.get(name, "").strip()
    }
    if not given:
        return {}
    missing = [
        name
        for name in ("MOTCUA_HUB_URL", "MOTCUA_HUB_TOKEN", "MOTCUA_HUB_CENTER")
        if name not in given
    ]
    if missing:
        raise SettingsError(
            f"{', '.join(missing)}: cần đặt cùng {', '.join(given)} để gửi số liệu về tỉnh"
        )
    return {
        "hub_url": parse_hub_url(given["MOTCUA_HUB_URL"]),
        "hub_token": given["MOTCUA_HUB_TOKEN"],
        "hub_center": parse_hub_center(given["MOTCUA_HUB_CENTER"]),
    }


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read MOTCUA_* variables over the defaults."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if "MOTCUA_DB" in env:
        values["database"] = Path(env["MOTCUA_DB"])
    if "MOTCUA_TZ" in env:
        values["timezone"] = parse_timezone(env["MOTCUA_TZ"])
    if "MOTCUA_NO_APPOINTMENT_DAYS" in env:
        values["no_appointment_days"] = parse_weekdays(env["MOTCUA_NO_APPOINTMENT_DAYS"])
    if "MOTCUA_NO_APPOINTMENT_UNTIL" in env:
        values["no_appointment_until"] = parse_time(
            env["MOTCUA_NO_APPOINTMENT_UNTIL"], "MOTCUA_NO_APPOINTMENT_UNTIL"
        )
    if "MOTCUA_PRINTER" in env:
        values["printer"] = env["MOTCUA_PRINTER"]
    if "MOTCUA_PRINTER_FOLDERS" in env:
        values["printer_folders"] = parse_folders(env["MOTCUA_PRINTER_FOLDERS"])
    if "MOTCUA_CATALOG" in env:
        values["catalog"] = Path(env["MOTCUA_CATALOG"])
    if env.get("MOTCUA_SECRET_KEY"):
        values["secret_key"] = env["MOTCUA_SECRET_KEY"]
    if "MOTCUA_TICKET_RATE" in env:
        values["ticket_rate"] = parse_int(env["MOTCUA_TICKET_RATE"], "MOTCUA_TICKET_RATE")
    if env.get("MOTCUA_MESSAGE_QUEUE"):
        values["message_queue"] = parse_message_queue(env["MOTCUA_MESSAGE_QUEUE"])
    if "MOTCUA_PRIORITY_IN_ROW" in env:
        values["priority_in_row"] = parse_int(
            env["MOTCUA_PRIORITY_IN_ROW"], "MOTCUA_PRIORITY_IN_ROW"
        )
    if "MOTCUA_ASYNC_MODE" in env:
        values["async_mode"] = parse_async_mode(env["MOTCUA_ASYNC_MODE"])
    if "MOTCUA_TRUSTED_PROXIES" in env:
        values["trusted_proxies"] = parse_int(
            env["MOTCUA_TRUSTED_PROXIES"], "MOTCUA_TRUSTED_PROXIES"
        )
    if "MOTCUA_CONNECTIONS_PER_ADDRESS" in env:
        values["connections_per_address"] = parse_int(
            env["MOTCUA_CONNECTIONS_PER_ADDRESS"], "MOTCUA_CONNECTIONS_PER_ADDRESS"
        )
    if "MOTCUA_REMOTE_TICKETS" in env:
        values["remote_tickets"] = parse_int(env["MOTCUA_REMOTE_TICKETS"], "MOTCUA_REMOTE_TICKETS")
    if "MOTCUA_PUSH_SERVICES" in env:
        values["push_services"] = parse_push_services(env["MOTCUA_PUSH_SERVICES"])
    if env.get("MOTCUA_PUSH_SUBJECT"):
        values["push_subject"] = parse_push_subject(env["MOTCUA_PUSH_SUBJECT"])
    if env.get("MOTCUA_PUBLIC_URL"):
        values["public_url"] = parse_public_url(env["MOTCUA_PUBLIC_URL"])
    if env.get("MOTCUA_HUB_DATABASE"):
        values["hub_database"] = parse_hub_database(env["MOTCUA_HUB_DATABASE"])
    values.update(hub_values(env))
    return Settings(**values)
