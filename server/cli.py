"""`motcua`: serve, migrate, check-catalog, demo, backup, user add, kiosk, voice
render-espeak, printer, print-test; and `motcua hub …`, the province hub (PostgreSQL).

Every command but print-test (which needs no database) creates and migrates the database
when it does not exist yet. `serve` monkey-patches eventlet before anything imports Flask,
so this module imports neither at the top.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from server.settings import Settings, SettingsError, settings_from_env

if TYPE_CHECKING:
    from printers.escpos_bytes import PrintOptions
    from printers.test_page import PrintTestPage
    from server.storage.db import Database

DEMO_USERS = (("canbo", "officer"), ("quantri", "admin"))
ROLE_NAMES = {"officer": "cán bộ", "admin": "quản trị"}
PRINT_TEST_NAME = "print-test"  # the job's name: print-test.bin (and .png) under dir:


def load_settings():
    try:
        return settings_from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


@click.group(help="motcua-queue: phát số thứ tự, gọi số tại quầy và màn hình sảnh.")
def main() -> None:
    pass


@main.command(help="Chạy máy chủ (eventlet).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    settings = load_settings()
    server_lock = refuse_a_bad_start(settings)  # held (open) as long as this process serves
    run_blocking = None
    green_pool = None  # eventlet's: connections bounded per address (server/web/connections.py)
    if settings.async_mode == "eventlet":
        # eventlet prints a deprecation banner on import; it is our production server on
        # purpose (docs/architecture.md), so the installer need not see it on every start.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        # eventlet's green resolver imports dnspython twice (0.2 s and 11 MB a start); the hub
        # looks up at most the message queue's host, once (printers are reached from threads).
        os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
        import eventlet

        eventlet.monkey_patch()
        from eventlet import tpool

        run_blocking = tpool.execute  # USB and serial writes block: keep them off the hub
        green_pool = eventlet.GreenPool
    from server import create_app
    from server.web.connections import server_options
    from server.web.realtime import start_hub_sender, start_print_worker, start_push_worker

    app = create_app()
    realtime = app.extensions["motcua"].realtime
    start_print_worker(realtime, run_blocking)
    start_booking_purge(realtime)
    start_push_worker(realtime, run_blocking)  # Web Push: without internet, one log line
    if settings.sends_to_hub():
        start_hub_sender(realtime, run_blocking)  # the province hub: never waited on
    socketio = realtime.socketio
    click.echo(
        f"motcua-queue đang chạy tại http://{host}:{port} (cơ sở dữ liệu {settings.database})"
    )
    try:
        # Werkzeug's server (async_mode threading) is for development: allowed here on purpose.
        socketio.run(
            app,
            host=host,
            port=port,
            log_output=False,
            allow_unsafe_werkzeug=settings.async_mode == "threading",
            **server_options(settings, green_pool),
        )
    finally:
        if server_lock is not None:
            server_lock.close()


BOOKING_PURGE_SECONDS = 3600


def start_booking_purge(realtime: Any) -> None:
    """Delete the bookings kept past their retention now, then every hour in the background
    (server/line/bookings.py purge_bookings). A failure is logged and tried again next hour;
    the log says how many were deleted, never whose."""
    import logging

    from server.line.bookings import purge_bookings
    from server.storage.db import connection

    logger = logging.getLogger(__name__)
    settings, clock, socketio = realtime.settings, realtime.clock, realtime.socketio

    def purge() -> None:
        try:
            with connection(settings.database) as db:
                deleted = purge_bookings(db, clock, settings)
        except Exception:
            logger.exception("xoá lịch hẹn quá hạn lưu: lỗi, sẽ thử lại sau một giờ")
            return
        if deleted:
            logger.warning("đã xoá %d lịch hẹn quá hạn lưu (họ tên, số điện thoại)", deleted)

    def hourly() -> None:
        while True:
            socketio.sleep(BOOKING_PURGE_SECONDS)
            purge()

    purge()
    socketio.start_background_task(hourly)


def refuse_a_bad_start(settings: Settings) -> IO[str] | None:
    """Before anything listens: a corrupt, read-only or future-dated database stops the start
    with what to do; so does another server on the same file without a message queue. Returns
    the server lock, which must stay open while the process serves."""
    from server.clock import SystemClock
    from server.storage.health import StartRefused, check_database, hold_server_lock

    today = SystemClock.in_zone(settings.timezone).now().date()
    try:
        if settings.database.exists():
            check_database(settings.database, today, settings.timezone)
        return None if settings.message_queue else hold_server_lock(settings.database)
    except StartRefused as error:
        raise click.ClickException(str(error)) from None


@main.command(help="Tạo hoặc nâng cấp cơ sở dữ liệu.")
def migrate() -> None:
    from server.storage.db import migrate as apply_migrations

    settings = load_settings()
    apply_migrations(settings.database)
    click.echo(f"Cơ sở dữ liệu đã sẵn sàng: {settings.database}")


@main.command(
    "check-catalog",
    help="Kiểm tra tệp danh mục (mặc định MOTCUA_CATALOG) mà không đụng đến cơ sở dữ liệu.",
)
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_catalog(path: Path | None) -> None:
    from server.errors import CatalogError
    from server.setup.catalog import load_catalog

    path = path or load_settings().catalog
    try:
        catalog = load_catalog(path)
    except CatalogError as error:
        raise click.ClickException(str(error)) from error
    no_appointment = sum(1 for procedure in catalog.procedures if procedure.no_appointment)
    click.echo(f"Danh mục hợp lệ: {path}")
    click.echo(
        f"  {catalog.center_name}: {len(catalog.fields)} lĩnh vực, "
        f"{len(catalog.procedures)} thủ tục ({no_appointment} không hẹn), "
        f"{len(catalog.counters)} quầy, {len(catalog.calendar_days)} ngày lịch riêng."
    )


@main.command(help="Nạp danh mục mẫu, các quầy và hai tài khoản mẫu (chạy lại không sao).")
def demo() -> None:
    """What `make run` does before serving: the demo catalog goes only into an empty database
    (a second run keeps everything an admin saved), the two demo accounts only when missing."""
    from server.setup.catalog import prepare_database

    settings = load_settings()
    if prepare_database(settings):
        click.echo(f"Đã nạp danh mục mẫu: {settings.catalog}")
    else:
        click.echo("Cơ sở dữ liệu đã có danh mục: giữ nguyên mọi thay đổi đã lưu.")

    def add_missing(db: Database) -> list[tuple[str, str, str | None]]:
        """Each demo account with its new password, or None when it is already there."""
        taken = {row[0] for row in db.execute("SELECT username FROM users")}
        return [
            (name, role, None if name in taken else create_account(db, settings, name, role))
            for name, role in DEMO_USERS
        ]

    for username, role, password in on_database(settings, add_missing):
        if password is None:
            click.echo(f"Tài khoản {username} ({ROLE_NAMES[role]}) đã có: giữ nguyên mật khẩu.")
        else:
            click.echo(
                f"Tài khoản {username} ({ROLE_NAMES[role]}) — mật khẩu: {password}"
                "  (chỉ hiện lần này: hãy ghi lại)"
            )


def create_account(
    db: Database, settings: Settings, username: str, role: str, password: str | None = None
) -> str:
    """Add an account the one way accounts are added (server/setup/admin/users.py: checked
    and audited, here as made by the command line). Returns its password, generated when
    none was given."""
    from server.clock import SystemClock
    from server.setup.admin.users import add_account

    clock = SystemClock.in_zone(settings.timezone)
    added = add_account(db, clock, None, {"username": username, "role": role, "password": password})
    return added["password"] or password or ""


@main.command(help="Sao lưu cơ sở dữ liệu đang chạy (API sao lưu của SQLite), kiểm tra bản sao.")
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục sao lưu (mặc định: backups/ cạnh cơ sở dữ liệu).",
)
@click.option("--keep", default=30, show_default=True, type=click.IntRange(min=1))
def backup(folder: Path | None, keep: int) -> None:

    from server.clock import SystemClock
    from server.storage.backup import BackupError, backup_database, backups

    settings = load_settings()
    if not settings.database.exists():
        raise click.ClickException(f"Không có cơ sở dữ liệu: {settings.database}")
    folder = folder or settings.database.parent / "backups"
    moment = SystemClock.in_zone(settings.timezone).now()
    try:
        path = backup_database(settings.database, folder, moment, keep)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    size = f"{path.stat().st_size:,}".replace(",", ".")
    click.echo(f"Đã sao lưu và kiểm tra: {path} ({size} byte)")
    click.echo(f"Thư mục {folder} giữ {len(backups(folder))} bản (tối đa {keep}).")


@main.group(help="Quản lý tài khoản cán bộ.")
def user() -> None:
    pass


@user.command("add", help="Thêm tài khoản; mật khẩu đọc từ đầu vào chuẩn.")
@click.argument("name")
@click.option("--role", type=click.Choice(["officer", "admin"]), required=True)
def user_add(name: str, role: str) -> None:
    settings = load_settings()
    password = read_password()
    on_database(settings, lambda db: create_account(db, settings, name, role, password))
    click.echo(f"Đã thêm tài khoản {name} ({ROLE_NAMES[role]}).")


def read_password() -> str:
    """A new account's password: typed twice at a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException("Chưa có mật khẩu: nhập mật khẩu (ít nhất 8 ký tự).")
    return password


