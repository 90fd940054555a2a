"""The `motcua` command line."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from server.cli import main
from server.clock import FixedClock
from server.settings import Settings
from server.setup.admin.catalog import procedure_record, update_procedure
from server.setup.admin.center import center_setup, update_center
from server.setup.audit import recent_changes
from server.setup.auth import authenticate
from server.storage.db import open_database


@pytest.fixture
def runner(tmp_path):
    return CliRunner(env={"MOTCUA_DB": str(tmp_path / "var" / "motcua.db")})


@pytest.fixture
def database(tmp_path):
    return tmp_path / "var" / "motcua.db"


def test_migrate_creates_the_database(runner, database):
    result = runner.invoke(main, ["migrate"])
    assert result.exit_code == 0, result.output
    assert database.exists()
    assert "Cơ sở dữ liệu đã sẵn sàng" in result.output


def test_user_add_reads_the_password_from_standard_input(runner, database):
    result = runner.invoke(
        main, ["user", "add", "nguyen.van.a", "--role", "officer"], input="mat-khau-bi-mat\n"
    )
    assert result.exit_code == 0, result.output
    assert "mat-khau-bi-mat" not in result.output
    db = open_database(database)
    user = authenticate(db, "nguyen.van.a", "mat-khau-bi-mat")
    assert (user.username, user.role) == ("nguyen.van.a", "officer")
    assert db.execute("SELECT count(*) FROM procedures").fetchone()[0] > 0


@pytest.mark.parametrize(
    ("arguments", "password", "message"),
    [
        (["user", "add", "canbo", "--role", "officer"], "ngan\n", "ít nhất 8 ký tự"),
        (["user", "add", "Cán Bộ", "--role", "officer"], "mat-khau-du-dai\n", "Tên đăng nhập"),
        (["user", "add", "canbo", "--role", "boss"], "mat-khau-du-dai\n", "boss"),
    ],
)
def test_user_add_refuses_bad_input(runner, arguments, password, message):
    result = runner.invoke(main, arguments, input=password)
    assert result.exit_code != 0
    assert message in result.output


def test_user_add_refuses_a_taken_name(runner):
    runner.invoke(main, ["user", "add", "canbo", "--role", "officer"], input="mat-khau-du-dai\n")
    again = runner.invoke(
        main, ["user", "add", "canbo", "--role", "admin"], input="khac-mat-khau\n"
    )
    assert again.exit_code != 0
    assert "đã có" in again.output


def test_demo_prints_the_passwords_once_and_can_run_again(runner, database):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    passwords = {  # "Tài khoản canbo (officer) — mật khẩu: Xy…  (chỉ hiện một lần)"
        line.split()[2]: line.split("mật khẩu: ")[1].split()[0]
        for line in first.output.splitlines()
        if "mật khẩu:" in line
    }
    assert set(passwords) == {"canbo", "quantri"}
    db = open_database(database)
    assert authenticate(db, "canbo", passwords["canbo"]).role == "officer"
    assert authenticate(db, "quantri", passwords["quantri"]).role == "admin"

    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 0, second.output
    assert "mật khẩu:" not in second.output
    assert authenticate(db, "canbo", passwords["canbo"]) is not None
    assert db.execute("SELECT count(*) FROM counters").fetchone()[0] == 6


def test_a_bad_setting_is_reported_in_vietnamese(tmp_path):
    runner = CliRunner(
        env={"MOTCUA_DB": str(tmp_path / "x.db"), "MOTCUA_NO_APPOINTMENT_DAYS": "thu5"}
    )
    result = runner.invoke(main, ["migrate"])
    assert result.exit_code != 0
    assert "ngày không hợp lệ" in result.output


def test_backup_defaults_to_a_folder_next_to_the_database(runner, database):
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    result = runner.invoke(main, ["backup"])
    assert result.exit_code == 0, result.output
    copies = list((database.parent / "backups").glob("motcua-*.db"))
    assert len(copies) == 1
    assert f"Đã sao lưu và kiểm tra: {copies[0]}" in result.output


def test_backup_without_a_database_says_so_and_creates_nothing(runner, database):
    result = runner.invoke(main, ["backup"])
    assert result.exit_code == 1
    assert f"Không có cơ sở dữ liệu: {database}" in result.output
    assert not database.exists()


def test_check_catalog_names_the_mistake_and_touches_no_database(runner, database, tmp_path):
    from server.settings import DEFAULT_CATALOG

    good = runner.invoke(main, ["check-catalog", str(DEFAULT_CATALOG)])
    assert good.exit_code == 0, good.output
    assert "Danh mục hợp lệ" in good.output and "(7 không hẹn)" in good.output
    broken = tmp_path / "catalog.yaml"
    broken.write_text(DEFAULT_CATALOG.read_text(encoding="utf-8").replace("letter: B", "letter: A"))
    refused = runner.invoke(main, ["check-catalog", str(broken)])
    assert refused.exit_code == 1
    assert "field 'ho-tich': chữ cái 'A' đã dùng" in refused.output
    assert not database.exists()


def test_user_add_is_audited_as_made_by_the_command_line(runner, database):
    result = runner.invoke(
        main, ["user", "add", "tran.thi.b", "--role", "admin"], input="mat-khau-bi-mat\n"
    )
    assert result.exit_code == 0, result.output
    db = open_database(database)
    entries = recent_changes(db)
    assert [(e["action"], e["target"], e["username"]) for e in entries] == [
        ("user.add", "user:tran.thi.b", None)
    ]
    assert entries[0]["after"]["role"] == "admin"
    assert "mat-khau" not in str(entries[0])  # the audit log never holds a password


def test_user_add_refuses_an_empty_password(runner, database):
    result = runner.invoke(main, ["user", "add", "canbo", "--role", "officer"], input="\n")
    assert result.exit_code != 0
    assert "mật khẩu" in result.output
    assert (
        not database.exists()
        or open_database(database).execute("SELECT count(*) FROM users").fetchone()[0] == 0
    )


def test_running_the_demo_again_keeps_what_an_admin_saved(runner, database):
    """`make run` runs `motcua demo` before serving, every time: the second run must not put
    the catalog's opening hours, names or procedures back."""
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert len(first.output.splitlines()) <= 4, first.output
    db = open_database(database)
    clock = FixedClock(datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    settings = Settings(database=database)
    hours = {"mon": ["08:00-11:00"], "tue": ["08:00-11:00"]}
    update_center(db, clock, settings, None, {"name": "Trung tâm Lai Khê", "opening_hours": hours})
    update_procedure(db, clock, None, "chung-thuc-ban-sao", {"short_name": "Sao y"})
    saved = (center_setup(db, settings), procedure_record(db, "chung-thuc-ban-sao"))

    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 0, second.output
    assert "giữ nguyên" in second.output
    assert (center_setup(db, settings), procedure_record(db, "chung-thuc-ban-sao")) == saved
    assert saved[0]["opening_hours"]["mon"] == ["08:00-11:00"]
