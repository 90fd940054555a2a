"""Passwords a guesser tries first are refused, however the password is set: an admin adding an
account or resetting a password, `motcua user add`, a user changing their own."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from server.cli import main
from server.setup.passwords import COMMON_LIST
from tests.conftest import PASSWORD

GUESSABLE = {
    "12345678": "quá phổ biến",
    "password": "quá phổ biến",
    "matkhau123": "quá phổ biến",
    "Mật-Khẩu@2026": "quá phổ biến",  # the common one, accents, symbols and a year around it
    "P@ssw0rd1": "quá phổ biến",
    "11111111": "quá phổ biến",
    "nguyenvana": "tên đăng nhập",
    "NguyenVanA1990": "tên đăng nhập",
    "qwertyui": "dãy liên tiếp",
    "poiuytrewq": "dãy liên tiếp",
    "asdfghjk": "dãy liên tiếp",
    "abcdefgh": "dãy liên tiếp",
    "98765432": "dãy liên tiếp",
    "zzzzzzzz": "lặp lại",
    "abababab": "lặp lại",
    "xyzxyzxyz": "lặp lại",
    "01011990": "chỉ gồm chữ số",
    "0912 345 678": "chỉ gồm chữ số",
    "ngan": "ít nhất 8 ký tự",
}
ACCEPTED = ["hoa sen nở giữa hồ", "Cây đa đầu làng 2026", "xe-dap-mau-xanh", PASSWORD]


@pytest.mark.parametrize(("password", "why"), GUESSABLE.items())
def test_the_admin_page_refuses_a_guessable_password(admin, db, password, why):
    body = {"username": "nguyenvana", "password": password}
    refused = admin.post("/api/admin/users", json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "weak_password")
    assert why in refused.json["error"]["message"]
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 3


@pytest.mark.parametrize("password", ACCEPTED)
def test_a_phrase_easy_to_remember_is_accepted(admin, password):
    body = {"username": "nguyenvana", "password": password}
    assert admin.post("/api/admin/users", json=body).status_code == 201


def test_a_reset_refuses_a_guessable_password_and_keeps_the_old_one(app, admin):
    reset = admin.post("/api/admin/users/1/password", json={"password": "canbo123"})
    assert (reset.status_code, reset.json["error"]["code"]) == (400, "weak_password")
    again = app.test_client().post("/api/session", json={"username": "canbo", "password": PASSWORD})
    assert again.status_code == 200


def test_an_officer_cannot_choose_a_guessable_password(officer):
    body = {"current_password": PASSWORD, "new_password": "matkhau123"}
    refused = officer.post("/api/session/password", json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "weak_password")


def test_the_command_line_refuses_a_guessable_password(tmp_path):
    runner = CliRunner(env={"MOTCUA_DB": str(tmp_path / "motcua.db")})
    result = runner.invoke(main, ["user", "add", "lan", "--role", "officer"], input="12345678\n")
    assert result.exit_code != 0
    assert "Mật khẩu này quá phổ biến" in result.output


def test_the_list_is_written_as_it_is_compared():
    """Each entry lower-case letters and digits, as passwords are folded before comparing."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line and not line.startswith("#")]
    assert len(entries) > 100
    assert [e for e in entries if not re.fullmatch(r"[a-z0-9]+", e)] == []
    assert len(set(entries)) == len(entries)