@main.group(help="Ki-ốt đã đăng ký: lấy số không bị giới hạn MOTCUA_TICKET_RATE.")
def kiosk() -> None:
    pass


@kiosk.command("add", help="Đăng ký ki-ốt (hoặc cấp lại mã): in địa chỉ trang ki-ốt kèm mã.")
@click.argument("name")
def kiosk_add(name: str) -> None:

    from server.clock import SystemClock
    from server.setup.kiosk_devices import register_kiosk

    settings = load_settings()
    clock = SystemClock.in_zone(settings.timezone)
    token = on_database(settings, lambda db: register_kiosk(db, clock, name))
    site = settings.public_url or "http://MÁY-CHỦ:CỔNG"
    click.echo(f"Đã đăng ký ki-ốt {name}. Mã thiết bị (chỉ hiện một lần): {token}")
    click.echo(f"Mở trên ki-ốt: {site}/kiosk?kiosk={name}&token={token}")
    click.echo(f"Hoặc, trên máy tính bảng đánh giá của quầy SỐ: {site}/rate/SỐ?token={token}")
    click.echo("Mã cũ của ki-ốt này (nếu có) không còn dùng được.")


@kiosk.command("list", help="Liệt kê các ki-ốt đã đăng ký.")
def kiosk_list() -> None:
    from server.setup.kiosk_devices import registered_kiosks

    kiosks = on_database(load_settings(), registered_kiosks)
    if not kiosks:
        click.echo("Chưa có ki-ốt nào đăng ký.")
        return
    rows = [(k["name"], k["registered_at"]) for k in kiosks]
    click.echo(aligned(("KI-ỐT", "ĐĂNG KÝ LÚC"), rows))


