"""What one counter's console shows: its state, its current ticket, its line, the no-shows
it may put back, the services its officer may correct, the officer's day.

Read-only; pushed whole as `counter_state` to the counter's room after every change, and
served by GET /api/counters/ID/state.
"""

from __future__ import annotations

from typing import Any

from server.clock import Clock, iso
from server.line.calling_order import counter_line
from server.line.counter_states import load_counter
from server.line.tickets import TICKET_QUERY, ticket_fields, ticket_view
from server.settings import Settings
from server.storage.db import Database, rows_as_dicts

# The whole line of a busy morning (the console scrolls it; `waiting_count` says how many
# in all). Each console's snapshot after every change costs about 0.1 ms more per ticket
# shown (bench/console_line.py, docs/performance.md).
LINE_SHOWN = 100
RECENT_SHOWN = 10


def counter_state(
    db: Database, clock: Clock, settings: Settings, counter_id: int
) -> dict[str, Any]:
    """The counter, its current ticket, the next tickets in call order and today's tally."""
    now = clock.now()
    day = now.date()
    today = day.isoformat()
    counter = load_counter(db, counter_id)
    holder = counter.holder_on(day)
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
    if holder is not None:
        officer = db.execute("SELECT username FROM users WHERE id = ?", [holder]).fetchone()[0]
    tally = rows_as_dicts(
        db,
        """SELECT count(*) AS called,
             count(*) FILTER (WHERE status = 'finished') AS finished,
             count(*) FILTER (WHERE outcome = 'resolved') AS resolved,
             count(*) FILTER (WHERE outcome = 'appointment') AS appointment,
             count(*) FILTER (WHERE status = 'no_show') AS no_show
           FROM tickets WHERE day = ? AND officer_id = ? AND status != 'waiting'""",
        [today, holder],
    )[0]

    def tickets_where(condition: str, params: list[object], newest: str) -> list[dict[str, object]]:
        query = f"{TICKET_QUERY} WHERE t.day = ? AND {condition} ORDER BY {newest} DESC LIMIT ?"
        rows = rows_as_dicts(db, query, [today, *params, RECENT_SHOWN])
        return [ticket_fields(row, day) for row in rows]

    return {
        **counter.to_dict(day),
        "counter_id": counter_id,
        "now": iso(now),
        "officer": officer,
        "current": ticket_view(db, day, settings, current_rows[0]) if current_rows else None,
        "waiting": [
            {**ticket_fields(rows[ticket_id], day), "position": position}
            for position, ticket_id in enumerate(line)
        ],
        "waiting_count": waiting_count,
        "no_shows": tickets_where(
            "t.status = 'no_show' AND t.counter_id = ?", [counter_id], "t.called_at"
        ),
        "finished_today": (
            tickets_where("t.status = 'finished' AND t.officer_id = ?", [holder], "t.finished_at")
            if holder
            else []
        ),
        "tally": tally if officer else {key: 0 for key in tally},
    }
