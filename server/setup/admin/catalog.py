"""The admin's changes to fields and procedures, each one transaction with its audit entry.

The catalog's validators (server/setup/catalog.py) build every record, so what the admin saves is
what a catalog file could say. The rules beyond them: a field's letter is unique, a field
that procedures use is not deleted, a procedure that has tickets is not deleted (the reports
count them), and the center never keeps fewer than MINIMUM_NO_APPOINTMENT procedures of the
no-appointment model. Tickets already issued keep their letter, number and no_appointment
flag whatever changes here.
"""

from __future__ import annotations

import json
from typing import Any

from server.clock import Clock
from server.errors import CatalogError, InvalidInput, NotFound, WrongState
from server.setup.admin.input import Rule, check_body, new_id, refuse
from server.setup.audit import audited_change
from server.setup.catalog import (
    LONGEST_PROCESSING_DAYS,
    LONGEST_SERVICE_MINUTES,
    MINIMUM_NO_APPOINTMENT,
    parse_field,
    parse_procedure,
    procedure_columns,
)
from server.storage.db import Database, rows_as_dicts

FIELD_RULES = {
    "id": Rule("Mã lĩnh vực", str),
    "name": Rule("Tên lĩnh vực", str, required=True),
    "letter": Rule("Chữ cái của số phiếu", str, required=True),
}
PROCEDURE_RULES = {
    "id": Rule("Mã", str),
    "field": Rule("Lĩnh vực", str, required=True),
    "name": Rule("Tên thủ tục", str, required=True),
    "short_name": Rule("Tên ngắn trên ki-ốt", str),
    "code": Rule("Mã thủ tục quốc gia", str),
    "legal_time": Rule("Thời hạn giải quyết", str),
    "processing_days": Rule("Số ngày làm việc để có kết quả", int, maximum=LONGEST_PROCESSING_DAYS),
    "service_minutes": Rule(
        "Số phút phục vụ tại quầy", int, minimum=1, maximum=LONGEST_SERVICE_MINUTES
    ),
    "no_appointment": Rule("Không hẹn", bool),
    "fee": Rule("Lệ phí", str),
    "documents": Rule("Thành phần hồ sơ", list),
    "online_help": Rule("Bàn hỗ trợ nộp trực tuyến", bool),
    "active": Rule("Đang tiếp nhận", bool),
}
PROCEDURE_DEFAULTS = {
    "processing_days": 0,
    "service_minutes": 5,
    "no_appointment": False,
    "online_help": False,
    "active": True,
    "documents": [],
    "legal_time": "",
    "fee": "",
}


def list_fields(db: Database, only: str | None = None) -> list[dict[str, Any]]:
    """Every field in kiosk order (or only one), with how many procedures it holds."""
    return rows_as_dicts(
        db,
        """SELECT f.id, f.name, f.letter,
                  (SELECT count(*) FROM procedures p WHERE p.field_id = f.id) AS procedures
           FROM fields f WHERE ? IS NULL OR f.id = ? ORDER BY f.position, f.id""",
        [only, only],
    )


def field_record(db: Database, field_id: str) -> dict[str, Any]:
    rows = list_fields(db, only=field_id)
    if not rows:
        raise NotFound(f"Không có lĩnh vực '{field_id}'.", "field_not_found")
    return rows[0]


def valid_letter(field_id: str, name: str, letter: str) -> str:
    """The letter upper-cased, through the catalog's own rule (one letter A–Z)."""
    try:
        return parse_field({"id": field_id, "name": name, "letter": letter}, 0).letter
    except CatalogError:
        message = f"Chữ cái của số phiếu phải là một chữ từ A đến Z, nhận '{letter}'."
        raise refuse("letter", message) from None


def require_free_letter(db: Database, letter: str, field_id: str) -> None:
    row = db.execute(
        "SELECT name FROM fields WHERE letter = ? AND id != ?", [letter, field_id]
    ).fetchone()
    if row:
        raise WrongState(f"Chữ cái '{letter}' đã dùng cho lĩnh vực “{row[0]}”.", "letter_taken")


