"""The admin API (prefix /api/admin, admins only): the center, its calendar, fields,
procedures, counters, accounts, printers, the letterhead of its papers, and the audit log of
every change.

Thin views: each calls one domain function (server/setup/admin/, server/printing/
printer_setup.py), which checks, writes and audits the change in one transaction, with the
`setup_changed` event that every screen hears once it has committed (kiosks, consoles and
the TV apply it without a reload).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify, request, session

from server.errors import InvalidInput
from server.line import counter_states
from server.paperwork import letterhead
from server.printing import printer_setup
from server.setup import admin
from server.setup.audit import recent_changes
from server.setup.auth import session_generation, session_values
from server.sync.log import sync_state
from server.web.request import current_user, db, json_body, login_required, services

admin_api = Blueprint("admin_api", __name__, url_prefix="/api/admin")
AUDIT_LIMIT = 500


@admin_api.before_request
@login_required("admin")
def admins_only() -> None:
    """Every route below: 401 without a session, 403 for an officer."""
    return None


def actor() -> int:
    user = current_user()
    assert user is not None  # admins_only let the request in
    return user.id


def changed(value: Any = None, status: int = 200) -> Any:
    """The answer to a committed change: the record as saved, or nothing (204)."""
    if value is None:
        return "", 204
    return jsonify(value), status


@admin_api.get("/center")
def center() -> Any:
    return jsonify(admin.center.center_setup(db(), services().settings))


@admin_api.put("/center")
def update_center() -> Any:
    s = services()
    saved = admin.center.update_center(db(), s.clock, s.settings, actor(), json_body())
    return changed(saved)


@admin_api.get("/hub")
def hub() -> Any:
    """The sync with the province hub, for the admin page (read-only: set by MOTCUA_HUB_*)."""
    return jsonify(sync_state(db(), services().settings))


@admin_api.get("/paperwork")
def paperwork() -> Any:
    return jsonify(letterhead.letterhead_setup(db()))


@admin_api.put("/paperwork")
def update_paperwork() -> Any:
    saved = letterhead.update_letterhead(db(), services().clock, actor(), json_body())
    return changed(saved)


@admin_api.get("/remote")
def remote() -> Any:
    return jsonify(admin.remote.remote_setup(db(), services().settings))


@admin_api.put("/remote")
def update_remote() -> Any:
    s = services()
    return changed(admin.remote.update_remote(db(), s.clock, s.settings, actor(), json_body()))


@admin_api.get("/calendar")
def calendar() -> Any:
    return jsonify(admin.center.list_calendar_days(db()))


@admin_api.post("/calendar")
def add_calendar_day() -> Any:
    entry = admin.center.add_calendar_day(db(), services().clock, actor(), json_body())
    return changed(entry, 201)


@admin_api.put("/calendar/<day>")
def update_calendar_day(day: str) -> Any:
    entry = admin.center.update_calendar_day(db(), services().clock, actor(), day, json_body())
    return changed(entry)


@admin_api.delete("/calendar/<day>")
def delete_calendar_day(day: str) -> Any:
    admin.center.delete_calendar_day(db(), services().clock, actor(), day)
    return changed()


@admin_api.get("/fields")
def fields() -> Any:
    return jsonify(admin.catalog.list_fields(db()))


@admin_api.post("/fields")
def add_field() -> Any:
    field = admin.catalog.add_field(db(), services().clock, actor(), json_body())
    return changed(field, 201)


@admin_api.put("/fields/<field_id>")
def update_field(field_id: str) -> Any:
    field = admin.catalog.update_field(db(), services().clock, actor(), field_id, json_body())
    return changed(field)


@admin_api.delete("/fields/<field_id>")
def delete_field(field_id: str) -> Any:
    admin.catalog.delete_field(db(), services().clock, actor(), field_id)
    return changed()


@admin_api.get("/procedures")
def procedures() -> Any:
    return jsonify(admin.catalog.list_procedures(db()))


@admin_api.post("/procedures")
def add_procedure() -> Any:
    procedure = admin.catalog.add_procedure(db(), services().clock, actor(), json_body())
    return changed(procedure, 201)


@admin_api.put("/procedures/<procedure_id>")
def update_procedure(procedure_id: str) -> Any:
    s = services()
    procedure = admin.catalog.update_procedure(db(), s.clock, actor(), procedure_id, json_body())
    return changed(procedure)


@admin_api.delete("/procedures/<procedure_id>")
def delete_procedure(procedure_id: str) -> Any:
    admin.catalog.delete_procedure(db(), services().clock, actor(), procedure_id)
    return changed()


@admin_api.get("/counters")
def counters() -> Any:
    return jsonify(admin.counters.list_counters(db()))


@admin_api.post("/counters")
def add_counter() -> Any:
    counter = admin.counters.add_counter(db(), services().clock, actor(), json_body())
    return changed(counter, 201)


@admin_api.put("/counters/<int:counter_id>")
def update_counter(counter_id: int) -> Any:
    s = services()
    counter = admin.counters.update_counter(db(), s.clock, actor(), counter_id, json_body())
    return changed(counter)


@admin_api.delete("/counters/<int:counter_id>")
def delete_counter(counter_id: int) -> Any:
    admin.counters.delete_counter(db(), services().clock, actor(), counter_id)
    return changed()


@admin_api.get("/users")
def users() -> Any:
    return jsonify(admin.users.list_users(db()))


@admin_api.post("/users")
def add_user() -> Any:
    user = admin.users.add_account(db(), services().clock, actor(), json_body())
    return changed(user, 201)


@admin_api.put("/users/<int:user_id>")
def update_user(user_id: int) -> Any:
    user = admin.users.update_account(db(), services().clock, actor(), user_id, json_body())
    if not user["active"]:  # a disabled account's sessions ended: its counters close
        counter_states.leave_counters(db(), services().clock, user_id, by=actor())
    return changed(user)


@admin_api.post("/users/<int:user_id>/password")
def reset_password(user_id: int) -> Any:
    body = json_body() if request.content_length else {}
    reset = admin.users.reset_password(db(), services().clock, actor(), user_id, body)
    if user_id == actor():  # the admin who changed their own password stays logged in here
        session.update(session_values(user_id, session_generation(db(), user_id)))
    else:  # the user's sessions ended: their counters close
        counter_states.leave_counters(db(), services().clock, user_id, by=actor())
    return changed(reset)


@admin_api.get("/printers")
def printers() -> Any:
    return jsonify(printer_setup.list_printers(db(), services().settings))


@admin_api.put("/printers/<name>")
def set_printer(name: str) -> Any:
    s = services()
    printer = printer_setup.set_printer(db(), s.clock, s.settings, actor(), name, json_body())
    return changed(printer)


@admin_api.get("/audit")
def audit() -> Any:
    """The newest changes first (?limit=N, clamped into 1..AUDIT_LIMIT). A limit that is
    not a number is a malformed query (400), not silently the default."""
    text = request.args.get("limit", "100").strip()
    if not re.fullmatch(r"-?[0-9]{1,9}", text):
        message = f"Số mục (limit) phải là số nguyên, nhận '{text[:20]}'."
        raise InvalidInput(message, "invalid_limit")
    limit = min(max(int(text), 1), AUDIT_LIMIT)
    return jsonify(recent_changes(db(), limit))
