"""What one counter's console shows: its current ticket, its line, the officer's day.

Read-only; pushed whole as `counter_state` to the counter's room after every change, and
served by GET /api/counters/ID/state.
"""

from __future__ import annotations

from typing import Any

from server.clock import Clock
from server.line.calling_order import counter_line
from server.line.counter_actions import counter_row
from server.line.tickets import TICKET_QUERY, ticket_fields, ticket_view
from server.settings import Settings
from server.storage.db import Database, rows_as_dicts

LINE_SHOWN = 30


def counter_state(
    db: Database, clock: Clock, settings: Settings, counter_id: int
) -> dict[str, Any]:
    """The counter, its current ticket, the next tickets in call order and today's tally."""
    day = clock.now().date()
    today = day.isoformat()
    counter = counter_row(db, counter_id)
    current_rows = rows_as_dicts(
        db,
        TICKET_QUERY + " WHERE t.day = ? AND t.status = 'called' AND t.counter_id = ?",
        [today, counter_id],
    )
    line = counter_line(db, day, counter_id, settings.priority_in_row, limit=LINE_SHOWN)
    rows = {}
    if line:
        marks = ",".join("?" * len(line))
        rows = {
            r["id"]: r for r in rows_as_dicts(db, TICKET_QUERY + f" WHERE t.id IN ({marks})", line)
        }
    waiting_count = db.execute(
        """SELECT count(*) FROM tickets WHERE day = ? AND status = 'waiting' AND (counter_id = ?
           OR (counter_id IS NULL AND procedure_id IN
               (SELECT procedure_id FROM counter_procedures WHERE counter_id = ?)))""",
        [today, counter_id, counter_id],
    ).fetchone()[0]
    officer = None
    if counter["officer_id"] is not None and counter["opened_day"] == today:
        officer = db.execute(
            "SELECT username FROM users WHERE id = ?", [counter["officer_id"]]
        ).fetchone()[0]
    tally = rows_as_dicts(
        db,
        """SELECT count(*) AS called,
             count(*) FILTER (WHERE status = 'finished') AS finished,
             count(*) FILTER (WHERE outcome = 'resolved') AS resolved,
             count(*) FILTER (WHERE outcome = 'appointment') AS appointment,
             count(*) FILTER (WHERE status = 'no_show') AS no_show
           FROM tickets WHERE day = ? AND officer_id = ? AND status != 'waiting'""",
        [today, counter["officer_id"]],
    )[0]
    return {
        "counter_id": counter_id,
        "name": counter["name"],
        "open": counter["opened_day"] == today,
        "officer": officer,
        "current": ticket_view(db, day, settings, current_rows[0]) if current_rows else None,
        "waiting": [
            {**ticket_fields(rows[ticket_id], day), "position": position}
            for position, ticket_id in enumerate(line)
        ],
        "waiting_count": waiting_count,
        "tally": tally if officer else {key: 0 for key in tally},
    }
