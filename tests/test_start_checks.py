"""`motcua serve` refuses to start where it would do harm, and says why in Vietnamese.

Found by an adversarial pass: a corrupt database gave 55 worker tracebacks in 14 s; two
servers on one database without Redis silently showed each TV half the events; a changed
MOTCUA_TZ restarted the numbering at 001 on a day that already had tickets.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from tests.live_server import LiveServer, motcua_command


def serve(server: LiveServer, **env: str) -> subprocess.CompletedProcess[str]:
    """A second `motcua serve` over the same database, on another port: it must stop."""
    return subprocess.run(
        [*motcua_command(), "serve", "--port", "1"],
        env={**server.env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def stopped(tmp_path):
    """A database a server made (catalog, users), then stopped."""
    server = LiveServer(tmp_path).start()
    server.stop()
    return server


def test_a_second_server_without_a_message_queue_is_refused(tmp_path):
    running = LiveServer(tmp_path).start()
    try:
        second = serve(running)
        assert second.returncode == 1
        assert "Một máy chủ khác (PID" in second.stderr
        assert "MOTCUA_MESSAGE_QUEUE" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        running.stop()
    running.start()  # the lock ends with its process: the same server starts again
    running.stop()


def test_a_corrupt_database_is_refused_with_what_to_do(stopped):
    database = stopped.folder / "motcua.db"
    with open(database, "r+b") as file:
        file.seek(4096 * 3)
        file.write(os.urandom(4096 * 4))  # pages of the tables overwritten
    refused = serve(stopped)
    assert refused.returncode == 1
    assert "khôi phục bản sao lưu" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_database_dated_after_today_is_refused(stopped):
    database = stopped.folder / "motcua.db"
    db = sqlite3.connect(database)
    with db:  # a ticket taken while the PC's clock (or MOTCUA_TZ) was wrong
        db.execute(
            """INSERT INTO tickets (id, key, day, letter, number, procedure_id,
                   documents_complete, no_appointment, issued_at)
               VALUES ('tuong-lai', 'khoa-tuong-lai', '2999-01-01', 'A', 1,
                   'chung-thuc-ban-sao', 1, 0, '2999-01-01T08:00:00+07:00')"""
        )
    db.close()
    refused = serve(stopped)
    assert refused.returncode == 1
    assert "01/01/2999" in refused.stderr
    assert "MOTCUA_TZ" in refused.stderr
