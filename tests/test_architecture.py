"""The layers of DESIGN.md, checked on the imports of every module.

ruff's banned-api rule keeps Flask out of the domain; this test also says which edge
module may talk Socket.IO, patch eventlet or speak ESC/POS.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "flask": {
        "server/app.py",
        "server/api.py",
        "server/web.py",
        "server/realtime.py",
        "server/pages.py",
        "server/voice_api.py",
        "server/admin_api.py",
        "server/rating_api.py",
        "server/security.py",
    },
    "flask_socketio": {"server/realtime.py"},
    "eventlet": {"server/cli.py"},
    "escpos": {
        "printers/connection.py",
        "printers/escpos_bytes.py",
        "printers/text_mode.py",
        "printers/test_page.py",
    },
}
PACKAGES = ["server", "printers", "kiosk", "display", "counter", "admin", "reports"]
PAGE_PACKAGES = {"kiosk", "display", "counter", "admin", "reports"}


def imported_roots(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def modules():
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    )


@pytest.mark.parametrize("module", modules())
def test_each_module_imports_only_what_its_layer_may(module):
    roots = set(imported_roots(ROOT / module))
    for library, allowed in ALLOWED.items():
        if library in roots:
            is_page = module.split("/")[0] in PAGE_PACKAGES and library == "flask"
            assert module in allowed or is_page, f"{module} must not import {library}"


def test_the_domain_never_reads_the_wall_clock():
    for module in modules():
        text = (ROOT / module).read_text(encoding="utf-8")
        if module != "server/clock.py":
            assert "datetime.now(" not in text, module
            assert "date.today(" not in text, module
