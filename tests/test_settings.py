"""MOTCUA_* variables."""

from datetime import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main
from server.settings import Settings, SettingsError, settings_from_env


def test_defaults_follow_the_contract():
    settings = settings_from_env({})
    assert settings == Settings()
    assert settings.database == Path("var/motcua.db")
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.no_appointment_days == {3}
    assert settings.no_appointment_until == time(15, 0)
    assert settings.printer == "dir:var/receipts"
    assert settings.ticket_rate == 30
    assert settings.message_queue is None


def test_every_variable_is_read():
    settings = settings_from_env(
        {
            "MOTCUA_DB": "/tmp/x.db",
            "MOTCUA_TZ": "Asia/Bangkok",
            "MOTCUA_NO_APPOINTMENT_DAYS": "tue, THU",
            "MOTCUA_NO_APPOINTMENT_UNTIL": "16:30",
            "MOTCUA_PRINTER": "tcp://127.0.0.1:9100",
            "MOTCUA_CATALOG": "c.yaml",
            "MOTCUA_SECRET_KEY": "s",
            "MOTCUA_TICKET_RATE": "0",
            "MOTCUA_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "MOTCUA_PRIORITY_IN_ROW": "3",
            "MOTCUA_CONNECTIONS_PER_ADDRESS": "250",
        }
    )
    assert settings.database == Path("/tmp/x.db")
    assert settings.timezone == "Asia/Bangkok"
    assert settings.no_appointment_days == {1, 3}
    assert settings.no_appointment_until == time(16, 30)
    assert settings.printer == "tcp://127.0.0.1:9100"
    assert settings.catalog == Path("c.yaml")
    assert settings.secret_key == "s"
    assert settings.ticket_rate == 0
    assert settings.message_queue == "redis://127.0.0.1:6379/0"
    assert settings.priority_in_row == 3
    assert settings.connections_per_address == 250


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MOTCUA_NO_APPOINTMENT_DAYS", "thursday"),
        ("MOTCUA_NO_APPOINTMENT_UNTIL", "3pm"),
        ("MOTCUA_NO_APPOINTMENT_UNTIL", "25:00"),
        ("MOTCUA_TICKET_RATE", "-1"),
        ("MOTCUA_CONNECTIONS_PER_ADDRESS", "nhiều"),
        ("MOTCUA_MESSAGE_QUEUE", "127.0.0.1:6379"),
        ("MOTCUA_PRINTER_FOLDERS", "var/phieu"),
    ],
)
def test_a_bad_value_names_its_variable(variable, value):
    with pytest.raises(SettingsError, match=variable):
        settings_from_env({variable: value})


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("MOTCUA_TZ", "Mars/Olympus", "múi giờ không hợp lệ 'Mars/Olympus'"),
        ("MOTCUA_TZ", "../../etc/passwd", "múi giờ không hợp lệ"),
        ("MOTCUA_ASYNC_MODE", "gevent2", "chế độ không hợp lệ 'gevent2'"),
    ],
)
def test_a_bad_setting_stops_the_command_with_its_name(tmp_path, variable, value, words):
    """`motcua serve` (and every command) says which setting is wrong, in Vietnamese, before
    it touches the database: no traceback, exit status 1."""
    runner = CliRunner(env={"MOTCUA_DB": str(tmp_path / "motcua.db"), variable: value})
    result = runner.invoke(main, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {variable}: ")
    assert words in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "motcua.db").exists()
