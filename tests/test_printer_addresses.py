"""Printer addresses an admin cannot abuse: what PUT /api/admin/printers/ID refuses.

From the admin's page a printer is a LAN printer on a printer port (9100-9102) that is not the
server itself, a USB printer's device /dev/usb/lpN, a file or folder inside
MOTCUA_PRINTER_FOLDERS, or none. Everything else (usb:, serial:, any other file or folder, any
other port) is the installer's, on the command line. A refusal is a 400 that names what is
allowed and changes nothing: no printer row, no audit entry, no byte written anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from server.cli import main
from server.printing.worker import PrintWorker
from server.settings import SettingsError, settings_from_env
from server.storage.db import open_database


def saved(db: Any) -> list[tuple[Any, ...]]:
    """Everything a refused change must leave as it was."""
    printers = db.execute("SELECT name, url FROM printers ORDER BY name").fetchall()
    audit = db.execute("SELECT count(*) FROM audit_log").fetchone()
    return [*printers, audit]


def assert_refused(admin: Any, db: Any, url: str, queue: str = "counter:1") -> str:
    """PUT the URL, check it was refused without a trace; the message."""
    before = saved(db)
    response = admin.put(f"/api/admin/printers/{queue}", json={"url": url})
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == "printer_url_not_allowed"
    # The message says what the page can set, and where the rest is set.
    assert "tcp://ĐỊA_CHỈ:9100" in error["message"]
    assert "file:/dev/usb/lp0" in error["message"]
    assert "motcua printer set" in error["message"]
    assert saved(db) == before
    return error["message"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:/etc/passwd", "Tệp /etc/passwd nằm ngoài chỗ được phép"),
        ("file:/dev/usb/../../etc/passwd", "nằm ngoài chỗ được phép"),
        ("file:/dev/sda", "nằm ngoài chỗ được phép"),
        ("file:/dev/usb/lp0x", "nằm ngoài chỗ được phép"),
        ("dir:/tmp/phieu", "Thư mục /tmp/phieu nằm ngoài chỗ được phép"),
        ("dir:var/receipts", "nằm ngoài chỗ được phép"),
        ("usb://04b8:0202", "Máy in usb: không đặt được từ trang quản trị"),
        ("serial:///dev/ttyUSB0?baudrate=9600", "Máy in serial: không đặt được"),
        ("tcp://192.168.1.50:22", "cổng máy in 9100, 9101 hoặc 9102 (nhận 22)"),
        ("tcp://192.168.1.50:631", "(nhận 631)"),
        ("tcp://192.168.1.50:515", "(nhận 515)"),
        ("tcp://may-in.local:80", "(nhận 80)"),
        ("tcp://127.0.0.1:9100", "không phải 127.0.0.1"),
        ("tcp://127.0.0.1", "không phải 127.0.0.1"),  # the default port, 9100
        ("tcp://127.1:9100", "không phải 127.1"),
        ("tcp://2130706433:9100", "không phải 2130706433"),
        ("tcp://localhost:9101", "không phải localhost"),
        ("tcp://LOCALHOST.:9101", "không phải localhost"),
        ("tcp://[::1]:9100", "không phải ::1"),
        ("tcp://[::ffff:127.0.0.1]:9100", "không phải ::ffff:127.0.0.1"),
        ("tcp://0.0.0.0:9100", "không phải 0.0.0.0"),
        ("tcp://224.0.0.1:9100", "không phải 224.0.0.1"),
        ("tcp://255.255.255.255:9100", "không phải 255.255.255.255"),
    ],
)
def test_the_admin_page_cannot_point_a_printer_anywhere(admin, db, url, why):
    assert why in assert_refused(admin, db, url)


def test_the_default_printer_and_a_kiosk_follow_the_same_rules(admin, db):
    assert_refused(admin, db, "file:/etc/passwd", queue="default")
    assert_refused(admin, db, "tcp://127.0.0.1:9100", queue="kiosk:sanh-1")


def test_a_receipt_can_no_longer_be_appended_into_the_servers_own_files(admin, db, tmp_path, issue):
    """The finding: file: on a .pth in site-packages, then one ticket, and every Python start
    failed. Refused, nothing is ever written there."""
    site_packages = tmp_path / "venv" / "lib" / "site-packages"
    site_packages.mkdir(parents=True)
    target = site_packages / "motcua.pth"
    target.write_text("/srv/motcua\n")
    assert_refused(admin, db, f"file:{target}", queue="default")
    issue()
    assert target.read_text() == "/srv/motcua\n"
    assert db.execute("SELECT printer FROM print_jobs").fetchall() == [("default",)]
    assert db.execute("SELECT url FROM printers WHERE name = 'default'").fetchone() == (None,)


@pytest.mark.parametrize(
    "url",
    [
        "tcp://192.168.1.50:9100",
        "tcp://192.168.1.50",  # 9100 when left out
        "tcp://10.0.0.7:9101?paper=58",
        "tcp://192.168.1.50:9102",
        "tcp://may-in-quay-1.local:9100",
        "tcp://[fd00::50]:9100",
        "file:/dev/usb/lp0",
        "file:/dev/usb/lp12?paper=58&text=cp1258",
        "none",
    ],
)
def test_lan_printers_usb_printer_devices_and_none_are_allowed(admin, url):
    response = admin.put("/api/admin/printers/counter:1", json={"url": url})
    assert response.status_code == 200, response.json
    assert response.json["url"] == url
    assert admin.put("/api/admin/printers/counter:1", json={"url": None}).status_code == 200


class TestAllowedFolders:
    """MOTCUA_PRINTER_FOLDERS: the installer lets the admin's page use a few folders."""

    @pytest.fixture
    def allowed(self, tmp_path: Path) -> Path:
        folder = tmp_path / "phieu"
        folder.mkdir()
        return folder

    @pytest.fixture
    def app_config(self, app_config, allowed, tmp_path):
        return {**app_config, "printer_folders": (tmp_path / "khac", allowed)}

    @pytest.mark.parametrize("inside", ["", "/", "/sanh-1", "/sanh-1/ngay", "/lp.bin", "/./x/../y"])
    def test_dir_and_file_inside_an_allowed_folder(self, admin, allowed, inside):
        kinds = ["dir"] + (["file"] if inside.strip("/") else [])  # file: is not the folder
        for kind in kinds:
            url = f"{kind}:{allowed}{inside}"
            response = admin.put("/api/admin/printers/kiosk:sanh-1", json={"url": url})
            assert response.status_code == 200, response.json
            assert response.json["url"] == url

    def test_a_folder_the_admin_sets_receives_the_receipts(self, app, admin, allowed, issue):
        response = admin.put("/api/admin/printers/default", json={"url": f"dir:{allowed}/sanh"})
        assert response.status_code == 200, response.json
        ticket = issue()
        services = app.extensions["motcua"]
        worker = PrintWorker(
            services.settings, services.clock, lambda status: None, spawn=print, sleep=print
        )
        assert worker.print_next("default") is True
        [preview] = (allowed / "sanh").glob("*.png")
        assert preview.name.startswith(ticket["number"])

    def test_a_way_out_of_the_folder_is_refused(self, admin, db, allowed, tmp_path):
        outside = tmp_path / "ngoai"
        outside.mkdir()
        (allowed / "loi-tat").symlink_to(outside)
        for url in (
            f"dir:{allowed}/../ngoai",
            f"file:{allowed}/../ngoai/lp.bin",
            f"dir:{allowed}/loi-tat",
            f"file:{allowed}/loi-tat/lp.bin",
            f"dir:{allowed}-2",  # a sibling whose name starts the same
            f"file:{allowed}",  # the folder itself is not a file to append to
        ):
            message = assert_refused(admin, db, url)
            assert f"tệp hoặc thư mục trong {tmp_path / 'khac'}, {allowed}" in message

    def test_usb_and_serial_stay_with_the_installer(self, admin, db):
        assert_refused(admin, db, "usb://0416:5011")
        assert_refused(admin, db, "serial:///dev/ttyS0")


