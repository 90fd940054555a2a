"""One vocabulary (server/vocabulary.py): the schema enforces each closed list and the pages
label every value.

A new outcome, status or rating added to the vocabulary without the migration that widens
its CHECK fails here (a migration that has shipped is never edited), and so does one without
its Vietnamese label on the pages that show it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server import vocabulary
from server.storage.db import migrate, open_database

ROOT = Path(__file__).resolve().parent.parent
# (page file, the JS object that labels the values, the list it must label)
PAGE_LABELS = [
    ("counter/static/counter/strings.js", "PRIORITIES", vocabulary.PRIORITIES),
    ("counter/static/counter/strings.js", "OUTCOMES", vocabulary.OUTCOMES),
    ("counter/static/counter/strings.js", "TIMELINESS", vocabulary.TIMELINESS),
    ("counter/static/counter/strings.js", "CHANNELS", vocabulary.CHANNELS),
    ("counter/static/counter/rate-strings.js", "T", vocabulary.RATINGS),
    ("kiosk/static/kiosk/ticket/strings.js", "outcome", vocabulary.OUTCOMES),
    ("kiosk/static/kiosk/ticket/strings.js", "ratings", vocabulary.RATINGS),
    ("server/static/admin/strings.js", "ROLE_NAMES", vocabulary.ROLES),
    ("server/static/common/printers.js", "PRINTER_STATE_WORDS", vocabulary.PRINTER_STATES),
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict[str, str]:
    """The CREATE statements of a database migrated from empty, by table."""
    path = tmp_path_factory.mktemp("vocabulary") / "empty.db"
    migrate(path)
    db = open_database(path)
    try:
        return dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    finally:
        db.conn.close()


def checked_values(create_sql: str, column: str) -> tuple[str, ...]:
    """The values of `CHECK (column IN ('a', 'b'))` in a CREATE TABLE statement."""
    match = re.search(rf"CHECK \(\s*{column} IN \(([^)]*)\)", create_sql)
    assert match, f"no CHECK on {column}"
    return tuple(re.findall(r"'([^']*)'", match[1]))


@pytest.mark.parametrize(
    ("table", "column"),
    sorted(vocabulary.CONSTRAINED_COLUMNS),
    ids=[f"{table}.{column}" for table, column in sorted(vocabulary.CONSTRAINED_COLUMNS)],
)
def test_the_schema_checks_exactly_the_vocabulary(schema, table, column):
    expected = vocabulary.CONSTRAINED_COLUMNS[(table, column)]
    assert checked_values(schema[table], column) == expected, (
        f"{table}.{column}: the vocabulary changed; add a migration that rebuilds the CHECK"
    )


def test_every_closed_list_is_enforced_by_the_schema():
    lists = {
        name
        for name, value in vars(vocabulary).items()
        if name.isupper() and isinstance(value, tuple)
    }
    constrained = {
        name
        for name in lists
        if getattr(vocabulary, name) in vocabulary.CONSTRAINED_COLUMNS.values()
    }
    assert constrained == lists


def test_every_priority_has_its_name():
    assert tuple(vocabulary.PRIORITY_NAMES) == vocabulary.PRIORITIES


def js_object_keys(source: str, name: str) -> set[str]:
    """The keys of `name = {…}` or `name: {…}` in a strings module (one level deep)."""
    match = re.search(rf"\b{name}\s*[=:]\s*\{{", source)
    assert match, f"no object {name}"
    depth, index = 1, match.end()
    while depth:
        depth += {"{": 1, "}": -1}.get(source[index], 0)
        index += 1
    body = source[match.end() : index - 1]
    return set(re.findall(r"(?:^|[{,])\s*(\w+):", body, re.MULTILINE))


@pytest.mark.parametrize(("page", "name", "values"), PAGE_LABELS, ids=lambda v: str(v))
def test_the_pages_label_every_value(page, name, values):
    keys = js_object_keys((ROOT / page).read_text(encoding="utf-8"), name)
    assert set(values) <= keys, f"{page} {name} has no label for {set(values) - keys}"
