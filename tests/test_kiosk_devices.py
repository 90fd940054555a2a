"""Registered kiosks take tickets beyond the per-address rate limit; nobody else does."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from server.cli import main
from server.errors import InvalidInput, NotFound
from server.setup.kiosk_devices import (
    kiosk_for_token,
    register_kiosk,
    registered_kiosks,
    remove_kiosk,
)

BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ticket_rate": 2}


def take(client, token: str | None = None) -> int:
    headers = {"X-Kiosk-Token": token} if token is not None else {}
    return client.post("/api/tickets", json=BODY, headers=headers).status_code


def test_a_registered_kiosk_is_not_rate_limited(client, db, clock):
    token = register_kiosk(db, clock, "sanh-1")
    assert [take(client, token) for _ in range(5)] == [201] * 5
    assert [take(client) for _ in range(3)] == [201, 201, 429]


@pytest.mark.parametrize("token", ["", "doan-bua-khong-co-that", "x" * 500])
def test_an_unknown_token_is_limited_like_anyone(client, db, clock, token):
    register_kiosk(db, clock, "sanh-1")
    assert [take(client, token) for _ in range(3)] == [201, 201, 429]


def test_registering_again_or_removing_revokes_the_old_token(db, clock):
    first = register_kiosk(db, clock, "sanh-1")
    second = register_kiosk(db, clock, "sanh-1")
    assert kiosk_for_token(db, first) is None
    assert kiosk_for_token(db, second) == "sanh-1"
    remove_kiosk(db, "sanh-1")
    assert kiosk_for_token(db, second) is None
    assert registered_kiosks(db) == []


def test_only_the_digest_is_stored(db, clock):
    token = register_kiosk(db, clock, "sanh-1")
    dump = "\n".join(db.conn.iterdump())
    assert token not in dump


def test_bad_names_and_unknown_kiosks_are_refused(db, clock):
    with pytest.raises(InvalidInput, match="Tên ki-ốt không hợp lệ"):
        register_kiosk(db, clock, "Sảnh 1")
    with pytest.raises(NotFound, match="Không có ki-ốt đã đăng ký tên 'sanh-9'"):
        remove_kiosk(db, "sanh-9")
    assert registered_kiosks(db) == []


def test_the_command_line_prints_the_kiosk_address_once(tmp_path, client):
    runner = CliRunner(
        env={"MOTCUA_DB": str(tmp_path / "cli.db"), "MOTCUA_PUBLIC_URL": "http://10.0.0.5:8000"}
    )
    added = runner.invoke(main, ["kiosk", "add", "sanh-1"])
    assert added.exit_code == 0, added.output
    address = re.search(r"http://10\.0\.0\.5:8000/kiosk\?kiosk=sanh-1&token=(\S+)", added.output)
    assert address, added.output
    listed = runner.invoke(main, ["kiosk", "list"])
    assert "sanh-1" in listed.output and address[1] not in listed.output
    removed = runner.invoke(main, ["kiosk", "remove", "sanh-1"])
    assert removed.exit_code == 0
    assert "Chưa có ki-ốt nào đăng ký." in runner.invoke(main, ["kiosk", "list"]).output
    again = runner.invoke(main, ["kiosk", "remove", "sanh-1"])
    assert again.exit_code == 1
    assert "Không có ki-ốt đã đăng ký tên 'sanh-1'." in again.output
