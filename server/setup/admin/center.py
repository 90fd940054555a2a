"""The admin's changes to the center and its calendar, each one transaction with its audit entry.

The center: its name, the online-services portal, the weekly opening hours, and the
no-appointment weekdays and cut-off (saved in `settings`, they override MOTCUA_NO_APPOINTMENT_*
from then on: server/setup/workdays.py). The calendar: public holidays (closed, no no-appointment
session, skipped by due dates) and swapped working days, one entry per date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from server.clock import Clock
from server.errors import CatalogError, NotFound, WrongState
from server.settings import WEEKDAYS, Settings, SettingsError, parse_time, parse_weekdays
from server.setup.admin.input import Rule, check_body, refuse, save_settings
from server.setup.audit import audited_change
from server.setup.catalog import parse_calendar_days, parse_opening_hours
from server.setup.center import WEEKDAY_NAMES, setting
from server.setup.workdays import load_calendar
from server.storage.db import Database, rows_as_dicts
from server.vocabulary import CALENDAR_KINDS

CENTER_RULES = {
    "name": Rule("Tên trung tâm", str, required=True),
    "portal_url": Rule("Địa chỉ cổng dịch vụ công", str),
    "opening_hours": Rule("Giờ làm việc", dict, required=True),
    "no_appointment_days": Rule("Ngày không hẹn", list),
    "no_appointment_until": Rule("Giờ kết thúc nhận hồ sơ không hẹn", str, required=True),
}
CALENDAR_RULES = {
    "day": Rule("Ngày", str, required=True),
    "kind": Rule("Loại ngày", str, required=True),
    "name": Rule("Tên ngày", str, required=True),
}
SETTING_KEYS = {"name": "center_name"}  # input → settings key, where they differ
WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*")


def center_setup(db: Database, settings: Settings) -> dict[str, Any]:
    """What the admin edits, as in force now (the MOTCUA_* defaults until saved)."""
    calendar = load_calendar(db, settings)
    return {
        "name": setting(db, "center_name"),
        "portal_url": setting(db, "portal_url"),
        "opening_hours": {
            WEEKDAYS[day]: sessions for day, sessions in sorted(calendar.hours.items())
        },
        "no_appointment_days": [WEEKDAYS[day] for day in sorted(calendar.no_appointment_days)],
        "no_appointment_until": calendar.no_appointment_until.strftime("%H:%M"),
    }


def stored_hours(value: dict[str, Any]) -> str:
    """{"mon": ["07:00-11:30", ...], ...} → the settings' JSON (weekday number → sessions);
    through the catalog's parse_opening_hours, plus: each session starts before it ends and
    after the previous one; a day without sessions is closed."""
    hours: dict[int, list[str]] = {}
    for day, sessions in value.items():
        if day not in WEEKDAYS:
            message = f"Giờ làm việc: ngày '{day}' không hợp lệ (mon..sun)."
            raise refuse("opening_hours", message)
        label = WEEKDAY_NAMES[WEEKDAYS.index(day)]
        try:
            parsed = parse_opening_hours({day: sessions})
        except CatalogError:
            message = f"Giờ làm việc {label}: mỗi ca phải có dạng 07:00-11:30, nhận {sessions}."
            raise refuse("opening_hours", message) from None
        ordered = sorted(parsed[WEEKDAYS.index(day)])
        previous_end = ""
        for session in ordered:
            start, end = session.split("-")
            if not previous_end <= start < end:
                message = f"Giờ làm việc {label}: ca {session} không hợp lệ hoặc chồng ca khác."
                raise refuse("opening_hours", message)
            previous_end = end
        if ordered:
            hours[WEEKDAYS.index(day)] = ordered
    if not hours:  # stored empty, it would mean "open at all hours" (server/setup/workdays.py)
        raise refuse("opening_hours", "Giờ làm việc: cần ít nhất một ngày có ca làm việc.")
    return json.dumps(dict(sorted(hours.items())))


def stored_value(key: str, value: Any) -> str:
    """One checked input of the center as the settings table keeps it."""
    if key == "portal_url":
        if value and not WEB_ADDRESS.fullmatch(value):
            message = f"Địa chỉ cổng dịch vụ công phải bắt đầu bằng https://, nhận '{value}'."
            raise refuse(key, message)
        return value or ""
    if key == "opening_hours":
        return stored_hours(value)
    try:
        if key == "no_appointment_days":
            days = parse_weekdays(",".join(str(day) for day in value or []))
            return ",".join(WEEKDAYS[day] for day in sorted(days))
        if key == "no_appointment_until":
            return parse_time(value, key).strftime("%H:%M")
    except SettingsError:
        message = (
            f"Ngày không hẹn: chỉ chọn trong {', '.join(WEEKDAYS)}, nhận {value}."
            if key == "no_appointment_days"
            else f"Giờ kết thúc nhận không hẹn phải có dạng HH:MM (ví dụ 15:00), nhận '{value}'."
        )
        raise refuse(key, message) from None
    return value


def update_center(
    db: Database, clock: Clock, settings: Settings, user_id: int | None, body: Any
) -> dict[str, Any]:
    """Save what was sent (any of CENTER_RULES); returns the center as now in force."""
    values = check_body(body, CENTER_RULES, creating=False)
    stored = {key: stored_value(key, value) for key, value in values.items()}
    with audited_change(db, clock, user_id, "center.update", "center") as change:
        before = center_setup(db, settings)
        save_settings(db, {SETTING_KEYS.get(key, key): value for key, value in stored.items()})
        after = center_setup(db, settings)
        changed = [key for key in values if before[key] != after[key]]
        if changed:
            change.record(
                "center",
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed},
            )
    return after


def list_calendar_days(db: Database) -> list[dict[str, Any]]:
    return rows_as_dicts(db, "SELECT day, kind, name FROM calendar_days ORDER BY day")


def calendar_day(db: Database, day: str) -> dict[str, Any]:
    rows = rows_as_dicts(db, "SELECT day, kind, name FROM calendar_days WHERE day = ?", [day])
    if not rows:
        raise NotFound(f"Lịch không có ngày '{day}'.", "calendar_day_not_found")
    return rows[0]


def valid_calendar_day(values: dict[str, Any]) -> dict[str, Any]:
    """Through the catalog's parse_calendar_days: a real date YYYY-MM-DD, a kind, a name."""
    if values["kind"] not in CALENDAR_KINDS:
        kind = values["kind"]
        message = f"Loại ngày phải là nghỉ lễ (holiday) hoặc làm bù (working), nhận '{kind}'."
        raise refuse("kind", message)
    key = "holidays" if values["kind"] == "holiday" else "working_days"
    entry = {"date": values["day"], "name": values["name"]}
    try:
        (parsed,) = parse_calendar_days({key: [entry]})
    except CatalogError:
        day = values["day"]
        message = f"Ngày '{day}' không có thật hoặc sai dạng (năm-tháng-ngày, ví dụ 2027-01-01)."
        raise refuse("day", message) from None
    return {"day": parsed.day.isoformat(), "kind": parsed.kind, "name": parsed.name}


