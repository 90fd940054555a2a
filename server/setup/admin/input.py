"""What every admin change checks first: the keys and types of the body it was sent.

The catalog's validators (server/setup/catalog.py) read YAML written by a person; a JSON body from
the admin page needs its types checked before them, so `"false"` never becomes True and a
list never becomes its own text. A refusal names the input in Vietnamese, as the page labels
it, and its code (`invalid_<key>`) tells the page which input to mark.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, WrongState
from server.setup.catalog import LONGEST_LIST, LONGEST_TEXT, nfc
from server.storage.db import Database

ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
KIND_WORDS = {
    str: "một chuỗi chữ",
    int: "một số nguyên",
    bool: "đúng hoặc sai",
    list: "một danh sách",
    dict: "một bảng",
}


@dataclass(frozen=True)
class Rule:
    """How one input of a body is checked: its Vietnamese label, its JSON type, whether it
    must be given (and not blank), the smallest and largest number it may be, and whether a
    text is kept exactly as typed (a password) rather than trimmed and NFC-normalized.

    Every number has a largest value, by default the largest SQLite binds (past it a query
    fails, a 500); a number that sizes a loop needs a real one (processing_days counts
    working days one by one: a billion of them hung every GET /api/procedures)."""

    label: str
    kind: type
    required: bool = False
    minimum: int = 0
    maximum: int = 2**63 - 1
    verbatim: bool = False


def now_text(clock: Clock) -> str:
    return iso(clock.now())


def refuse(key: str, message: str) -> InvalidInput:
    return InvalidInput(message, f"invalid_{key}")


def check_body(body: Any, rules: dict[str, Rule], *, creating: bool) -> dict[str, Any]:
    """The body's values, typed and NFC-normalized; on creation every required input must be
    there, on an update only what is sent is checked (None clears an optional input)."""
    if not isinstance(body, dict):
        raise InvalidInput("Dữ liệu cần một đối tượng JSON {…}.", "invalid_body")
    unknown = sorted(set(body) - set(rules))
    if unknown:
        raise InvalidInput(f"Không có mục '{unknown[0]}' để sửa ở đây.", "unknown_key")
    values: dict[str, Any] = {}
    for key, rule in rules.items():
        if key not in body:
            if creating and rule.required:
                raise refuse(key, f"{rule.label}: chưa nhập.")
            continue
        values[key] = checked_value(key, rule, body[key])
    return values


def checked_value(key: str, rule: Rule, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if rule.required:
            raise refuse(key, f"{rule.label}: chưa nhập.")
        return None
    if not isinstance(value, rule.kind) or (isinstance(value, bool) and rule.kind is not bool):
        raise refuse(key, f"{rule.label}: cần {KIND_WORDS[rule.kind]}, nhận '{value}'.")
    if rule.kind is str:
        if len(value) > LONGEST_TEXT:
            raise refuse(key, f"{rule.label}: quá dài (tối đa {LONGEST_TEXT} ký tự).")
        return value if rule.verbatim else nfc(value)
    if rule.kind is int and value < rule.minimum:
        raise refuse(key, f"{rule.label}: phải từ {rule.minimum} trở lên, nhận {value}.")
    if rule.kind is int and value > rule.maximum:
        raise refuse(key, f"{rule.label}: tối đa {rule.maximum}, nhận {value}.")
    if rule.kind is list:
        return checked_texts(key, rule, value)
    return value


def checked_texts(key: str, rule: Rule, items: list[Any]) -> list[str]:
    """A list of texts: each a non-blank string, blanks dropped, at most LONGEST_LIST."""
    if len(items) > LONGEST_LIST:
        raise refuse(key, f"{rule.label}: tối đa {LONGEST_LIST} mục.")
    texts = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, str) or len(item) > LONGEST_TEXT:
            raise refuse(key, f"{rule.label}: mục thứ {number} không hợp lệ.")
        if item.strip():
            texts.append(nfc(item))
    return texts


def save_settings(db: Database, stored: dict[str, str]) -> None:
    """Rows of `settings`, inside the caller's audited change: each key set or replaced."""
    for key, value in stored.items():
        db.execute(
            """INSERT INTO settings (key, value) VALUES (?, ?)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
            [key, value],
        )


def new_id(db: Database, table: str, wanted: Any, name: str) -> str:
    """The id of a new field or procedure: the one asked for, else made from its name
    ("Hộ tịch" → "ho-tich", "ho-tich-2" when taken)."""
    if wanted is not None:
        if not isinstance(wanted, str) or not ENTRY_ID.fullmatch(wanted):
            raise refuse("id", f"Mã '{wanted}' không hợp lệ: chữ thường không dấu, số và dấu '-'.")
        if db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [wanted]).fetchone():
            raise WrongState(f"Mã '{wanted}' đã có.", "id_taken")
        return wanted
    base = slug(name) or table.rstrip("s")
    candidate, number = base, 1
    while db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [candidate]).fetchone():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-', at most about 40 characters."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in plain if not unicodedata.combining(char)).lower()
    words = re.findall(r"[a-z0-9]+", plain)
    result = ""
    for word in words:
        if len(result) + len(word) + 1 > 40:
            break
        result = f"{result}-{word}" if result else word
    return result