def add_field(db: Database, clock: Clock, user_id: int | None, body: Any) -> dict[str, Any]:
    values = check_body(body, FIELD_RULES, creating=True)
    with audited_change(db, clock, user_id, "field.add", "fields") as change:
        field_id = new_id(db, "fields", values.get("id"), values["name"])
        letter = valid_letter(field_id, values["name"], values["letter"])
        require_free_letter(db, letter, field_id)
        position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM fields").fetchone()[0]
        db.execute(
            "INSERT INTO fields (id, name, letter, position) VALUES (?, ?, ?, ?)",
            [field_id, values["name"], letter, position],
        )
        after = field_record(db, field_id)
        change.record(f"field:{field_id}", after=after)
    return after


def update_field(
    db: Database, clock: Clock, user_id: int | None, field_id: str, body: Any
) -> dict[str, Any]:
    """Rename a field or give it another letter (tickets already issued keep theirs)."""
    rules = {key: rule for key, rule in FIELD_RULES.items() if key != "id"}
    values = check_body(body, rules, creating=False)
    with audited_change(db, clock, user_id, "field.update", "fields") as change:
        before = field_record(db, field_id)
        name = values.get("name", before["name"])
        letter = valid_letter(field_id, name, values.get("letter", before["letter"]))
        require_free_letter(db, letter, field_id)
        db.execute("UPDATE fields SET name = ?, letter = ? WHERE id = ?", [name, letter, field_id])
        after = field_record(db, field_id)
        change.record(f"field:{field_id}", before=before, after=after)
    return after


def delete_field(db: Database, clock: Clock, user_id: int | None, field_id: str) -> None:
    with audited_change(db, clock, user_id, "field.delete", "fields") as change:
        before = field_record(db, field_id)
        if before["procedures"]:
            raise WrongState(
                f"Lĩnh vực “{before['name']}” còn {before['procedures']} thủ tục: hãy chuyển "
                "các thủ tục đó sang lĩnh vực khác hoặc xoá chúng trước.",
                "field_in_use",
            )
        db.execute("DELETE FROM fields WHERE id = ?", [field_id])
        change.record(f"field:{field_id}", before=before)


def list_procedures(db: Database, only: str | None = None) -> list[dict[str, Any]]:
    """Every procedure in kiosk order (or only one), with the counters that serve it."""
    rows = rows_as_dicts(
        db,
        """SELECT p.id, p.field_id AS field, p.code, p.name, p.short_name, p.legal_time,
                  p.processing_days, p.service_minutes, p.no_appointment, p.fee, p.documents,
                  p.online_help, p.active,
                  (SELECT json_group_array(cp.counter_id) FROM counter_procedures cp
                   WHERE cp.procedure_id = p.id) AS counters
           FROM procedures p JOIN fields f ON f.id = p.field_id
           WHERE ? IS NULL OR p.id = ? ORDER BY f.position, p.position""",
        [only, only],
    )
    for row in rows:
        row["no_appointment"] = bool(row["no_appointment"])
        row["online_help"] = bool(row["online_help"])
        row["active"] = bool(row["active"])
        row["documents"] = json.loads(row["documents"])
        row["counters"] = sorted(json.loads(row["counters"]))
    return rows


def procedure_record(db: Database, procedure_id: str) -> dict[str, Any]:
    rows = list_procedures(db, only=procedure_id)
    if not rows:
        raise NotFound(f"Không có thủ tục '{procedure_id}'.", "procedure_not_found")
    return rows[0]


