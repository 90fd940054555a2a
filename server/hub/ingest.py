"""A center's batch of facts, stored: checked whole first (a malformed batch writes
nothing), then each fact UPSERTed on (center, kind, key) in one transaction, `data: null`
deleting. A batch sent twice leaves the hub as once, and the last state of a row wins, so
a center may resend anything after a failure (at-least-once) without counting twice.

What a fact holds is the wire format of docs/api.md ("The hub"); this module is the one
place that turns it into the hub's typed columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from psycopg import Connection

from server.clock import Clock
from server.errors import DomainError, InvalidInput
from server.vocabulary import (
    CHANNELS,
    COUNTER_STATES,
    OUTCOMES,
    PRIORITIES,
    RATINGS,
    TICKET_STATUSES,
    TIMELINESS,
)

MAX_FACTS = 1000
MAX_TEXT = 2000
CENTER_NAME_LENGTH = 200


class WrongCenter(DomainError):
    """A token used for another center's batch (403)."""

    status = 403
    code = "wrong_center"


def bad(message: str) -> InvalidInput:
    return InvalidInput(message, "invalid_facts")


Convert = Callable[[Any, str], Any]


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise bad(f"{where}: cần một chuỗi (tối đa {MAX_TEXT} ký tự).")
    return value


def integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
        raise bad(f"{where}: cần một số nguyên.")
    return value


def flag(value: Any, where: str) -> bool:
    """A boolean, or SQLite's 0/1 as the center stores it."""
    if isinstance(value, bool):
        return value
    if value in (0, 1) and isinstance(value, int):
        return bool(value)
    raise bad(f"{where}: cần true/false.")


