"""The parts of one center's report that the hub reads from its own tables: the catalog of
each group (the rows' ids and names in the center's order), each counter's open and paused
time, the dossier table's counts per field, the missing documents and refusal reasons.

Each is the SQL of the center's server/reporting module written over the hub's tables for
one center; the center's own functions then finish them (counter_time.seconds_per_counter,
dossier_table.assemble, reports.group_rows, indicators), so the definitions stay in one
place. server/hub/summary.py `center_report` puts the report together.

Text is ordered with the "C" collation: byte order, as the center's SQLite orders it, so an
officer list reads in the same order at the hub as at the center.

One difference the hub cannot avoid: it does not know a center's opening hours, so a counter
left open or paused when the center closes counts until midnight at the hub, where the
center stops counting when its last session ends. A counter closed at the end of the day
(the officers' habit) counts the same at both.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from server.reporting.counter_time import seconds_per_counter
from server.reporting.dossier_table import DossierTable, assemble
from server.reporting.periods import Period

# group → the SQL of its catalog at one center: (id, name) in the center's order.
CATALOGS = {
    "procedures": """SELECT id, short_name FROM hub_procedures WHERE center_id = %s
                     ORDER BY position, id COLLATE "C" """,
    "fields": """SELECT id, name FROM hub_fields WHERE center_id = %s
                 ORDER BY position, id COLLATE "C" """,
    "counters": "SELECT id, name FROM hub_counters WHERE center_id = %s ORDER BY id",
    "officers": """SELECT id, name FROM hub_officers WHERE center_id = %s
                   ORDER BY name COLLATE "C", id""",
}

# The dossier table's four counts per field at one center (server/reporting/dossier_table.py
# says what each one is and why).
RESOLVED = """
    SELECT p.field_id,
           count(*) FILTER (WHERE r.timeliness = 'early') AS resolved_early,
           count(*) FILTER (WHERE r.timeliness = 'on_time') AS resolved_on_time,
           count(*) FILTER (WHERE r.timeliness = 'late') AS resolved_late,
           count(*) FILTER (WHERE r.timeliness = 'late' OR r.rating = 'unsatisfied')
               AS late_or_unsatisfied
    FROM (
        SELECT t.procedure_id, d.timeliness, t.rating
        FROM hub_dossiers d
        JOIN hub_tickets t ON t.center_id = d.center_id AND t.id = d.ticket_id
        WHERE d.center_id = %(center)s AND d.returned_day BETWEEN %(start)s AND %(end)s
        UNION ALL
        SELECT t.procedure_id,
               CASE WHEN p.processing_days > 0 THEN 'early' ELSE 'on_time' END, t.rating
        FROM hub_tickets t
        JOIN hub_procedures p ON p.center_id = t.center_id AND p.id = t.procedure_id
        WHERE t.center_id = %(center)s AND t.day BETWEEN %(start)s AND %(end)s
          AND t.outcome = 'resolved'
    ) r
    JOIN hub_procedures p ON p.center_id = %(center)s AND p.id = r.procedure_id
    GROUP BY p.field_id
"""
IN_PERSON = """
    SELECT p.field_id, count(*) AS received_in_person
    FROM hub_tickets t
    JOIN hub_procedures p ON p.center_id = t.center_id AND p.id = t.procedure_id
    WHERE t.center_id = %(center)s AND t.day BETWEEN %(start)s AND %(end)s
      AND t.outcome IN ('resolved', 'appointment')
    GROUP BY p.field_id
"""
CARRIED_OVER = """
    SELECT p.field_id, count(*) AS carried_over
    FROM hub_dossiers d
    JOIN hub_procedures p ON p.center_id = d.center_id AND p.id = d.procedure_id
    WHERE d.center_id = %(center)s AND d.received_day < %(start)s
      AND (d.returned_at IS NULL OR d.returned_day >= %(start)s)
    GROUP BY p.field_id