def valid_procedure(db: Database, procedure_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """The procedure's columns, built by the catalog's parse_procedure, and `active` (the
    admin's alone: a catalog file lists what the center takes)."""
    field_ids = {row[0] for row in db.execute("SELECT id FROM fields")}
    if values["field"] not in field_ids:
        raise refuse("field", f"Lĩnh vực '{values['field']}' không có.")
    entry = {**PROCEDURE_DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
    active = entry.pop("active")
    try:
        procedure = parse_procedure({**entry, "id": procedure_id}, 0, field_ids)
    except CatalogError as error:
        raise InvalidInput(str(error), "invalid_procedure") from None
    return {**procedure_columns(procedure), "active": int(active)}


def require_enough_no_appointment(db: Database, dropped: dict[str, Any]) -> None:
    """Refuse a change that leaves the model fewer than MINIMUM_NO_APPOINTMENT procedures
    (call after writing it, inside its transaction)."""
    eligible = db.execute(
        "SELECT count(*) FROM procedures WHERE no_appointment = 1 AND active = 1"
    ).fetchone()[0]
    if eligible < MINIMUM_NO_APPOINTMENT:
        raise WrongState(
            f"Mô hình “Ngày không hẹn” cần ít nhất {MINIMUM_NO_APPOINTMENT} thủ tục không hẹn: "
            f"bỏ “{dropped['short_name']}” thì chỉ còn {eligible}. Hãy đánh dấu không hẹn cho "
            "một thủ tục khác trước.",
            "too_few_no_appointment",
        )


def in_the_model(procedure: dict[str, Any]) -> bool:
    """Whether a procedure counts among the no-appointment model's: marked, and taken."""
    return bool(procedure["no_appointment"] and procedure["active"])


def add_procedure(db: Database, clock: Clock, user_id: int | None, body: Any) -> dict[str, Any]:
    values = check_body(body, PROCEDURE_RULES, creating=True)
    with audited_change(db, clock, user_id, "procedure.add", "procedures") as change:
        procedure_id = new_id(
            db, "procedures", values.pop("id", None), values.get("short_name") or values["name"]
        )
        columns = valid_procedure(db, procedure_id, values)
        columns["position"] = db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM procedures"
        ).fetchone()[0]
        placeholders = ", ".join("?" * len(columns))
        db.execute(
            f"INSERT INTO procedures ({', '.join(columns)}) VALUES ({placeholders})",
            list(columns.values()),
        )
        after = procedure_record(db, procedure_id)
        change.record(f"procedure:{procedure_id}", after=after)
    return after


def update_procedure(
    db: Database, clock: Clock, user_id: int | None, procedure_id: str, body: Any
) -> dict[str, Any]:
    """Change what the kiosk shows and the counters use from now on; tickets keep theirs."""
    rules = {key: rule for key, rule in PROCEDURE_RULES.items() if key != "id"}
    values = check_body(body, rules, creating=False)
    with audited_change(db, clock, user_id, "procedure.update", "procedures") as change:
        before = procedure_record(db, procedure_id)
        current = {key: before[key] for key in rules}
        columns = valid_procedure(db, procedure_id, {**current, **values})
        assignments = ", ".join(f"{column} = ?" for column in columns if column != "id")
        db.execute(
            f"UPDATE procedures SET {assignments} WHERE id = ?",
            [value for column, value in columns.items() if column != "id"] + [procedure_id],
        )
        after = procedure_record(db, procedure_id)
        if in_the_model(before) and not in_the_model(after):
            require_enough_no_appointment(db, after)
        change.record(f"procedure:{procedure_id}", before=before, after=after)
    return after


def delete_procedure(db: Database, clock: Clock, user_id: int | None, procedure_id: str) -> None:
    """Only a procedure that never had a ticket (the reports count every ticket's)."""
    with audited_change(db, clock, user_id, "procedure.delete", "procedures") as change:
        before = procedure_record(db, procedure_id)
        tickets = db.execute(
            "SELECT count(*) FROM tickets WHERE procedure_id = ?", [procedure_id]
        ).fetchone()[0]
        if tickets:
            raise WrongState(
                f"Thủ tục “{before['short_name']}” đã có {tickets} phiếu được cấp nên "
                "không xoá được (báo cáo còn cần). Có thể ngừng tiếp nhận thủ tục này: ki-ốt "
                "sẽ không hiện nó nữa.",
                "procedure_has_tickets",
            )
        db.execute("DELETE FROM counter_procedures WHERE procedure_id = ?", [procedure_id])
        db.execute("DELETE FROM procedures WHERE id = ?", [procedure_id])
        if in_the_model(before):
            require_enough_no_appointment(db, before)
        change.record(f"procedure:{procedure_id}", before=before)