@kiosk.command("remove", help="Bỏ đăng ký ki-ốt: mã của nó không còn dùng được.")
@click.argument("name")
def kiosk_remove(name: str) -> None:
    from server.setup.kiosk_devices import remove_kiosk

    on_database(load_settings(), lambda db: remove_kiosk(db, name))
    click.echo(f"Đã bỏ đăng ký ki-ốt {name}: ki-ốt này lấy số theo giới hạn chung.")


@main.group(help="Giọng đọc gọi số.")
def voice() -> None:
    pass


@voice.command(
    "render-espeak",
    help="Tạo các đoạn âm thanh gọi số bằng espeak-ng (giọng dự phòng) cạnh cơ sở dữ liệu.",
)
@click.option("--force", is_flag=True, help="Tạo lại cả những đoạn đã có.")
@click.option("--quiet", is_flag=True, help="Không in gì khi mọi đoạn đã có sẵn.")
def voice_render_espeak(force: bool, quiet: bool) -> None:
    from server.storage.db import migrate as apply_migrations
    from server.voice.announcement import VOCABULARY
    from server.voice.clips import espeak_folder, render_espeak

    settings = load_settings()
    apply_migrations(settings.database)
    folder = espeak_folder(settings.database)
    rendered = render_espeak(folder, force=force)
    if rendered is None:
        click.echo("Không có espeak-ng: bỏ qua giọng dự phòng (màn hình dùng giọng khác).")
        return
    if quiet and not rendered:
        return
    click.echo(
        f"Giọng dự phòng espeak-ng: tạo mới {len(rendered)} đoạn, "
        f"có đủ {len(VOCABULARY)} đoạn trong {folder}"
    )


