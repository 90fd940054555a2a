"""The folder tree is the architecture: each job a package inside server/, imports running one
way between them, Flask and Socket.IO only in the web package, ESC/POS only in printers/.

ruff's banned-api rule (pyproject.toml) says the same by folder at lint time; this test also
checks the order of the packages and the map in docs/architecture.md.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The foundation: modules at the top of server/ that every package may use.
FOUNDATION = {"settings", "clock", "errors", "locale", "vocabulary"}
# The packages of server/, lowest first: a package imports only from those before it.
LAYERS = [
    "storage", "setup", "printing", "push", "voice", "line", "reporting", "paperwork", "sync",
    "hub", "web",
]  # fmt: skip
# On top of everything: the `motcua` command, and create_app (server/__init__.py).
ENTRY_POINTS = {"cli", "__init__"}
DISTRIBUTED = {"server", "printers", "kiosk", "display", "counter"}
PAGE_PACKAGES = {"kiosk", "display", "counter"}
# Which folder may import which library.
LIBRARY_HOMES = {
    "flask": ("server/web/",),
    "flask_socketio": ("server/web/",),
    "socketio": ("server/web/",),
    "eventlet": ("server/cli.py",),
    "escpos": ("printers/",),
    "docx": ("server/paperwork/",),
    "psycopg": ("server/hub/",),
    "psycopg_pool": ("server/hub/",),
    "waitress": ("server/cli.py",),
}


def imports(path: Path) -> list[str]:
    """Every absolute module name the file imports (a function's lazy imports included)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def python_files(*folders: str) -> list[str]:
    return sorted(
        path.relative_to(ROOT).as_posix()
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
    )


def package_of(module: str) -> str:
    """server/line/tickets.py → "line"; server/clock.py → "foundation"."""
    parts = module.split("/")
    if len(parts) == 2:
        name = parts[1].removesuffix(".py")
        return "entry" if name in ENTRY_POINTS else "foundation"
    return parts[1]


def test_server_holds_the_foundation_and_one_package_per_job():
    top = {path.stem for path in (ROOT / "server").glob("*.py")}
    assert top == FOUNDATION | ENTRY_POINTS, "a module at the top of server/ belongs in a package"
    packages = {path.parent.name for path in (ROOT / "server").glob("*/__init__.py")}
    assert packages == set(LAYERS), "a new package takes its place in LAYERS (and the docs)"


def test_the_distribution_claims_only_its_own_import_names():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {name.split(".")[0] for name in included} == DISTRIBUTED
    top_packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}
    }
    assert top_packages == DISTRIBUTED


@pytest.mark.parametrize("module", python_files("server"))
def test_imports_run_one_way_between_the_packages(module):
    own = package_of(module)
    for name in imports(ROOT / module):
        parts = name.split(".")
        if parts[0] != "server" or len(parts) < 2 or parts[1] in FOUNDATION:
            continue
        other = "entry" if parts[1] in ENTRY_POINTS else parts[1]
        if other == own:
            continue
        assert other != "entry", f"{module} imports the command line"
        if own == "foundation":
            pytest.fail(f"{module} (foundation) imports server.{other}")
        if own != "entry":
            assert LAYERS.index(other) < LAYERS.index(own), (
                f"{module} ({own}) imports server.{other}, which sits above it"
            )


@pytest.mark.parametrize("module", python_files("printers", *PAGE_PACKAGES))
def test_printers_and_page_packages_know_nothing_of_the_server(module):
    roots = {name.split(".")[0] for name in imports(ROOT / module)}
    assert "server" not in roots, module


@pytest.mark.parametrize("module", python_files("server", "printers", *PAGE_PACKAGES))
def test_each_library_is_imported_only_in_its_folder(module):
    roots = {name.split(".")[0] for name in imports(ROOT / module)}
    for library, homes in LIBRARY_HOMES.items():
        if library in roots:
            assert module.startswith(homes), f"{module} must not import {library}"


def test_the_domain_never_reads_the_wall_clock():
    for module in python_files("server", "printers"):
        text = (ROOT / module).read_text(encoding="utf-8")
        if module != "server/clock.py":
            assert "datetime.now(" not in text, module
            assert "date.today(" not in text, module


def test_the_architecture_page_maps_every_module():
    """docs/architecture.md opens with the folder map: a module missing from it fails here."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        module
        for module in python_files("server", "printers")
        if not module.endswith("__init__.py") and f"{Path(module).name}" not in page
    ]
    assert missing == []
