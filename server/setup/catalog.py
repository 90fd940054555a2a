"""The catalog: fields (one ticket letter each), procedures and counters.

A center describes itself in one YAML file; loading validates it strictly and refuses a
bad file with a message that names the entry, because a kiosk built on a half-valid
catalog would hand out tickets nobody can call.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from typing import Any

from server.errors import CatalogError
from server.settings import WEEKDAYS, Settings
from server.storage.db import Database, connection, migrate, write_transaction

MINIMUM_NO_APPOINTMENT = 5
# The sizes a catalog file and the admin page both keep to.
LONGEST_TEXT = 1000  # characters of one name, legal time, fee or document
LONGEST_LIST = 60  # documents of a procedure, procedures of a counter
LONGEST_PROCESSING_DAYS = 365  # a year of working days: the due date is found day by day
LONGEST_SERVICE_MINUTES = 480  # a working day at one counter
SESSION = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class Field:
    """A field of procedures (Chứng thực, Hộ tịch…) and the letter of its tickets."""

    id: str
    name: str
    letter: str


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure as the kiosk offers it.

    processing_days: working days to the result (0 = same day), the default due date of an
    appointment; service_minutes: typical time at the counter, the wait estimate before
    the day has data of its own.
    """

    id: str
    code: str | None
    field: str
    name: str
    short_name: str
    legal_time: str
    processing_days: int
    service_minutes: int
    no_appointment: bool
    fee: str
    documents: tuple[str, ...]
    online_help: bool = False  # the online-filing help desk: not a procedure, counted apart


@dataclass(frozen=True)
class Counter:
    """A counter (quầy) and the procedures it serves."""

    id: int
    name: str
    procedures: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    """A whole catalog file. opening_hours: weekday (Monday = 0) → "HH:MM-HH:MM" sessions."""

    center_name: str
    fields: tuple[Field, ...]
    procedures: tuple[Procedure, ...]
    counters: tuple[Counter, ...]
    portal_url: str = ""
    opening_hours: dict[int, list[str]] = dataclass_field(default_factory=dict)
    calendar_days: tuple[CalendarDay, ...] = ()
    paperwork: dict[str, str] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class CalendarDay:
    """A dated exception to the weekly hours: kind "holiday" (closed) or "working" (a
    swapped working day, open)."""

    day: date
    kind: str
    name: str


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def require(entry: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(entry, dict) or entry.get(key) in (None, ""):
        raise CatalogError(f"{where}: thiếu '{key}'")
    return entry[key]


def load_catalog(path: Path) -> Catalog:
    """Read and validate a catalog file; raises CatalogError naming the bad entry."""
    import yaml  # only an empty database and the catalog commands read the file, no restart

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"Không đọc được danh mục {path}: {error}") from error
    if not isinstance(data, dict):
        raise CatalogError(f"Danh mục {path} phải là một bảng YAML")
    return parse_catalog(data)