def on_database(settings: Settings, work: Callable[[Database], Any]) -> Any:
    """work(db) on the settings' database (created and migrated first); a domain error
    becomes the command's error, in Vietnamese, exit status 1."""
    from server.errors import DomainError
    from server.setup.catalog import prepare_database
    from server.storage.db import connection

    prepare_database(settings)
    try:
        with connection(settings.database) as db:
            return work(db)
    except DomainError as error:
        raise click.ClickException(error.message) from error


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


@main.group(
    help="Máy in: máy in chung (default, mặc định MOTCUA_PRINTER), máy in riêng của ki-ốt và quầy."
)
def printer() -> None:
    pass


@printer.command("list", help="Liệt kê máy in: địa chỉ, trạng thái gần nhất, số phiếu chờ in.")
def printer_list() -> None:
    from printers.status import STATE_LABELS
    from server.printing.spool import printer_statuses, printer_url, queue_for

    settings = load_settings()

    def rows(db: Database) -> list[tuple[str, str, str, str]]:
        listed = []
        for status in printer_statuses(db):
            name = status["printer"]
            url = printer_url(db, settings, name)
            # A kiosk or counter without its own URL prints on the default printer; the
            # default itself may have been given one on the admin's pages.
            own = queue_for(db, name) == name if name != "default" else url != settings.printer
            address = url if own else f"MOTCUA_PRINTER: {settings.printer}"
            state = STATE_LABELS.get(status["state"], status["state"])
            listed.append((name, address, state, str(status["pending"])))
        return listed

    click.echo(aligned(("MÁY IN", "ĐỊA CHỈ", "TRẠNG THÁI", "CHỜ IN"), on_database(settings, rows)))


@printer.command(
    "set",
    help="Đặt địa chỉ máy in: default (thay MOTCUA_PRINTER), ki-ốt (kiosk:TÊN), quầy (counter:SỐ).",
)
@click.argument("name")
@click.argument("url")
def printer_set(name: str, url: str) -> None:
    from printers.connection import PrinterError, parse_printer_url
    from server.printing.spool import configure_printer

    url = url.strip()
    try:
        parse_printer_url(url)
    except PrinterError as error:
        raise click.ClickException(str(error)) from error
    on_database(load_settings(), lambda db: configure_printer(db, name, url))
    click.echo(f"Máy in {name}: {url} (máy chủ đang chạy dùng địa chỉ này từ phiếu tiếp theo).")


@printer.command(
    "unset",
    help="Bỏ địa chỉ đã đặt: ki-ốt, quầy về máy in chung; máy in chung về MOTCUA_PRINTER.",
)
@click.argument("name")
def printer_unset(name: str) -> None:
    from server.printing.spool import configure_printer, printer_status

    settings = load_settings()

    def unset(db: Database) -> None:
        printer_status(db, name)  # an unknown name is an error, not a new row
        configure_printer(db, name, None)

    on_database(settings, unset)
    back_to = "MOTCUA_PRINTER" if name == "default" else "máy in chung"
    click.echo(f"Máy in {name}: về {back_to}; phiếu đang chờ in sẽ in ở đó.")


