"""The due-date watch: appointment dossiers overdue, due today and due on the next working day.

The one figure a province ranks a commune on is the share of dossiers returned on time, and
it is counted only after the fact; this watch warns the officers (the console's badge and
list) and the leader (the evaluation page) while something can still be done: return the
result, or apologize in writing with a new date (server/line/apologies.py).

A dossier is watched against the date last promised to the citizen: its due date, or the new
date of its latest apology. Its timeliness on return stays against the original due date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.clock import Clock
from server.line.dossiers import working_days_between
from server.line.tickets import format_number
from server.settings import Settings
from server.setup.workdays import load_calendar
from server.storage.db import Database, rows_as_dicts

# SQL over a dossier `d`: the date last promised (the latest apology's, else the due date)
# and how many apologies it has had.
PROMISED_DATE = """COALESCE(
    (SELECT a.new_due_date FROM dossier_apologies a
     WHERE a.dossier_code = d.code ORDER BY a.id DESC LIMIT 1),
    d.due_date)"""
APOLOGY_COUNT = "(SELECT count(*) FROM dossier_apologies a WHERE a.dossier_code = d.code)"


def due_watch(
    db: Database, clock: Clock, settings: Settings, officer_id: int | None = None
) -> dict[str, Any]:
    """`{date, next_working_day, overdue, due_today, due_next}` for today (the center's local
    day). Each group lists the dossiers not returned whose promised date is before today,
    today, or after today up to the next working day by the center's calendar (Friday →
    Monday, holidays skipped), in promised-date order; those `officer_id` received come first
    (`mine`), so an officer sees their own citizens' dossiers at the top. `days_overdue`
    counts the working days after the promised date up to and including today (0 unless
    overdue); `calendar_days_overdue` every day."""
    today = clock.now().date()
    calendar = load_calendar(db, settings)
    next_day = calendar.next_working_day(today)
    rows = rows_as_dicts(
        db,
        f"""WITH watched AS (
                SELECT d.code, d.ticket_id, d.procedure_id, d.received_at, d.due_date,
                       {PROMISED_DATE} AS promised_date, {APOLOGY_COUNT} AS apologies
                FROM dossiers d WHERE d.returned_at IS NULL
            )
            SELECT w.*, t.letter, t.number, p.short_name AS procedure_name,
                   t.counter_id, c.name AS counter_name, t.officer_id,
                   COALESCE(u.full_name, u.username) AS officer_name
            FROM watched w
            JOIN tickets t ON t.id = w.ticket_id
            JOIN procedures p ON p.id = w.procedure_id
            LEFT JOIN counters c ON c.id = t.counter_id
            LEFT JOIN users u ON u.id = t.officer_id
            WHERE w.promised_date <= ?
            ORDER BY w.promised_date, w.received_at, w.code""",
        [next_day.isoformat()],
    )
    groups: dict[str, list[dict[str, Any]]] = {"overdue": [], "due_today": [], "due_next": []}
    for row in rows:
        promised = date.fromisoformat(row["promised_date"])
        late = promised < today
        group = "overdue" if late else "due_today" if promised == today else "due_next"
        groups[group].append(
            {
                "code": row["code"],
                "ticket_id": row["ticket_id"],
                "number": format_number(row["letter"], row["number"]),
                "procedure_id": row["procedure_id"],
                "procedure_name": row["procedure_name"],
                "received_at": row["received_at"],
                "due_date": row["due_date"],
                "promised_date": row["promised_date"],
                "days_overdue": working_days_between(calendar, promised, today) if late else 0,
                "calendar_days_overdue": (today - promised).days if late else 0,
                "apologies": row["apologies"],
                "counter_id": row["counter_id"],
                "counter_name": row["counter_name"],
                "officer_id": row["officer_id"],
                "officer_name": row["officer_name"],
                "mine": officer_id is not None and row["officer_id"] == officer_id,
            }
        )
    for items in groups.values():
        items.sort(key=lambda item: not item["mine"])  # stable: promised-date order kept
    return {"date": today.isoformat(), "next_working_day": next_day.isoformat(), **groups}
