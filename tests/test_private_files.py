"""The database, its backups and the session key are the service's alone, whatever the umask.

Found by an adversarial pass: `make run` under a login shell's umask 022 left the database
(password hashes, every ticket) and its backups readable by every account of the center's PC.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main
from server.storage.backup import backup_database


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask a shell may have."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_a_new_database_its_folder_and_journal_are_private(tmp_path, open_umask):
    database = tmp_path / "var" / "motcua.db"
    runner = CliRunner(env={"MOTCUA_DB": str(database)})
    assert runner.invoke(main, ["demo"]).exit_code == 0
    assert mode(database.parent) == 0o700
    assert mode(database) == 0o600
    for journal in database.parent.glob("motcua.db-*"):
        assert mode(journal) == 0o600, journal.name


def test_the_session_key_is_private(tmp_path, open_umask):
    database = tmp_path / "var" / "motcua.db"
    create_app({"database": database, "secret_key": None, "async_mode": "threading"})
    assert mode(database.parent / "secret_key") == 0o600


def test_a_backup_and_its_folder_are_private(tmp_path, open_umask):
    database = tmp_path / "var" / "motcua.db"
    CliRunner(env={"MOTCUA_DB": str(database)}).invoke(main, ["migrate"])
    copy = backup_database(database, tmp_path / "backups", datetime(2026, 11, 26, 18, 0))
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700


def test_an_existing_folder_keeps_its_owners_mode(tmp_path, open_umask):
    """/var/lib/motcua is made by systemd (StateDirectory): its mode is the installer's."""
    folder = tmp_path / "state"
    folder.mkdir(mode=0o750)
    os.chmod(folder, 0o750)
    CliRunner(env={"MOTCUA_DB": str(folder / "motcua.db")}).invoke(main, ["migrate"])
    assert mode(folder) == 0o750
    assert mode(folder / "motcua.db") == 0o600
