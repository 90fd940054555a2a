"""Who is called before whom: the routing order, waiting_ahead and the wait estimate.

Read-only functions over today's tickets. The order has three rules, applied per counter:
1. a ticket transferred to this counter goes first (oldest transfer first);
2. among the tickets of the procedures it serves, priority tickets go before normal ones,
   but after `priority_in_row` priority calls in a row a waiting normal ticket is called,
   so normal tickets are never starved (priority_in_row = 0 switches priority off);
3. otherwise the first in line first: by `line_at`, then issue order (the table's rowid).
   A walk-in or remote ticket's `line_at` is its issue time; a booked ticket's is its slot's
   start, or its check-in when that came later (BOOKING_ORDER_RULE). So a booked citizen goes
   ahead of everyone who took a number after their slot began, and behind everyone who took
   one before it.
`next_ticket_id` applies them for one counter; `waiting_ahead` counts, with the same rules,
the calls that come before a ticket in its line: exact for a line served by one counter
whose last calls were not priority, an estimate of calls (not of minutes) otherwise.
"""

from __future__ import annotations

import math
from datetime import date

from server.storage.db import Database

DEFAULT_SERVICE_SAMPLES = 3


def counters_serving(db: Database, procedure_id: str) -> list[int]:
    rows = db.execute(
        "SELECT counter_id FROM counter_procedures WHERE procedure_id = ? ORDER BY counter_id",
        [procedure_id],
    ).fetchall()
    return [row[0] for row in rows]


def competing_procedures(db: Database, procedure_id: str) -> list[str]:
    """The procedures whose tickets share at least one counter with this procedure."""
    rows = db.execute(
        """SELECT DISTINCT other.procedure_id FROM counter_procedures mine
           JOIN counter_procedures other ON other.counter_id = mine.counter_id
           WHERE mine.procedure_id = ?""",
        [procedure_id],
    ).fetchall()
    return [row[0] for row in rows] or [procedure_id]


def priority_streak(db: Database, day: date, counter_id: int, limit: int) -> int:
    """How many of this counter's latest calls today were priority tickets, in a row."""
    if limit <= 0:
        return 0
    rows = db.execute(
        """SELECT t.priority FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
           WHERE e.counter_id = ? AND e.day = ? AND e.action = 'called'
           ORDER BY e.seq DESC LIMIT ?""",
        [counter_id, day.isoformat(), limit],
    ).fetchall()
    streak = 0
    for (priority,) in rows:
        if priority is None:
            break
        streak += 1
    return streak


def transfers_today(db: Database, today: str, counter_ids: list[int]) -> bool:
    """Whether a ticket was transferred (or put back after a no-show) to one of these
    counters today.

    A waiting ticket has a counter only after a transfer or a reinstatement, each of them
    in the event log, indexed by (counter, day, action). So when this is False, the look-up of
    tickets transferred there, which no index serves (it reads the whole line: ~0.5 ms at
    1,000 waiting), is skipped.
    """
    marks = ",".join("?" * len(counter_ids))
    found = db.execute(
        f"""SELECT 1 FROM ticket_events WHERE counter_id IN ({marks}) AND day = ?
            AND action IN ('transferred', 'reinstated') LIMIT 1""",
        [*counter_ids, today],
    ).fetchone()
    return found is not None


def counter_line(
    db: Database, day: date, counter_id: int, priority_in_row: int, limit: int = 50
) -> list[str]:
    """The ids of the tickets this counter will call, in the order it will call them.

    Exact for this counter as long as no other counter takes a ticket from its line first.
    """
    today = day.isoformat()
    transferred: list[str] = []
    if transfers_today(db, today, [counter_id]):
        transferred = [
            row[0]
            for row in db.execute(
                """SELECT id FROM tickets WHERE day = ? AND status = 'waiting' AND counter_id = ?
                   ORDER BY transferred_at, rowid LIMIT ?""",
                [today, counter_id, limit],
            )
        ]
    served = """day = ? AND status = 'waiting' AND counter_id IS NULL AND procedure_id IN
                (SELECT procedure_id FROM counter_procedures WHERE counter_id = ?)"""

    def oldest(condition: str) -> list[str]:
        rows = db.execute(
            f"""SELECT id FROM tickets WHERE {served} AND {condition}
                ORDER BY line_at, rowid LIMIT ?""",
            [today, counter_id, limit],
        )
        return [row[0] for row in rows]

    if priority_in_row <= 0:
        return (transferred + oldest("1"))[:limit]
    priorities, normals = oldest("priority IS NOT NULL"), oldest("priority IS NULL")
    order = list(transferred)
    streak = priority_streak(db, day, counter_id, priority_in_row)
    while len(order) < limit and (priorities or normals):
        if priorities and (streak < priority_in_row or not normals):
            order.append(priorities.pop(0))
            streak += 1
        else:
            order.append(normals.pop(0))
            streak = 0
    return order


def next_ticket_id(db: Database, day: date, counter_id: int, priority_in_row: int) -> str | None:
    """The id of the ticket this counter calls next, or None when nobody waits for it."""
    line = counter_line(db, day, counter_id, priority_in_row, limit=1)
    return line[0] if line else None