def add_calendar_day(db: Database, clock: Clock, user_id: int | None, body: Any) -> dict[str, Any]:
    entry = valid_calendar_day(check_body(body, CALENDAR_RULES, creating=True))
    with audited_change(db, clock, user_id, "calendar.add", "calendar") as change:
        taken = db.execute(
            "SELECT name FROM calendar_days WHERE day = ?", [entry["day"]]
        ).fetchone()
        if taken:
            shown = date.fromisoformat(entry["day"]).strftime("%d/%m/%Y")
            raise WrongState(f"Ngày {shown} đã có trong lịch: “{taken[0]}”.", "day_taken")
        db.execute(
            "INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)",
            [entry["day"], entry["kind"], entry["name"]],
        )
        change.record(f"calendar:{entry['day']}", after=entry)
    return entry


def update_calendar_day(
    db: Database, clock: Clock, user_id: int | None, day: str, body: Any
) -> dict[str, Any]:
    """Rename a day or turn a holiday into a working day (its date stays)."""
    rules = {key: rule for key, rule in CALENDAR_RULES.items() if key != "day"}
    values = check_body(body, rules, creating=False)
    with audited_change(db, clock, user_id, "calendar.update", "calendar") as change:
        before = calendar_day(db, day)
        after = valid_calendar_day({**before, **values})
        db.execute(
            "UPDATE calendar_days SET kind = ?, name = ? WHERE day = ?",
            [after["kind"], after["name"], day],
        )
        change.record(f"calendar:{day}", before=before, after=after)
    return after


def delete_calendar_day(db: Database, clock: Clock, user_id: int | None, day: str) -> None:
    with audited_change(db, clock, user_id, "calendar.delete", "calendar") as change:
        before = calendar_day(db, day)
        db.execute("DELETE FROM calendar_days WHERE day = ?", [day])
        change.record(f"calendar:{day}", before=before)