@main.command(
    "print-test",
    help="In trang thử: chữ Việt dạng ảnh, chữ CP1258, chữ TCVN-3 và mã QR. "
    "URL mặc định: MOTCUA_PRINTER.",
)
@click.argument("url", required=False)
def print_test(url: str | None) -> None:

    from printers.connection import PrinterError, open_printer, parse_printer_url
    from printers.status import STATE_LABELS, can_print
    from printers.test_page import build_test_page, describe
    from server.clock import SystemClock

    settings = load_settings()
    url = (url or settings.printer).strip()
    try:
        target = parse_printer_url(url)
    except PrinterError as error:
        raise click.ClickException(str(error)) from error
    device = open_printer(url)
    click.echo(f"Máy in: {url}")
    click.echo(f"  {' · '.join(describe(target.options))}")
    state = device.status()
    click.echo(f"Trạng thái: {STATE_LABELS[state]}")
    if not can_print(state):
        raise click.ClickException(f"{STATE_LABELS[state]} ({url}): không gửi trang in thử.")
    qr_text = settings.public_url or url  # the address the receipts' QR codes point at
    moment = SystemClock.in_zone(settings.timezone).now()
    try:
        page = build_test_page(url, target.options, moment, qr_text)
        device.print_bytes(page.data, PRINT_TEST_NAME)
    except (ValueError, PrinterError) as error:
        raise click.ClickException(str(error)) from error
    report_test_page(page, target.options, qr_text)
    if target.kind == "dir":
        preview = Path(target.path or "") / f"{PRINT_TEST_NAME}.png"
        try:
            page.preview.save(preview)
        except OSError as error:
            raise click.ClickException(f"Không ghi được ảnh {preview}: {error}") from error
        click.echo(f"Ảnh xem trước phần 1: {preview}")
    click.echo(
        "Phần 2 hoặc 3 in giống hệt phần 1 thì máy in này in được chữ: thêm ?text=cp1258 "
        "hoặc ?text=tcvn3 vào địa chỉ máy in để in phiếu dạng chữ (nhỏ và nét hơn)."
    )


def report_test_page(page: PrintTestPage, options: PrintOptions, qr_text: str) -> None:
    """What went to the printer, part by part, with the ESC t numbers the profile gave."""

    def selected(*code_pages: str) -> str:
        missing = [name for name in code_pages if page.code_pages[name] is None]
        if missing:
            return (
                f"cấu hình {options.profile} không có trang {', '.join(missing)}: máy in "
                "theo trang đang chọn"
            )
        return ", ".join(f"ESC t {page.code_pages[name]} ({name})" for name in code_pages)

    size = f"{len(page.data):,}".replace(",", ".")  # 25.228: the Vietnamese thousands mark
    qr_kind = "lệnh của máy in" if options.native_qr else "dạng ảnh"
    click.echo(f"Đã gửi trang in thử ({size} byte):")
    click.echo(f"  1. Ảnh (raster): {page.preview.width} × {page.preview.height} chấm")
    click.echo(f"  2. Chữ CP1258: {selected('CP1258')}")
    click.echo(f"  3. Chữ TCVN-3: {selected('TCVN-3-1', 'TCVN-3-2')}")
    click.echo(f"  4. Mã QR ({qr_kind}): {qr_text}")


if __name__ == "__main__":
    main()


@main.group(help="Máy chủ tổng hợp của tỉnh (PostgreSQL, MOTCUA_HUB_DATABASE).")
def hub() -> None:
    pass


def hub_settings() -> Settings:
    settings = load_settings()
    if not settings.hub_database:
        raise click.ClickException(
            "Chưa đặt MOTCUA_HUB_DATABASE (dạng postgresql://NGƯỜI-DÙNG:MẬT-KHẨU@MÁY/TÊN-CSDL)."
        )
    return settings


