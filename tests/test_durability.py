"""A power cut loses nothing that was answered: every connection commits to disk.

With synchronous=NORMAL in WAL mode, SQLite may lose the last commits on a power cut (not on
a process crash): tickets whose receipts had already printed, whose numbers the next ticket
then takes again. Every connection the server, the command line and the workers open runs
with synchronous=FULL, including one taken back from the pool after someone changed it.
"""

from __future__ import annotations

from click.testing import CliRunner

from server.cli import main
from server.printing.worker import PrintWorker
from server.storage.db import connection, keep_connections, open_database
from server.web.request import db as request_db

FULL = 2  # what PRAGMA synchronous reads back for FULL


def synchronous(database) -> int:
    return database.execute("PRAGMA synchronous").fetchone()[0]


def test_a_requests_connection_commits_to_disk(app):
    with app.test_request_context("/api/stats/today"):
        assert synchronous(request_db()) == FULL


def test_the_live_snapshots_and_the_print_worker_commit_to_disk(app, clock):
    services = app.extensions["motcua"]
    assert services.realtime.with_db(synchronous) == FULL
    worker = PrintWorker(
        services.settings, clock, lambda status: None, spawn=lambda *a: None, sleep=lambda s: None
    )
    assert worker.with_db(synchronous) == FULL


def test_a_pooled_connection_is_put_back_to_full(db_path):
    keep_connections(db_path)
    first = open_database(db_path)
    first.execute("PRAGMA synchronous = NORMAL")
    first.conn.close()  # back to the pool, as it is
    with connection(db_path) as again:
        assert again.conn is first.conn  # the same connection, reused
        assert synchronous(again) == FULL


def test_the_command_line_commits_to_disk(tmp_path, monkeypatch):
    seen = []
    original = open_database

    def spy(path):
        opened = original(path)
        seen.append(synchronous(opened))
        return opened

    monkeypatch.setattr("server.storage.db.open_database", spy)
    runner = CliRunner(env={"MOTCUA_DB": str(tmp_path / "motcua.db")})
    result = runner.invoke(
        main, ["user", "add", "canbo", "--role", "officer"], input="cay-bang-truoc-san-2026\n"
    )
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {FULL}
