"""`motcua printer list|set|unset` and `motcua print-test`, and the test page they print."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import pytest
from click.testing import CliRunner
from PIL import Image

from printers.escpos_bytes import PrintOptions
from printers.test_page import SAMPLE, SAMPLE_LINES, alphabet_lines, build_test_page
from printers.text_mode import cp1258_bytes, tcvn3_line
from server.cli import main
from server.printing.spool import configure_printer, printer_url, queue_for
from server.settings import Settings
from server.storage.db import open_database
from tests.fake_printer import FakeLanPrinter
from tests.test_receipt import decode_rasters

PUBLIC_URL = "http://motcua.local"
LAN_PRINTER = "tcp://192.168.1.51:9100"


@pytest.fixture
def database(tmp_path):
    return tmp_path / "var" / "motcua.db"


@pytest.fixture
def receipts(tmp_path):
    return tmp_path / "receipts"


@pytest.fixture
def runner(database, receipts):
    return CliRunner(
        env={
            "MOTCUA_DB": str(database),
            "MOTCUA_PRINTER": f"dir:{receipts}",
            "MOTCUA_PUBLIC_URL": PUBLIC_URL,
        }
    )


@pytest.fixture
def lan_printer():
    printer = FakeLanPrinter()
    yield printer
    printer.close()


def listed(runner) -> dict[str, list[str]]:
    """`motcua printer list` as name → [address, state, pending]."""
    result = runner.invoke(main, ["printer", "list"])
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert re.split(r"\s{2,}", header) == ["MÁY IN", "ĐỊA CHỈ", "TRẠNG THÁI", "CHỜ IN"]
    rows = [re.split(r"\s{2,}", line) for line in lines]
    return {name: rest for name, *rest in rows}


def test_set_list_and_unset_a_kiosk_and_a_counter_printer(runner, database, receipts):
    default = f"MOTCUA_PRINTER: dir:{receipts}"
    assert listed(runner) == {"default": [default, "Chưa rõ trạng thái máy in", "0"]}

    result = runner.invoke(main, ["printer", "set", "kiosk:sanh-1", LAN_PRINTER])
    assert result.exit_code == 0, result.output
    assert "kiosk:sanh-1" in result.output
    result = runner.invoke(main, ["printer", "set", "counter:3", "usb://0416:5011?paper=58"])
    assert result.exit_code == 0, result.output
    assert listed(runner) == {
        "default": [default, "Chưa rõ trạng thái máy in", "0"],
        "counter:3": ["usb://0416:5011?paper=58", "Chưa rõ trạng thái máy in", "0"],
        "kiosk:sanh-1": [LAN_PRINTER, "Chưa rõ trạng thái máy in", "0"],
    }
    db = open_database(database)
    settings = Settings(database=database, printer=f"dir:{receipts}")
    assert queue_for(db, "kiosk:sanh-1") == "kiosk:sanh-1"
    assert printer_url(db, settings, "kiosk:sanh-1") == LAN_PRINTER
    db.conn.close()

    result = runner.invoke(main, ["printer", "unset", "kiosk:sanh-1"])
    assert result.exit_code == 0, result.output
    assert "máy in chung" in result.output
    assert listed(runner)["kiosk:sanh-1"][0] == default
    db = open_database(database)
    assert queue_for(db, "kiosk:sanh-1") == "default"
    assert queue_for(db, "counter:3") == "counter:3"
    db.conn.close()


def test_list_shows_a_url_the_default_queue_was_given_elsewhere(runner, database):
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    db = open_database(database)
    configure_printer(db, "default", LAN_PRINTER)  # as the admin's page can
    db.conn.close()
    assert listed(runner)["default"][0] == LAN_PRINTER


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("192.168.1.51", "thiếu loại kết nối"),
        ("lpt://1", "loại kết nối không được hỗ trợ"),
        ("tcp://192.168.1.51:9100?paper=57", "paper phải là 80 hoặc 58"),
        ("usb://04b8", "mã hex"),
        ("tcp://192.168.1.51?profile=KHONG-CO", "không biết cấu hình máy in"),
    ],
)
def test_a_bad_url_is_refused_and_nothing_is_written(runner, database, url, message):
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    result = runner.invoke(main, ["printer", "set", "kiosk:sanh-1", url])
    assert result.exit_code != 0
    assert "Địa chỉ máy in không hợp lệ" in result.output
    assert message in result.output
    db = open_database(database)
    assert db.execute("SELECT name FROM printers").fetchall() == [("default",)]
    db.conn.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["printer", "set", "counter:99", LAN_PRINTER], "Không có quầy 99"),
        (["printer", "set", "Kiosk Sảnh", LAN_PRINTER], "Tên máy in không hợp lệ"),
        (["printer", "unset", "kiosk:khong-co"], "Không có máy in 'kiosk:khong-co'"),
    ],
)
def test_a_name_that_cannot_be_set_is_refused(runner, database, arguments, message):
    result = runner.invoke(main, arguments)
    assert result.exit_code != 0
    assert message in result.output
    assert set(listed(runner)) == {"default"}


def test_print_test_sends_one_job_with_every_part(runner, lan_printer):
    url = f"tcp://127.0.0.1:{lan_printer.port}"
    result = runner.invoke(main, ["print-test", url])
    assert result.exit_code == 0, result.output
    assert "Trạng thái: Máy in sẵn sàng" in result.output
    assert "ESC t 52 (CP1258)" in result.output
    [job] = lan_printer.wait_for_jobs(1)
    assert job.startswith(b"\x1b@")
    assert b"\x1dv0" in job  # raster
    assert b"\x1bt\x34" + cp1258_bytes(SAMPLE) in job  # ESC t 52: CP1258 on TM-T20II
    page, encoded = tcvn3_line(SAMPLE)
    assert page == "TCVN-3-1"
    assert b"\x1bt\x1e" + encoded in job  # ESC t 30
    assert b"\x1d(k" in job  # native QR
    assert lan_printer.printed_qr_codes() == [PUBLIC_URL]
    assert job.endswith(b"\x1dV\x00")  # cut
    assert lan_printer.jobs == [job]


def test_print_test_does_not_send_to_a_printer_out_of_paper(runner, lan_printer):
    lan_printer.paper = "out"
    result = runner.invoke(main, ["print-test", f"tcp://127.0.0.1:{lan_printer.port}"])
    assert result.exit_code != 0
    assert "hết giấy" in result.output
    assert "không gửi trang in thử" in result.output
    assert lan_printer.status_queries >= 1
    assert lan_printer.jobs == lan_printer.lost == []


def test_print_test_to_a_folder_writes_the_bytes_and_a_preview(runner, receipts):
    result = runner.invoke(main, ["print-test"])  # MOTCUA_PRINTER
    assert result.exit_code == 0, result.output
    assert (receipts / "print-test.bin").read_bytes().startswith(b"\x1b@")
    with Image.open(receipts / "print-test.png") as preview:
        assert (preview.mode, preview.width) == ("1", 576)
    assert str(receipts / "print-test.png") in result.output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("none", "Không dùng máy in"),
        ("tcp://127.0.0.1:cong", "Địa chỉ máy in không hợp lệ"),
        ("dir:receipts?profile=POS-5890", "thêm ?paper=58"),  # 80 mm on a 58 mm printer
    ],
)
def test_print_test_refuses_what_it_cannot_print_to(runner, url, message, tmp_path):
    result = runner.invoke(main, ["print-test", url.replace("dir:", f"dir:{tmp_path}/")])
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "receipts").exists()


def test_a_profile_without_a_width_prints_without_a_notice(runner, receipts):
    result = runner.invoke(main, ["print-test", f"dir:{receipts}?profile=default"])
    assert result.exit_code == 0, result.output
    assert "media.width" not in result.output


# --- the page itself ------------------------------------------------------------------------


def test_the_alphabet_has_every_vietnamese_letter_once():
    letters = [char for line in alphabet_lines() for char in line if char != " "]
    assert len(letters) == len(set(letters)) == 146
    assert len([char for char in letters if not char.isascii()]) == 134
    assert all(unicodedata.is_normalized("NFC", line) for line in SAMPLE_LINES)
    assert all(len(line) <= 32 for line in alphabet_lines())  # 58 mm, in characters


@pytest.mark.parametrize("options", [PrintOptions(), PrintOptions(width_dots=384)])
def test_the_raster_part_prints_as_its_preview(options):
    page = build_test_page("tcp://may-in:9100", options, datetime(2026, 11, 26, 9, 5), PUBLIC_URL)
    assert page.preview.width == options.width_dots
    decoded = decode_rasters(page.data, options.width_dots)
    top = decoded.crop((0, 0, options.width_dots, page.preview.height))
    assert top.tobytes() == page.preview.convert("1").tobytes()
    assert decoded.height > page.preview.height  # part 4's title


def test_the_text_parts_follow_the_profile():
    moment = datetime(2026, 11, 26, 9, 5)
    options = PrintOptions(width_dots=384, profile="POS-5890")
    page = build_test_page("usb://0416:5011?paper=58&profile=POS-5890", options, moment, "x")
    assert page.code_pages == {"CP1258": 94, "TCVN-3-1": None, "TCVN-3-2": None}
    assert b"\x1bt\x5e" + cp1258_bytes(SAMPLE) in page.data  # ESC t 94
    assert tcvn3_line(SAMPLE)[1] in page.data


def test_a_printer_without_native_qr_gets_it_as_an_image():
    moment = datetime(2026, 11, 26, 9, 5)
    native = build_test_page("dir:x", PrintOptions(), moment, PUBLIC_URL)
    image = build_test_page("dir:x", PrintOptions(native_qr=False), moment, PUBLIC_URL)
    assert b"\x1d(k" in native.data
    assert b"\x1d(k" not in image.data
    assert image.data.count(b"\x1dv0") > native.data.count(b"\x1dv0")


def test_the_default_printer_can_be_set_over_motcua_printer_and_back(runner, database, receipts):
    assert runner.invoke(main, ["printer", "set", "default", LAN_PRINTER]).exit_code == 0
    assert listed(runner)["default"][0] == LAN_PRINTER
    result = runner.invoke(main, ["printer", "unset", "default"])
    assert result.exit_code == 0 and "về MOTCUA_PRINTER" in result.output
    assert listed(runner)["default"][0] == f"MOTCUA_PRINTER: dir:{receipts}"
