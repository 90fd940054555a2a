"""`motcua`: serve, migrate, demo, user add, voice render-espeak.

Every command creates and migrates the database when it does not exist yet. `serve`
monkey-patches eventlet before anything imports Flask, so this module imports neither
at the top.
"""

from __future__ import annotations

import sys
import warnings

import click

from server.settings import SettingsError, settings_from_env

DEMO_USERS = (("canbo", "officer"), ("quantri", "admin"))


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
    run_blocking = None
    if settings.async_mode == "eventlet":
        # eventlet prints a deprecation banner on import; it is our production server on
        # purpose (docs/architecture.md), so the installer need not see it on every start.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
        from eventlet import tpool

        run_blocking = tpool.execute  # USB and serial writes block: keep them off the hub
    from server import create_app
    from server.realtime import start_print_worker

    app = create_app()
    realtime = app.extensions["motcua"].realtime
    start_print_worker(realtime, run_blocking)
    socketio = realtime.socketio
    click.echo(
        f"motcua-queue đang chạy tại http://{host}:{port} (cơ sở dữ liệu {settings.database})"
    )
    # Werkzeug's server (async_mode threading) is for development: allowed here on purpose.
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=False,
        allow_unsafe_werkzeug=settings.async_mode == "threading",
    )


@main.command(help="Tạo hoặc nâng cấp cơ sở dữ liệu.")
def migrate() -> None:
    from server.db import migrate as apply_migrations

    settings = load_settings()
    apply_migrations(settings.database)
    click.echo(f"Cơ sở dữ liệu đã sẵn sàng: {settings.database}")


@main.command(help="Nạp danh mục mẫu, các quầy và hai tài khoản mẫu (chạy lại không sao).")
def demo() -> None:
    from server.app import prepare_database
    from server.auth import add_user, new_password, user_exists
    from server.catalog import install_catalog, load_catalog
    from server.clock import SystemClock
    from server.db import open_database

    settings = load_settings()
    prepare_database(settings)
    db = open_database(settings.database)
    try:
        install_catalog(db, load_catalog(settings.catalog))
        click.echo(f"Đã nạp danh mục: {settings.catalog}")
        from zoneinfo import ZoneInfo

        clock = SystemClock(ZoneInfo(settings.timezone))
        for username, role in DEMO_USERS:
            if user_exists(db, username):
                click.echo(f"Tài khoản {username} ({role}) đã có, giữ nguyên mật khẩu.")
                continue
            password = new_password()
            add_user(db, clock, username, password, role)
            click.echo(f"Tài khoản {username} ({role}) — mật khẩu: {password}  (chỉ hiện một lần)")
    finally:
        db.conn.close()


@main.group(help="Quản lý tài khoản cán bộ.")
def user() -> None:
    pass


@user.command("add", help="Thêm tài khoản; mật khẩu đọc từ đầu vào chuẩn.")
@click.argument("name")
@click.option("--role", type=click.Choice(["officer", "admin"]), required=True)
def user_add(name: str, role: str) -> None:
    from zoneinfo import ZoneInfo

    from server.app import prepare_database
    from server.auth import add_user
    from server.clock import SystemClock
    from server.db import open_database
    from server.errors import DomainError

    settings = load_settings()
    prepare_database(settings)
    if sys.stdin.isatty():
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    db = open_database(settings.database)
    try:
        add_user(db, SystemClock(ZoneInfo(settings.timezone)), name, password, role)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    finally:
        db.conn.close()
    click.echo(f"Đã thêm tài khoản {name} ({role}).")


@main.group(help="Giọng đọc gọi số.")
def voice() -> None:
    pass


@voice.command(
    "render-espeak",
    help="Tạo các đoạn âm thanh gọi số bằng espeak-ng (giọng dự phòng) cạnh cơ sở dữ liệu.",
)
@click.option("--force", is_flag=True, help="Tạo lại cả những đoạn đã có.")
def voice_render_espeak(force: bool) -> None:
    from server.db import migrate as apply_migrations
    from server.voice import VOCABULARY
    from server.voice_clips import espeak_folder, render_espeak

    settings = load_settings()
    apply_migrations(settings.database)
    folder = espeak_folder(settings.database)
    rendered = render_espeak(folder, force=force)
    if rendered is None:
        click.echo("Không có espeak-ng: bỏ qua giọng dự phòng (màn hình dùng giọng khác).")
        return
    click.echo(
        f"Giọng dự phòng espeak-ng: tạo mới {len(rendered)} đoạn, "
        f"có đủ {len(VOCABULARY)} đoạn trong {folder}"
    )


if __name__ == "__main__":
    main()
