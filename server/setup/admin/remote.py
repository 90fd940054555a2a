"""The admin's choices for remote tickets, bookings and the push warning, audited as one
change ("Lấy số từ xa và đặt lịch" on /admin; read by server/setup/remote.py)."""

from __future__ import annotations

from typing import Any

from server.clock import Clock
from server.settings import Settings, SettingsError
from server.setup.admin.input import Rule, check_body, refuse, save_settings
from server.setup.audit import audited_change
from server.setup.remote import load_remote_setup, parse_hours
from server.storage.db import Database, rows_as_dicts

REMOTE_RULES = {
    "remote_tickets": Rule("Số lượt lấy số từ xa mỗi ngày", int, True, maximum=10_000),
    "remote_hours": Rule("Giờ lấy số từ xa", str),
    "booking_days_ahead": Rule("Số ngày làm việc được đặt lịch trước", int, True, maximum=60),
    "booking_retention_days": Rule(
        "Số ngày giữ thông tin đặt lịch", int, True, minimum=1, maximum=3650
    ),
    "push_ahead": Rule("Báo trước khi còn số người", int, True, maximum=50),
    "fields": Rule("Đặt lịch theo lĩnh vực", dict),
}
FIELD_RULES = {
    "booking_capacity": Rule("Số người mỗi khung giờ", int, True, maximum=1000),
    "booking_slot_minutes": Rule("Độ dài khung giờ (phút)", int, True, minimum=5, maximum=240),
}


def remote_setup(db: Database, settings: Settings) -> dict[str, Any]:
    """What the admin edits, as in force now: the choices, and each field's booking slots
    (capacity 0: that field takes no booking)."""
    fields = rows_as_dicts(
        db,
        """SELECT id, name, booking_capacity, booking_slot_minutes FROM fields
           ORDER BY position, id""",
    )
    return {**load_remote_setup(db, settings).to_dict(), "fields": fields}


def checked_fields(db: Database, value: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{field id: {booking_capacity?, booking_slot_minutes?}}, each field known."""
    checked = {}
    for field_id, changes in value.items():
        if not db.execute("SELECT 1 FROM fields WHERE id = ?", [field_id]).fetchone():
            raise refuse("fields", f"Đặt lịch theo lĩnh vực: không có lĩnh vực '{field_id}'.")
        checked[field_id] = check_body(changes, FIELD_RULES, creating=False)
    return checked


def stored_remote_value(key: str, value: Any) -> str:
    """One checked input as the settings table keeps it ("" clears remote_hours: the
    center's sessions decide again)."""
    if key != "remote_hours":
        return str(value)
    if value is None:
        return ""
    try:
        start, end = parse_hours(value)
    except SettingsError:
        message = f"Giờ lấy số từ xa phải có dạng 07:00-16:30, bắt đầu trước kết thúc: '{value}'."
        raise refuse(key, message) from None
    return f"{start:%H:%M}-{end:%H:%M}"


def update_remote(
    db: Database, clock: Clock, settings: Settings, user_id: int | None, body: Any
) -> dict[str, Any]:
    """Save what was sent (any of REMOTE_RULES); returns the choices now in force."""
    values = check_body(body, REMOTE_RULES, creating=False)
    fields = checked_fields(db, values.pop("fields", None) or {})
    stored = {key: stored_remote_value(key, value) for key, value in values.items()}
    with audited_change(db, clock, user_id, "remote.update", "remote") as change:
        before = remote_setup(db, settings)
        save_settings(db, stored)
        for field_id, changes in fields.items():
            for column, number in changes.items():  # a column of FIELD_RULES, checked above
                db.execute(f"UPDATE fields SET {column} = ? WHERE id = ?", [number, field_id])
        if fields:
            values["fields"] = fields
        after = remote_setup(db, settings)
        changed = [key for key in values if before[key] != after[key]]
        if changed:
            change.record(
                "remote",
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
            )
    return after