def calls_before(
    *,
    normals_before: int,
    priorities_before: int,
    normals: int,
    priorities: int,
    is_priority: bool,
    priority_in_row: int,
) -> int:
    """Calls before a ticket in one line, by the interleave rule (streak taken as zero).

    A normal ticket with k normal tickets before it waits for those k and for at most
    priority_in_row priority tickets before each of them and before itself; a priority
    ticket with j priority tickets before it lets one normal ticket through after every
    priority_in_row of them.
    """
    if priority_in_row <= 0:
        return normals_before + priorities_before
    if is_priority:
        return priorities_before + min(normals, priorities_before // priority_in_row)
    return normals_before + min(priorities, priority_in_row * (normals_before + 1))


def waiting_ahead(
    db: Database,
    day: date,
    *,
    rowid: int | None,
    line_at: str | None,
    procedure_id: str,
    priority: str | None,
    counter_id: int | None,
    transferred_at: str | None,
    priority_in_row: int,
) -> int:
    """How many calls come before a waiting ticket in its place (line_at, rowid); rowid None:
    a ticket not yet issued, which would take its place at line_at (None: the line's end)."""
    today = day.isoformat()
    if counter_id is not None:
        return db.execute(
            """SELECT count(*) FROM tickets WHERE day = ? AND status = 'waiting'
               AND counter_id = ? AND (transferred_at < ? OR (transferred_at = ? AND rowid < ?))""",
            [today, counter_id, transferred_at, transferred_at, rowid],
        ).fetchone()[0]
    counters = counters_serving(db, procedure_id)
    competing = competing_procedures(db, procedure_id)
    marks = ",".join("?" * len(competing))
    place = [line_at or "~", rowid if rowid is not None else 2**62]  # "~" sorts after any time
    normals, priorities, normals_before, priorities_before = db.execute(
        f"""SELECT
              count(*) FILTER (WHERE priority IS NULL),
              count(*) FILTER (WHERE priority IS NOT NULL),
              count(*) FILTER (WHERE priority IS NULL AND (line_at, rowid) < (?, ?)),
              count(*) FILTER (WHERE priority IS NOT NULL AND (line_at, rowid) < (?, ?))
            FROM tickets WHERE day = ? AND status = 'waiting' AND counter_id IS NULL
            AND procedure_id IN ({marks})""",
        [*place, *place, today, *competing],
    ).fetchone()
    transferred = 0
    if counters and transfers_today(db, today, counters):
        transferred = db.execute(
            f"""SELECT count(*) FROM tickets WHERE day = ? AND status = 'waiting'
                AND counter_id IN ({",".join("?" * len(counters))})""",
            [today, *counters],
        ).fetchone()[0]
    return transferred + calls_before(
        normals_before=normals_before,
        priorities_before=priorities_before,
        normals=normals,
        priorities=priorities,
        is_priority=priority is not None,
        priority_in_row=priority_in_row,
    )


def average_service_seconds(db: Database, day: date, procedure_id: str | None) -> float | None:
    """Today's mean time from call to finish (for one procedure, or all), None if too few."""
    condition = "AND procedure_id = ?" if procedure_id else ""
    params: list[object] = [day.isoformat()]
    if procedure_id:
        params.append(procedure_id)
    count, average = db.execute(
        f"""SELECT count(*), avg((julianday(finished_at) - julianday(called_at)) * 86400)
            FROM tickets WHERE day = ? AND status = 'finished' {condition}""",
        params,
    ).fetchone()
    return average if count >= DEFAULT_SERVICE_SAMPLES else None


def line_counter_states(
    db: Database, day: date, procedure_id: str, counter_id: int | None = None
) -> dict[str, int]:
    """How many of the counters serving a line are open and paused today (the line of a
    ticket transferred to a counter is that counter; a counter not opened today is closed)."""
    if counter_id is not None:
        condition, params = "c.id = ?", [counter_id]
    else:
        condition = "c.id IN (SELECT counter_id FROM counter_procedures WHERE procedure_id = ?)"
        params = [procedure_id]
    return dict(
        db.execute(
            f"""SELECT state, count(*) FROM counters c
                WHERE {condition} AND c.opened_day = ? GROUP BY state""",
            [*params, day.isoformat()],
        ).fetchall()
    )


def line_state(counter_states: dict[str, int]) -> str:
    """Whether a line is being served now: `open` when an open counter serves it, else
    `paused` when a paused one does, else `closed`."""
    return next((state for state in ("open", "paused") if counter_states.get(state)), "closed")


def estimate_wait_minutes(
    db: Database, day: date, procedure_id: str, ahead: int, open_counters: int
) -> list[int] | None:
    """[low, high] minutes until the call, or None when no open counter serves the line
    (closed or paused counters promise no time: the screens say so instead).

    mean = today's mean service time of this procedure (at least 3 finished tickets), else
    of all procedures today, else the catalog's service_minutes; open_counters = the open
    counters serving its line (line_counter_states).
    low = ⌊ahead × mean / open_counters × 0.75⌋,
    high = ⌈(ahead + 1) × mean / open_counters × 1.25⌉.
    """
    if open_counters == 0:
        return None
    mean = average_service_seconds(db, day, procedure_id) or average_service_seconds(db, day, None)
    if mean is None:
        mean = (
            60.0
            * db.execute(
                "SELECT service_minutes FROM procedures WHERE id = ?", [procedure_id]
            ).fetchone()[0]
        )
    per_call_minutes = mean / 60 / open_counters
    return [
        math.floor(ahead * per_call_minutes * 0.75),
        math.ceil((ahead + 1) * per_call_minutes * 1.25),
    ]