"""
IN_PROGRESS = """
    SELECT p.field_id,
           count(*) FILTER (WHERE d.due_date >= %(cut)s) AS in_progress_within_time,
           count(*) FILTER (WHERE d.due_date < %(cut)s) AS in_progress_overdue
    FROM hub_dossiers d
    JOIN hub_procedures p ON p.center_id = d.center_id AND p.id = d.procedure_id
    WHERE d.center_id = %(center)s AND d.received_day <= %(end)s
      AND (d.returned_at IS NULL OR d.returned_day > %(end)s)
    GROUP BY p.field_id
"""


def center_row(conn: Connection, center_id: str) -> dict[str, Any] | None:
    """{id, name, last_received_at} of a registered center; None for an unknown id."""
    row = conn.execute(
        "SELECT id, name, last_received_at FROM centers WHERE id = %s", [center_id]
    ).fetchone()
    if row is None:
        return None
    last = row[2].isoformat(timespec="seconds") if row[2] else None
    return {"id": row[0], "name": row[1], "last_received_at": last}


def catalog(conn: Connection, center_id: str, group: str) -> list[tuple[Any, str]]:
    """The (id, name) of a group's rows at the center, in the center's order."""
    return [(row[0], row[1]) for row in conn.execute(CATALOGS[group], [center_id])]


def midnight_after(day: date, zone: tzinfo | None) -> datetime:
    """Where the hub ends a counter's day: it does not know the center's opening hours."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def counter_seconds(
    conn: Connection, center_id: str, period: Period, now: datetime
) -> dict[int, dict[str, int]]:
    """counter id → {"open_seconds", "paused_seconds"} from the center's state changes."""
    rows = conn.execute(
        """SELECT counter_id, day, at, state FROM hub_counter_changes
           WHERE center_id = %s AND day BETWEEN %s AND %s ORDER BY counter_id, day, at, id""",
        [center_id, period.start, period.end],
    ).fetchall()
    changes = [
        (counter, day.isoformat(), at.isoformat(), state) for counter, day, at, state in rows
    ]
    return seconds_per_counter(changes, midnight_after, now)


def dossier_table(conn: Connection, center_id: str, period: Period, today: date) -> DossierTable:
    """The Circular 01 table of the center's dossiers per field; `today` ends a period not
    over yet for "overdue", as at the center."""
    params = {
        "center": center_id,
        "start": period.start,
        "end": period.end,
        "cut": min(period.end, today),
    }
    counted = []
    with conn.cursor(row_factory=dict_row) as cursor:
        for query in (IN_PERSON, CARRIED_OVER, RESOLVED, IN_PROGRESS):
            cursor.execute(query, params)
            counted.append({row.pop("field_id"): row for row in cursor.fetchall()})
    return assemble(catalog(conn, center_id, "fields"), *counted)


def outcome_details(conn: Connection, center_id: str, period: Period) -> dict[str, list]:
    """The missing documents of the supplements and the reasons of the refusals, per
    procedure, most frequent first (server/reporting/outcome_details.py)."""
    params = {"center": center_id, "start": period.start, "end": period.end}
    queries = {
        "missing_documents": """
            SELECT t.procedure_id, missing.document, count(*) AS count
            FROM hub_tickets t,
                 jsonb_array_elements_text(t.missing_documents) AS missing(document)
            WHERE t.center_id = %(center)s AND t.day BETWEEN %(start)s AND %(end)s
              AND t.outcome = 'supplement'
            GROUP BY t.procedure_id, missing.document
            ORDER BY count DESC, t.procedure_id COLLATE "C", missing.document COLLATE "C"
        """,
        "refusal_reasons": """
            SELECT procedure_id, outcome_reason AS reason, count(*) AS count
            FROM hub_tickets
            WHERE center_id = %(center)s AND day BETWEEN %(start)s AND %(end)s
              AND outcome = 'refused' AND outcome_reason IS NOT NULL
            GROUP BY procedure_id, outcome_reason
            ORDER BY count DESC, procedure_id COLLATE "C", outcome_reason COLLATE "C"
        """,
    }
    details = {}
    with conn.cursor(row_factory=dict_row) as cursor:
        for key, query in queries.items():
            cursor.execute(query, params)
            details[key] = cursor.fetchall()
    return details