def test_the_command_line_still_sets_any_printer(tmp_path):
    """The installer, on the server, is trusted with every address: a USB or serial printer,
    a fake LAN printer on this machine, a file of their choice."""
    database = tmp_path / "motcua.db"
    runner = CliRunner(env={"MOTCUA_DB": str(database), "MOTCUA_PRINTER": "none"})
    urls = {
        "kiosk:sanh-1": "tcp://127.0.0.1:9100",
        "kiosk:sanh-2": "serial:///dev/ttyUSB0?baudrate=19200",
        "kiosk:sanh-3": f"file:{tmp_path / 'lp0'}",
        "counter:1": "usb://0416:5011?paper=58",
    }
    for queue, url in urls.items():
        result = runner.invoke(main, ["printer", "set", queue, url])
        assert result.exit_code == 0, result.output
    db = open_database(database)
    try:
        rows = dict(db.execute("SELECT name, url FROM printers WHERE url IS NOT NULL"))
    finally:
        db.conn.close()
    assert rows == urls


def test_allowed_folders_are_read_from_the_environment():
    settings = settings_from_env({"MOTCUA_PRINTER_FOLDERS": "/srv/phieu: /var/lib/motcua/in:"})
    assert settings.printer_folders == (Path("/srv/phieu"), Path("/var/lib/motcua/in"))
    assert settings_from_env({}).printer_folders == ()
    with pytest.raises(SettingsError, match="MOTCUA_PRINTER_FOLDERS: cần đường dẫn tuyệt đối"):
        settings_from_env({"MOTCUA_PRINTER_FOLDERS": "/srv/phieu:var/phieu"})


def test_a_control_character_in_an_address_is_a_bad_address_not_a_crash(admin, db):
    before = saved(db)
    for url in ("tcp://192.168.1.50\x00:9100", "file:/dev/usb/lp0\x00"):
        response = admin.put("/api/admin/printers/counter:1", json={"url": url})
        assert (response.status_code, response.json["error"]["code"]) == (400, "invalid_url")
        assert "có ký tự điều khiển" in response.json["error"]["message"]
    assert saved(db) == before
