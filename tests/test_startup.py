"""A start loads what the lobby needs; the rest comes with the request that needs it.

bench/startup.py measures the time and memory (docs/performance.md, "Startup and memory");
these tests keep the heavy libraries out of a restart and check the shortcuts that keep
them out still hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from werkzeug.security import generate_password_hash

from printers.connection import PAPER_DOTS
from printers.options import PrintOptions
from server.printing.worker import PrintWorker
from server.setup.auth import DUMMY_HASH

# Imported when a request or the print worker needs them, never by a start.
LAZY = ("PIL", "escpos", "qrcode", "barcode", "openpyxl", "yaml")
# A restart (the database exists), the screens' first requests, a kiosk's ticket, a login.
RESTART = """
import json, sys
from server import create_app
app = create_app({"async_mode": "threading", "secret_key": "s", "ticket_rate": 0})
client = app.test_client()
for path in ("/api/center", "/api/stats/today", "/api/procedures", "/api/counters",
             "/kiosk", "/display", "/counter"):
    assert client.get(path).status_code == 200, path
body = {"procedure_id": "chung-thuc-di-chuc", "documents_complete": True}
assert client.post("/api/tickets", json=body).status_code == 201
login = client.post("/api/session", json={"username": "nobody", "password": "x" * 8})
assert login.status_code == 401
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_by(script: str, env: dict[str, str]) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `script`."""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_restart_and_its_first_requests_import_no_renderer_nor_loader(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MOTCUA_DB": str(tmp_path / "motcua.db"),
        "MOTCUA_PRINTER": f"dir:{tmp_path / 'receipts'}",
    }
    first_start = loaded_by(RESTART, env)
    assert "yaml" in first_start  # the empty database was given the catalog file
    restart = loaded_by(RESTART, env)
    assert not restart & set(LAZY), sorted(restart & set(LAZY))


def test_the_unknown_user_hash_costs_what_a_stored_one_does() -> None:
    """DUMMY_HASH is written down, not made at start: it must use the method and work
    werkzeug gives a new password, or a wrong name would answer faster than a wrong password."""
    assert DUMMY_HASH.split("$")[0] == generate_password_hash("x").split("$")[0]


def test_the_default_printer_profile_takes_both_papers() -> None:
    """A printer URL without ?profile= is parsed without python-escpos's profiles."""
    from escpos.capabilities import get_profile

    media = get_profile(PrintOptions.profile).profile_data["media"]["width"]["pixels"]
    assert int(media) >= max(PAPER_DOTS.values())


def test_the_worker_warms_the_renderer_up_only_for_a_printer(app: Any, db: Any) -> None:
    services = app.extensions["motcua"]
    worker = PrintWorker(services.settings, services.clock, print, spawn=print, sleep=print)
    assert worker.draws_receipts(db)  # the default printer is a dir: folder
    none = PrintWorker(
        services.settings.with_overrides(printer="none"), services.clock, print,
        spawn=print, sleep=print,
    )  # fmt: skip
    assert not none.draws_receipts(db)
    db.execute("INSERT INTO printers (name, url) VALUES ('kiosk:sanh', 'tcp://10.0.0.9')")
    assert none.draws_receipts(db)
