"""The line as anyone outside the center may see it: per field, the numbers being served, how
many wait and how long a new ticket would wait; today's hours and no-appointment session.

It is what the public queue page (`/hang-cho`) and the commune portal's embedded view show a
citizen deciding whether to come now. Like the lobby's stats it names tickets only by their
number: no id, key, dossier, priority or officer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.clock import Clock
from server.line.catalog_queries import list_procedures
from server.line.tickets import format_number
from server.settings import Settings
from server.setup.center import center_info
from server.setup.workdays import load_calendar
from server.storage.db import Database

LINE_STATES = ("open", "paused", "closed")  # best first: a field is served if one line is


def public_queue(db: Database, clock: Clock, settings: Settings) -> dict[str, Any]:
    """Today's line per field (catalog order), with its procedures as the kiosk lists them
    (names, checklists, legal time, fee, and each one's own waiting and estimate)."""
    center = center_info(db, clock, settings)
    today = center["date"]
    serving: dict[str, list[str]] = {}
    for field_id, letter, number in db.execute(
        """SELECT p.field_id, t.letter, t.number FROM tickets t
           JOIN procedures p ON p.id = t.procedure_id
           WHERE t.day = ? AND t.status = 'called' ORDER BY t.called_at""",
        [today],
    ).fetchall():
        serving.setdefault(field_id, []).append(format_number(letter, number))
    # The bare columns of a max() aggregate come from the row holding the maximum (SQLite).
    last_called = {
        field_id: format_number(letter, number)
        for field_id, letter, number, _ in db.execute(
            """SELECT p.field_id, t.letter, t.number, max(t.called_at) FROM tickets t
               JOIN procedures p ON p.id = t.procedure_id
               WHERE t.day = ? AND t.called_at IS NOT NULL GROUP BY p.field_id""",
            [today],
        ).fetchall()
    }
    procedures: dict[str, list[dict[str, Any]]] = {}
    for procedure in list_procedures(db, clock, settings):
        procedures.setdefault(procedure["field"], []).append(procedure)
    fields = []
    for field_id, name, letter in db.execute(
        "SELECT id, name, letter FROM fields ORDER BY position"
    ).fetchall():
        lines = procedures.get(field_id, [])
        if not lines:
            continue  # a field whose procedures were all stopped takes no tickets
        fields.append(
            {
                "id": field_id,
                "name": name,
                "letter": letter,
                "serving": serving.get(field_id, []),
                "last_called": last_called.get(field_id),
                "waiting": sum(line["waiting"] for line in lines),
                "line_state": field_state(lines),
                "estimated_wait_minutes": field_estimate(lines),
                "procedures": lines,
            }
        )
    return {
        "date": today,
        "now": center["now"],
        "center": {
            key: center[key]
            for key in (
                "name",
                "weekday",
                "open_now",
                "holiday",
                "no_appointment_day",
                "no_appointment_until",
                "no_appointment_open",
            )
        },
        # none on a holiday or a closed day; a swapped working day has a Monday's
        "hours_today": load_calendar(db, settings).sessions(date.fromisoformat(today)),
        "fields": fields,
    }


def live_figures(queue: dict[str, Any]) -> dict[str, Any]:
    """What changes during the day, for a page to refresh: the queue without the catalog's
    names and checklists, and without the time of the answer, so that an unchanged line is
    an unchanged answer (a phone polls this: a few kilobytes, or a 304)."""
    kept = ("id", "waiting", "line_state", "estimated_wait_minutes")
    return {
        **{key: value for key, value in queue.items() if key != "now"},
        "fields": [
            {
                **{key: value for key, value in field.items() if key != "procedures"},
                "procedures": [{key: p[key] for key in kept} for p in field["procedures"]],
            }
            for field in queue["fields"]
        ],
    }


def field_state(lines: list[dict[str, Any]]) -> str:
    """`open` when an open counter serves one of the field's procedures, else `paused` when a
    paused one does, else `closed`."""
    states = {line["line_state"] for line in lines}
    return next(state for state in LINE_STATES if state in states or state == "closed")


def field_estimate(lines: list[dict[str, Any]]) -> list[int] | None:
    """The wait a new ticket of the field would have: from the shortest of its procedures'
    low estimates to the longest high one; None when no open counter serves it."""
    estimates = [line["estimated_wait_minutes"] for line in lines if line["estimated_wait_minutes"]]
    if not estimates:
        return None
    return [min(low for low, _ in estimates), max(high for _, high in estimates)]
