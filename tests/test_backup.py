"""Online backups: a consistent, checked copy while tickets are being issued; the last N kept."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta

import pytest

from server.storage.backup import BackupError, backup_database, backups, check_database

BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True}


def test_a_backup_taken_while_tickets_are_issued_opens_and_checks(app, db_path, tmp_path):
    stop = threading.Event()
    issued: list[str] = []

    def kiosk() -> None:
        client = app.test_client()
        while not stop.is_set():
            response = client.post("/api/tickets", json=BODY)
            assert response.status_code == 201
            issued.append(response.json["number"])

    threads = [threading.Thread(target=kiosk) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        while len(issued) < 30:
            threading.Event().wait(0.01)
        copies = [
            backup_database(db_path, tmp_path / "backups", datetime(2026, 11, 26, 9, 0, second))
            for second in range(3)
        ]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    for copy in copies:
        check_database(copy)
        with sqlite3.connect(copy) as connection:
            numbers = [row[0] for row in connection.execute("SELECT number FROM tickets")]
            jobs = connection.execute("SELECT count(*) FROM print_jobs").fetchone()[0]
        connection.close()
        assert len(numbers) == len(set(numbers)) > 0
        assert jobs == len(numbers)  # each ticket with its receipt job: a consistent snapshot
        assert sorted(numbers) == list(range(1, len(numbers) + 1))  # no hole: one snapshot
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_only_the_newest_are_kept(db_path, tmp_path):
    start = datetime(2026, 11, 1, 2, 0)
    for day in range(5):
        backup_database(db_path, tmp_path, start + timedelta(days=day), keep=3)
    assert [path.name for path in backups(tmp_path)] == [
        "motcua-20261103-020000.db",
        "motcua-20261104-020000.db",
        "motcua-20261105-020000.db",
    ]


def test_refusals_are_explained(tmp_path):
    with pytest.raises(BackupError, match="Không có cơ sở dữ liệu"):
        backup_database(tmp_path / "missing.db", tmp_path / "b", datetime(2026, 11, 26))
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(BackupError, match="không phải cơ sở dữ liệu"):
        check_database(other)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(BackupError, match=r"broken\.db"):
        check_database(broken)