def day(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(text(value, where))
    except ValueError:
        raise bad(f"{where}: cần một ngày dạng YYYY-MM-DD.") from None


def moment(value: Any, where: str) -> datetime:
    """An ISO 8601 time with its offset (a time without one has no place on a timeline)."""
    try:
        parsed = datetime.fromisoformat(text(value, where))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise bad(f"{where}: cần thời điểm ISO 8601 kèm múi giờ.")
    return parsed


def local_day(value: Any, where: str) -> date:
    """The center's own day of one of its times: the date as the center wrote it."""
    moment(value, where)
    return date.fromisoformat(value[:10])


def number_text(value: Any, where: str) -> str:
    return str(integer(value, where)) if isinstance(value, int) else text(value, where)


def one_of(values: tuple[str, ...]) -> Convert:
    def convert(value: Any, where: str) -> str:
        if value not in values:
            raise bad(f"{where}: giá trị không hợp lệ (một trong {', '.join(values)}).")
        return value

    return convert


def documents(value: Any, where: str) -> str:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad(f"{where}: cần một danh sách chuỗi.")
    return json.dumps(value, ensure_ascii=False)


def optional(convert: Convert) -> Convert:
    def maybe(value: Any, where: str) -> Any:
        return None if value is None else convert(value, where)

    return maybe


@dataclass(frozen=True)
class Column:
    """One typed column: its name, the data key it comes from, how it is checked; `source`
    differs from `name` for a column derived from another key (a day from a time)."""

    name: str
    convert: Convert
    source: str = ""
    default_missing: bool = False  # an absent key reads as null (an older center's fact)

    @property
    def key(self) -> str:
        return self.source or self.name


def columns(*specs: tuple[Any, ...]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


# kind → (table, columns). Every column must be in `data`, but those marked optional-missing.
KINDS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "field": (
        "hub_fields",
        columns(("id", text), ("name", text), ("letter", optional(text), "", True),
                ("position", optional(integer), "", True)),
    ),
    "procedure": (
        "hub_procedures",
        columns(("id", text), ("short_name", text), ("field_id", optional(text)),
                ("processing_days", optional(integer), "", True),
                ("no_appointment", flag), ("online_help", flag, "", True),
                ("position", optional(integer), "", True)),
    ),
    "counter": ("hub_counters", columns(("id", integer), ("name", text))),
    "officer": ("hub_officers", columns(("id", integer), ("name", text))),
    "ticket": (
        "hub_tickets",
        columns(("id", number_text), ("day", day), ("number", optional(number_text)),
                ("procedure_id", text), ("status", one_of(TICKET_STATUSES)),
                ("priority", optional(one_of(PRIORITIES)), "", True),
                ("no_appointment", flag), ("channel", one_of(CHANNELS), "", True),
                ("counter_id", optional(integer)), ("officer_id", optional(integer)),
                ("issued_at", moment), ("called_at", optional(moment)),
                ("finished_at", optional(moment)), ("outcome", optional(one_of(OUTCOMES))),
                ("rating", optional(one_of(RATINGS))),
                ("corrected_at", optional(moment), "", True),
                ("missing_documents", optional(documents), "", True),
                ("outcome_reason", optional(text), "", True)),
    ),
    "dossier": (
        "hub_dossiers",
        columns(("code", text), ("ticket_id", optional(number_text)),
                ("procedure_id", optional(text)), ("received_at", optional(moment)),
                ("received_day", optional(local_day), "received_at"),
                ("due_date", optional(day)), ("returned_at", optional(moment)),
                ("returned_day", optional(local_day), "returned_at"),
                ("timeliness", optional(one_of(TIMELINESS)))),
    ),
    "apology": (
        "hub_apologies",
        columns(("id", integer), ("dossier_code", text), ("apologized_at", moment),
                ("apologized_day", local_day, "apologized_at"),
                ("new_due_date", optional(day)), ("days_late", integer)),
    ),
    "counter_change": (
        "hub_counter_changes",
        columns(("id", integer), ("counter_id", integer), ("day", day), ("at", moment),
                ("state", one_of(COUNTER_STATES)), ("pause_reason", optional(text), "", True)),
    ),
}  # fmt: skip
# A default for the keys an older center may not send: the ticket's channel is a kiosk's.
MISSING_DEFAULTS = {("ticket", "channel"): "kiosk"}


@dataclass(frozen=True)
class Batch:
    """A checked batch: the center it claims, its new name, its log position, and the facts
    (the last of each (kind, key) only): kind → {key: values or None}."""

    center_id: str
    center_name: str
    through: int
    facts: dict[str, dict[str, tuple[Any, ...] | None]]

    @property
    def count(self) -> int:
        return sum(len(keyed) for keyed in self.facts.values())


def parse_batch(body: Any) -> Batch:
    """The request's body as a Batch, or 400 naming the first thing wrong with it."""
    if not isinstance(body, dict):
        raise bad("Cần một đối tượng JSON {center, through, facts}.")
    center = body.get("center")
    if not isinstance(center, dict):
        raise bad("center: cần {id, name}.")
    center_id, name = center.get("id"), center.get("name")
    if not isinstance(center_id, str) or not isinstance(name, str) or not name.strip():
        raise bad("center: cần {id, name} là hai chuỗi.")
    if len(name) > CENTER_NAME_LENGTH:
        raise bad(f"center.name: tối đa {CENTER_NAME_LENGTH} ký tự.")
    through = integer(body.get("through"), "through")
    facts = body.get("facts")
    if not isinstance(facts, list) or len(facts) > MAX_FACTS:
        raise bad(f"facts: cần một danh sách (tối đa {MAX_FACTS} mục).")
    parsed: dict[str, dict[str, tuple[Any, ...] | None]] = {kind: {} for kind in KINDS}
    for index, fact in enumerate(facts):
        where = f"facts[{index}]"
        if not isinstance(fact, dict) or fact.get("kind") not in KINDS:
            raise bad(f"{where}: cần {{kind, key, data}} với kind là {', '.join(KINDS)}.")
        kind, key, data = fact["kind"], text(fact.get("key"), f"{where}.key"), fact.get("data")
        if data is None:  # the last fact of a (kind, key) in the batch is the one kept
            parsed[kind][key] = None
        elif isinstance(data, dict):
            parsed[kind][key] = fact_values(kind, data, where)
        else:
            raise bad(f"{where}.data: cần một đối tượng hoặc null.")
    return Batch(center_id, name.strip(), through, parsed)


def fact_values(kind: str, data: dict[str, Any], where: str) -> tuple[Any, ...]:
    values = []
    for column in KINDS[kind][1]:
        if column.key not in data and not column.default_missing:
            raise bad(f"{where}.data: thiếu '{column.key}'.")
        value = data.get(column.key, MISSING_DEFAULTS.get((kind, column.key)))
        values.append(column.convert(value, f"{where}.data.{column.key}"))
    return tuple(values)


def store_batch(conn: Connection, clock: Clock, center_id: str, batch: Batch) -> int:
    """Store a checked batch for the token's center (403 when it claims another); the
    number of facts stored. One transaction: all of it or nothing."""
    if batch.center_id != center_id:
        raise WrongCenter(
            f"Mã truy cập này thuộc trung tâm {center_id}, không phải {batch.center_id}."
        )
    with conn.transaction(), conn.cursor() as cursor:
        for kind, keyed in batch.facts.items():
            table, specs = KINDS[kind]
            gone = [key for key, values in keyed.items() if values is None]
            if gone:
                cursor.execute(
                    f"DELETE FROM {table} WHERE center_id = %s AND key = ANY(%s)",
                    [center_id, gone],
                )
            rows = [(center_id, key, *values) for key, values in keyed.items() if values]
            if rows:
                names = [column.name for column in specs]
                cursor.executemany(
                    f"""INSERT INTO {table} (center_id, key, {", ".join(names)})
                        VALUES (%s, %s, {", ".join(["%s"] * len(names))})
                        ON CONFLICT (center_id, key) DO UPDATE SET
                        {", ".join(f"{name} = EXCLUDED.{name}" for name in names)}""",
                    rows,
                )
        cursor.execute(
            """UPDATE centers SET name = %s, last_received_at = %s,
                   through = GREATEST(COALESCE(through, 0), %s) WHERE id = %s""",
            [batch.center_name, clock.now(), batch.through, center_id],
        )
    return batch.count