def check_text_lengths(value: Any, where: str) -> None:
    """Every text of the catalog at most LONGEST_TEXT characters, as the admin page allows:
    a kiosk button or a receipt line cannot hold a page of text."""
    if isinstance(value, str) and len(value) > LONGEST_TEXT:
        raise CatalogError(f"{where}: quá dài ({len(value)} ký tự, tối đa {LONGEST_TEXT})")
    if isinstance(value, dict):
        for key, item in value.items():
            check_text_lengths(item, f"{where}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_text_lengths(item, f"{where}[{index}]")


def parse_catalog(data: dict[str, Any]) -> Catalog:
    """Validate a catalog already read from YAML."""
    check_text_lengths(data, "catalog")
    center = data.get("center") or {}
    center_name = nfc(require(center, "name", "center"))
    opening_hours = parse_opening_hours(center.get("opening_hours") or {})
    fields = tuple(
        parse_field(entry, index) for index, entry in enumerate(data.get("fields") or [])
    )
    check_unique([field.id for field in fields], "field")
    letters: dict[str, str] = {}
    for field in fields:
        if field.letter in letters:
            raise CatalogError(
                f"field '{field.id}': chữ cái '{field.letter}' đã dùng cho field "
                f"'{letters[field.letter]}'"
            )
        letters[field.letter] = field.id
    field_ids = {field.id for field in fields}
    procedures = tuple(
        parse_procedure(entry, index, field_ids)
        for index, entry in enumerate(data.get("procedures") or [])
    )
    check_unique([procedure.id for procedure in procedures], "procedure")
    eligible = [procedure.id for procedure in procedures if procedure.no_appointment]
    if len(eligible) < MINIMUM_NO_APPOINTMENT:
        raise CatalogError(
            f"procedures: cần ít nhất {MINIMUM_NO_APPOINTMENT} thủ tục no_appointment, "
            f"chỉ có {len(eligible)} ({', '.join(eligible) or 'không có'})"
        )
    procedure_ids = {procedure.id for procedure in procedures}
    counters = tuple(
        parse_counter(entry, index, procedure_ids)
        for index, entry in enumerate(data.get("counters") or [])
    )
    check_unique([str(counter.id) for counter in counters], "counter")
    if not fields or not counters:
        raise CatalogError("Danh mục cần ít nhất một field, một procedure và một counter")
    return Catalog(
        center_name,
        fields,
        procedures,
        counters,
        portal_url=nfc(center.get("portal_url") or ""),
        opening_hours=opening_hours,
        calendar_days=parse_calendar_days(center),
        paperwork=parse_paperwork(center),
    )


def parse_paperwork(center: dict[str, Any]) -> dict[str, str]:
    """center.paperwork: the letterhead of the center's papers (server/paperwork/letterhead.py),
    settings key (paper_…) → a text, or a list of lines stored one per line."""
    entries = center.get("paperwork") or {}
    if not isinstance(entries, dict):
        raise CatalogError("center.paperwork: cần một bảng paper_… → chữ")
    values = {}
    for key, value in entries.items():
        lines = value if isinstance(value, list) else [value]
        if not str(key).startswith("paper_") or not all(isinstance(line, str) for line in lines):
            raise CatalogError(f"center.paperwork.{key}: cần khóa paper_… và chữ (hoặc danh sách)")
        values[str(key)] = "\n".join(nfc(line) for line in lines)
    return values


def parse_calendar_days(center: dict[str, Any]) -> tuple[CalendarDay, ...]:
    """center.holidays and center.working_days: lists of {date: YYYY-MM-DD, name: ...}."""
    days: dict[date, CalendarDay] = {}
    for key, kind in (("holidays", "holiday"), ("working_days", "working")):
        entries = center.get(key) or []
        if not isinstance(entries, list):
            raise CatalogError(f"center.{key}: cần một danh sách {{date, name}}")
        for index, entry in enumerate(entries):
            where = f"center.{key}[{index}]"
            raw = require(entry, "date", where)
            try:
                day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
            except ValueError as error:
                raise CatalogError(
                    f"{where}: ngày phải có dạng YYYY-MM-DD, nhận '{raw}'"
                ) from error
            if day in days:
                raise CatalogError(f"{where}: ngày {day.isoformat()} đã có trong danh mục")
            days[day] = CalendarDay(day, kind, nfc(require(entry, "name", where)))
    return tuple(sorted(days.values(), key=lambda item: item.day))


def parse_opening_hours(entries: Any) -> dict[int, list[str]]:
    """{"mon-fri": ["07:00-11:30", "13:30-17:00"], "sat": [...]} → weekday → sessions."""
    if not isinstance(entries, dict):
        raise CatalogError("center.opening_hours: cần một bảng ngày → giờ mở cửa")
    hours: dict[int, list[str]] = {}
    for days, sessions in entries.items():
        where = f"center.opening_hours '{days}'"
        first, _, last = str(days).lower().partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise CatalogError(f"{where}: ngày không hợp lệ (mon..sun hoặc mon-fri)")
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if not isinstance(sessions, list) or not all(SESSION.fullmatch(str(s)) for s in sessions):
            raise CatalogError(f'{where}: giờ phải có dạng "07:00-11:30"')
        for weekday in range(start, end + 1):
            hours[weekday] = [str(session) for session in sessions]
    return hours


def check_unique(ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise CatalogError(f"{kind} '{entry_id}': id bị trùng")
        seen.add(entry_id)


def parse_field(entry: dict[str, Any], index: int) -> Field:
    where = f"fields[{index}]"
    field_id = nfc(require(entry, "id", where))
    letter = nfc(require(entry, "letter", f"field '{field_id}'")).upper()
    if len(letter) != 1 or not ("A" <= letter <= "Z"):
        raise CatalogError(
            f"field '{field_id}': chữ cái phiếu phải là một chữ A–Z, nhận '{letter}'"
        )
    return Field(field_id, nfc(require(entry, "name", f"field '{field_id}'")), letter)


def parse_procedure(entry: dict[str, Any], index: int, field_ids: set[str]) -> Procedure:
    procedure_id = nfc(require(entry, "id", f"procedures[{index}]"))
    where = f"procedure '{procedure_id}'"
    field = nfc(require(entry, "field", where))
    if field not in field_ids:
        raise CatalogError(f"{where}: field '{field}' không có trong danh mục")
    documents = entry.get("documents") or []
    if not isinstance(documents, list) or not all(isinstance(item, str) for item in documents):
        raise CatalogError(f"{where}: 'documents' phải là danh sách chuỗi")
    if len(documents) > LONGEST_LIST:
        raise CatalogError(f"{where}: 'documents' tối đa {LONGEST_LIST} giấy tờ")
    name = nfc(require(entry, "name", where))
    return Procedure(
        id=procedure_id,
        code=nfc(entry["code"]) if entry.get("code") else None,
        field=field,
        name=name,
        short_name=nfc(entry.get("short_name") or name),
        legal_time=nfc(entry.get("legal_time") or ""),
        processing_days=non_negative_int(
            entry.get("processing_days", 0), where, "processing_days", LONGEST_PROCESSING_DAYS
        ),
        service_minutes=max(
            1,
            non_negative_int(
                entry.get("service_minutes", 5), where, "service_minutes", LONGEST_SERVICE_MINUTES
            ),
        ),
        no_appointment=bool(entry.get("no_appointment", False)),
        fee=nfc(entry.get("fee") or ""),
        documents=tuple(nfc(item) for item in documents),
        online_help=bool(entry.get("online_help", False)),
    )


def parse_counter(entry: dict[str, Any], index: int, procedure_ids: set[str]) -> Counter:
    counter_id = require(entry, "id", f"counters[{index}]")
    if not isinstance(counter_id, int) or isinstance(counter_id, bool) or counter_id < 1:
        raise CatalogError(f"counters[{index}]: id phải là số nguyên dương, nhận '{counter_id}'")
    where = f"counter {counter_id}"
    served = entry.get("procedures") or []
    for procedure_id in served:
        if procedure_id not in procedure_ids:
            raise CatalogError(f"{where}: thủ tục '{procedure_id}' không có trong danh mục")
    return Counter(counter_id, nfc(require(entry, "name", where)), tuple(served))


def non_negative_int(value: Any, where: str, key: str, maximum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise CatalogError(
            f"{where}: '{key}' phải là số nguyên từ 0 đến {maximum}, nhận '{str(value)[:20]}'"
        )
    return value


def procedure_columns(procedure: Procedure) -> dict[str, Any]:
    """A procedure as its row of the procedures table (without its position)."""
    return {
        "id": procedure.id,
        "code": procedure.code,
        "field_id": procedure.field,
        "name": procedure.name,
        "short_name": procedure.short_name,
        "legal_time": procedure.legal_time,
        "processing_days": procedure.processing_days,
        "service_minutes": procedure.service_minutes,
        "no_appointment": int(procedure.no_appointment),
        "fee": procedure.fee,
        "documents": json.dumps(list(procedure.documents), ensure_ascii=False),
        "online_help": int(procedure.online_help),
    }


def catalog_installed(db: Database) -> bool:
    return db.execute("SELECT count(*) FROM procedures").fetchone()[0] > 0


def prepare_database(settings: Settings) -> bool:
    """Create and migrate the file; load the catalog into an empty database only, so that
    nothing an admin saved is ever put back to the file's values (a second `make run`, a
    restart). True when the catalog was installed now."""
    migrate(settings.database)
    with connection(settings.database) as db:
        if catalog_installed(db):
            return False
        install_catalog(db, load_catalog(settings.catalog))
        return True


def install_catalog(db: Database, catalog: Catalog) -> None:
    """Write the catalog into the database in one transaction (upserting by id).

    Existing rows are updated in place, so installing the same file twice changes nothing
    and tickets keep their procedures.
    """
    with write_transaction(db):
        for key, value in {
            "center_name": catalog.center_name,
            "portal_url": catalog.portal_url,
            "opening_hours": json.dumps(catalog.opening_hours),
        }.items():
            db["settings"].upsert({"key": key, "value": value}, pk="key")
        for key, value in catalog.paperwork.items():  # an admin's saved letterhead stays
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [key, value],
            )
        for position, field in enumerate(catalog.fields):
            db["fields"].upsert(
                {"id": field.id, "name": field.name, "letter": field.letter, "position": position},
                pk="id",
            )
        for position, procedure in enumerate(catalog.procedures):
            db["procedures"].upsert({**procedure_columns(procedure), "position": position}, pk="id")
        for entry in catalog.calendar_days:
            db.execute(
                """INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)
                   ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name""",
                [entry.day.isoformat(), entry.kind, entry.name],
            )
        for counter in catalog.counters:
            db["counters"].upsert({"id": counter.id, "name": counter.name}, pk="id")
            db.execute("DELETE FROM counter_procedures WHERE counter_id = ?", [counter.id])
            for procedure_id in counter.procedures:
                db["counter_procedures"].insert(
                    {"counter_id": counter.id, "procedure_id": procedure_id}
                )