def on_hub_database(work: Callable[[Any, Settings], Any]) -> Any:
    """work(conn, settings) on the hub's PostgreSQL, migrated first; a domain error becomes
    the command's error, in Vietnamese, exit status 1."""
    from server.errors import DomainError
    from server.hub.migrations import migrate
    from server.hub.store import Unreachable, connect

    settings = hub_settings()
    try:
        with connect(settings.hub_database, settings.timezone) as conn:
            migrate(conn)
            return work(conn, settings)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    except Unreachable as error:
        raise click.ClickException(f"Không kết nối được PostgreSQL: {error}") from error


@hub.command("serve", help="Chạy máy chủ tổng hợp (nhiều luồng, waitress).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5100, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(min=1))
def hub_serve(host: str, port: int, threads: int) -> None:
    import waitress

    from server.web.hub.app import create_hub_app

    app = create_hub_app(hub_settings(), pool_size=threads)
    click.echo(f"Máy chủ tổng hợp tại http://{host}:{port}", err=True)
    # Waitress would drop nginx's X-Forwarded-* before the app sees them; the app's ProxyFix
    # believes them, and only with MOTCUA_TRUSTED_PROXIES (server/web/hub/app.py).
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="motcua-hub",
        clear_untrusted_proxy_headers=False,
    )


@hub.command("migrate", help="Tạo hoặc nâng cấp cơ sở dữ liệu PostgreSQL của máy chủ tổng hợp.")
def hub_migrate() -> None:
    on_hub_database(lambda conn, settings: None)
    click.echo("Cơ sở dữ liệu của máy chủ tổng hợp đã sẵn sàng.")


@hub.command("add-center", help="Đăng ký một trung tâm; in mã truy cập của nó (một lần).")
@click.argument("center_id")
@click.option("--name", required=True, help="Tên trung tâm.")
def hub_add_center(center_id: str, name: str) -> None:
    from server.clock import SystemClock
    from server.hub.centers import add_center

    token = on_hub_database(
        lambda conn, s: add_center(conn, SystemClock.in_zone(s.timezone), center_id, name)
    )
    click.echo(f"Đã đăng ký trung tâm {center_id}. Mã truy cập (chỉ hiện lần này):")
    click.echo(token)
    click.echo(f"Đặt ở trung tâm: MOTCUA_HUB_TOKEN={token}", err=True)


@hub.command("rotate-token", help="Cấp mã truy cập mới cho trung tâm; mã cũ hết hiệu lực ngay.")
@click.argument("center_id")
def hub_rotate_token(center_id: str) -> None:
    from server.hub.centers import rotate_token

    token = on_hub_database(lambda conn, s: rotate_token(conn, center_id))
    click.echo(f"Mã truy cập mới của trung tâm {center_id} (chỉ hiện lần này):")
    click.echo("Mã cũ đã hết hiệu lực: đặt mã mới vào MOTCUA_HUB_TOKEN của trung tâm.", err=True)
    click.echo(token)


@hub.command("centers", help="Liệt kê các trung tâm đã đăng ký và lần gửi số liệu gần nhất.")
def hub_centers() -> None:
    from server.hub.centers import list_centers

    rows = on_hub_database(lambda conn, s: list_centers(conn))
    header = ("mã", "tên", "gửi gần nhất")
    body = [(row["id"], row["name"], row["last_received_at"] or "chưa gửi") for row in rows]
    click.echo(aligned(header, body) if body else "Chưa có trung tâm nào.")


@hub.group("user", help="Tài khoản của máy chủ tổng hợp.")
def hub_user() -> None:
    pass


@hub_user.command("add", help="Thêm tài khoản; mật khẩu đọc từ đầu vào chuẩn.")
@click.argument("name")
def hub_user_add(name: str) -> None:
    from server.clock import SystemClock
    from server.hub.accounts import add_user

    password = read_password()
    on_hub_database(lambda conn, s: add_user(conn, SystemClock.in_zone(s.timezone), name, password))
    click.echo(f"Đã thêm tài khoản {name} (máy chủ tổng hợp).")
