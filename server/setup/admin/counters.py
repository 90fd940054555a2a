"""The admin's changes to counters and what they serve, each one transaction with its audit
entry. A counter serves procedures of the catalog only; a counter that has served tickets
stays (its tickets and the reports name it), though it may be renamed or serve nothing.
"""

from __future__ import annotations

import json
from typing import Any

from server.clock import Clock
from server.errors import CatalogError, InvalidInput, NotFound, WrongState
from server.setup.admin.input import Rule, check_body, refuse
from server.setup.audit import audited_change
from server.setup.catalog import parse_counter
from server.storage.db import Database, rows_as_dicts

COUNTER_RULES = {
    "id": Rule("Số quầy", int, minimum=1),
    "name": Rule("Tên quầy", str, required=True),
    "procedures": Rule("Thủ tục quầy phục vụ", list),
}
LARGEST_COUNTER_ID = 999_999  # printer queues name counters with up to six digits


def list_counters(db: Database, only: int | None = None) -> list[dict[str, Any]]:
    """Every counter (or only one) with the procedures it serves, in kiosk order."""
    rows = rows_as_dicts(
        db,
        """SELECT c.id, c.name,
                  (SELECT json_group_array(procedure_id) FROM (
                       SELECT cp.procedure_id FROM counter_procedures cp
                       JOIN procedures p ON p.id = cp.procedure_id
                       JOIN fields f ON f.id = p.field_id
                       WHERE cp.counter_id = c.id ORDER BY f.position, p.position)
                  ) AS procedures
           FROM counters c WHERE ? IS NULL OR c.id = ? ORDER BY c.id""",
        [only, only],
    )
    for row in rows:
        row["procedures"] = json.loads(row["procedures"])
    return rows


def counter_record(db: Database, counter_id: int) -> dict[str, Any]:
    rows = list_counters(db, only=counter_id)
    if not rows:
        raise NotFound(f"Không có quầy {counter_id}.", "counter_not_found")
    return rows[0]


def valid_procedures(db: Database, counter_id: int, name: str, wanted: list[str]) -> list[str]:
    """The procedures, each once, all of the catalog (checked by its parse_counter)."""
    served = list(dict.fromkeys(wanted))
    known = {row[0] for row in db.execute("SELECT id FROM procedures")}
    unknown = [procedure_id for procedure_id in served if procedure_id not in known]
    if unknown:
        raise refuse("procedures", f"Thủ tục '{unknown[0]}' không có trong danh mục.")
    try:
        parse_counter({"id": counter_id, "name": name, "procedures": served}, 0, known)
    except CatalogError as error:
        raise InvalidInput(str(error), "invalid_counter") from None
    return served


def write_procedures(db: Database, counter_id: int, procedures: list[str]) -> None:
    db.execute("DELETE FROM counter_procedures WHERE counter_id = ?", [counter_id])
    for procedure_id in procedures:
        db.execute(
            "INSERT INTO counter_procedures (counter_id, procedure_id) VALUES (?, ?)",
            [counter_id, procedure_id],
        )


def add_counter(db: Database, clock: Clock, user_id: int | None, body: Any) -> dict[str, Any]:
    """A new counter: the number asked for, else the next free one."""
    values = check_body(body, COUNTER_RULES, creating=True)
    with audited_change(db, clock, user_id, "counter.add", "counters") as change:
        counter_id = values.get("id")
        if counter_id is None:
            counter_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM counters").fetchone()[0]
        elif counter_id > LARGEST_COUNTER_ID:
            raise refuse("id", f"Số quầy tối đa là {LARGEST_COUNTER_ID}, nhận {counter_id}.")
        elif db.execute("SELECT 1 FROM counters WHERE id = ?", [counter_id]).fetchone():
            raise WrongState(f"Quầy số {counter_id} đã có.", "counter_id_taken")
        served = valid_procedures(db, counter_id, values["name"], values.get("procedures") or [])
        db.execute("INSERT INTO counters (id, name) VALUES (?, ?)", [counter_id, values["name"]])
        write_procedures(db, counter_id, served)
        after = counter_record(db, counter_id)
        change.record(f"counter:{counter_id}", after=after)
    return after


def update_counter(
    db: Database, clock: Clock, user_id: int | None, counter_id: int, body: Any
) -> dict[str, Any]:
    """Rename a counter or change what it serves; its waiting tickets stay in the line."""
    rules = {key: rule for key, rule in COUNTER_RULES.items() if key != "id"}
    values = check_body(body, rules, creating=False)
    with audited_change(db, clock, user_id, "counter.update", "counters") as change:
        before = counter_record(db, counter_id)
        name = values.get("name", before["name"])
        wanted = values["procedures"] if "procedures" in values else before["procedures"]
        served = valid_procedures(db, counter_id, name, wanted or [])
        db.execute("UPDATE counters SET name = ? WHERE id = ?", [name, counter_id])
        write_procedures(db, counter_id, served)
        after = counter_record(db, counter_id)
        change.record(f"counter:{counter_id}", before=before, after=after)
    return after


def delete_counter(db: Database, clock: Clock, user_id: int | None, counter_id: int) -> None:
    """Only a counter that never served a ticket (with its own printer setting, if any)."""
    with audited_change(db, clock, user_id, "counter.delete", "counters") as change:
        before = counter_record(db, counter_id)
        used = db.execute(
            """SELECT EXISTS (SELECT 1 FROM tickets WHERE counter_id = ?)
                   OR EXISTS (SELECT 1 FROM ticket_events WHERE counter_id = ?)""",
            [counter_id, counter_id],
        ).fetchone()[0]
        if used:
            raise WrongState(
                f"“{before['name']}” đã phục vụ phiếu nên không xoá được (báo cáo còn cần). "
                "Có thể đổi tên, hoặc bỏ hết thủ tục để quầy không nhận phiếu nữa.",
                "counter_has_tickets",
            )
        db.execute("DELETE FROM printers WHERE name = ?", [f"counter:{counter_id}"])
        db.execute("DELETE FROM counters WHERE id = ?", [counter_id])
        change.record(f"counter:{counter_id}", before=before)
