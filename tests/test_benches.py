"""The benches still measure what they claim: a tiny busy day run end to end (kiosks,
counters, lobby screens in both clients, phones following their tickets) must see every
event it expects. Nothing here is timed: the figures belong to docs/performance.md; this
only fails when a bench no longer understands the server (as when tickets lost their
public id and the screens went blind)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_busy_day_sees_every_event_on_every_screen_and_phone(tmp_path: Path) -> None:
    figures = tmp_path / "day.json"
    command = [sys.executable, "-m", "bench.busy_day", "--tickets", "40", "--window", "4"]
    command += ["--kiosks", "2", "--counters", "2", "--displays", "3", "--socketio-displays", "1"]
    command += ["--follow-every", "4", "--serving", "0.05", "--json", str(figures)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    day = json.loads(figures.read_text())
    assert day["tickets"] == day["calls"] == day["finishes"] == 40
    assert day["errors"] == {}
    assert day["delivered"] == day["expected"] > 0
    assert day["duplicates"] == day["seq_holes"] == 0
    phones = day["phones"]
    assert phones["opened"] == 10
    assert phones["delivered"] == phones["expected"] > 0
