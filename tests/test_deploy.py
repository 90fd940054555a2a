"""The systemd units as systemd/install.sh writes them, checked by `systemd-analyze verify`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_UNITS = [
    "motcua.service",
    "motcua@.service",
    "motcua-backup.service",
    "motcua-backup.timer",
]
USER_UNITS = ["motcua-kiosk.service", "motcua-display.service"]


def verify(*units: Path) -> str:
    """systemd-analyze's complaints about the units ("" when there are none)."""
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " (failed)")


def install(dest: Path, *options: str) -> Path:
    """systemd/install.sh into `dest` (units only: nothing else on the machine is touched)."""
    assert shutil.which("systemd-analyze"), "CI installs systemd (.ci/run)"
    subprocess.run(
        [str(ROOT / "systemd" / "install.sh"), *options, "--prefix", str(ROOT),
         "--dest", str(dest)],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return dest


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    return install(tmp_path, "--port", "8123")


def test_install_writes_every_unit_with_its_paths(installed: Path) -> None:
    assert sorted(p.name for p in (installed / "system").iterdir()) == sorted(SYSTEM_UNITS)
    assert sorted(p.name for p in (installed / "user").iterdir()) == sorted(USER_UNITS)
    server = (installed / "system" / "motcua.service").read_text()
    assert f"ExecStart={ROOT}/.venv/bin/motcua serve --host 0.0.0.0 --port 8123" in server
    assert "@" not in server.replace("%h", "")
    instance = (installed / "system" / "motcua@.service").read_text()
    assert f"ExecStart={ROOT}/.venv/bin/motcua serve --host 127.0.0.1 --port %i" in instance
    kiosk = (installed / "user" / "motcua-kiosk.service").read_text()
    assert "--kiosk --app=${MOTCUA_URL}/kiosk" in kiosk
    assert "MOTCUA_URL=http://127.0.0.1:8123" in kiosk
    display = (installed / "user" / "motcua-display.service").read_text()
    assert "--autoplay-policy=no-user-gesture-required" in display


@pytest.mark.parametrize("unit", SYSTEM_UNITS + USER_UNITS)
def test_systemd_finds_nothing_wrong(installed: Path, unit: str) -> None:
    folder = "system" if unit in SYSTEM_UNITS else "user"
    assert verify(installed / folder / unit) == ""


def test_the_check_does_catch_a_mistake(installed: Path) -> None:
    unit = installed / "system" / "motcua.service"
    unit.write_text(unit.read_text().replace("NoNewPrivileges=", "NoNewPrivilege="))
    assert "Unknown key" in verify(unit)


def test_the_server_unit_is_hardened(installed: Path) -> None:
    text = (installed / "system" / "motcua.service").read_text()
    for line in ("User=motcua", "StateDirectory=motcua", "Restart=always", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes"):  # fmt: skip
        assert line in text.splitlines(), line


def test_the_backup_runs_daily_and_catches_up(installed: Path) -> None:
    timer = (installed / "system" / "motcua-backup.timer").read_text()
    assert "OnCalendar=*-*-* 02:00:00" in timer and "Persistent=true" in timer
    service = (installed / "system" / "motcua-backup.service").read_text()
    assert "motcua backup --to /var/lib/motcua/backups --keep 30" in service


@pytest.fixture
def installed_hub(tmp_path: Path) -> Path:
    """`systemd/install.sh --hub`: the province hub's units only."""
    return install(tmp_path, "--hub")


def test_the_hub_units_are_the_hub_on_its_ports_hardened(installed_hub: Path) -> None:
    system = installed_hub / "system"
    assert sorted(p.name for p in system.iterdir()) == ["motcua-hub.service", "motcua-hub@.service"]
    hub = (system / "motcua-hub.service").read_text()
    command = f"{ROOT}/.venv/bin/motcua hub serve --host 127.0.0.1"
    assert f"ExecStart={command} --port 5100 --threads 8" in hub.splitlines()
    instance = (system / "motcua-hub@.service").read_text()
    assert f"ExecStart={command} --port %i --threads 8" in instance.splitlines()
    for line in ("User=motcua", "EnvironmentFile=/etc/motcua/hub.env", "Restart=always",
                 "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):  # fmt: skip
        assert line in hub.splitlines(), line
    assert "StateDirectory" not in hub  # nothing on disk: everything is in PostgreSQL
    assert verify(system / "motcua-hub.service", system / "motcua-hub@.service") == ""
