"""The table of dossiers per field that Circular 01/2020/TT-VPCP asks a one-stop center for:
received (total, in person, carried over from the previous period), resolved (total, early,
on time, late) and in progress at the period's end (total, within time, overdue).

What counts as a dossier here:
- received in person: the tickets of the period (by their day) that ended with a received
  dossier, resolved on the spot or taken with an appointment;
- carried over: the appointment dossiers received before the period and not returned before
  it started;
- resolved: the appointment dossiers returned in the period (by their local day), classified
  against their due date, plus the tickets resolved on the spot in the period, counted against
  their procedure's legal time (0 working days: on time; more: early);
- in progress: the appointment dossiers received by the period's end and not returned by
  then; within time while their original due date is not before the period's end (or today,
  for a period not over yet), overdue otherwise.
So, in every row, received total = resolved total + in progress total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from server.reporting.periods import Period
from server.storage.db import Database, rows_as_dicts

COLUMNS = (
    "received_total", "received_in_person", "carried_over",
    "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
    "in_progress_total", "in_progress_within_time", "in_progress_overdue",
)  # fmt: skip

# The resolved dossiers of a period (days ?1..?2): appointment dossiers returned in it and
# tickets resolved on the spot in it, each with its timeliness and the citizen's rating.
RESOLVED = """
    SELECT t.procedure_id, d.timeliness, t.rating
    FROM dossiers d JOIN tickets t ON t.id = d.ticket_id
    WHERE substr(d.returned_at, 1, 10) BETWEEN ?1 AND ?2
    UNION ALL
    SELECT t.procedure_id,
           CASE WHEN p.processing_days > 0 THEN 'early' ELSE 'on_time' END, t.rating
    FROM tickets t JOIN procedures p ON p.id = t.procedure_id
    WHERE t.day BETWEEN ?1 AND ?2 AND t.outcome = 'resolved'
"""


@dataclass(frozen=True)
class DossierTable:
    """One row per field (catalog order, every field) with COLUMNS, their totals, and among
    the resolved dossiers those late or rated "không hài lòng" (each once), which Decision
    766/QĐ-TTg's satisfaction rate subtracts."""

    rows: list[dict[str, Any]]
    totals: dict[str, int]
    resolved_late_or_unsatisfied: int


def by_field(db: Database, query: str, parameters: list[str]) -> dict[str, dict[str, Any]]:
    return {row["field_id"]: row for row in rows_as_dicts(db, query, parameters)}


def dossier_table(db: Database, period: Period, today: date) -> DossierTable:
    """The table for `period`; `today` ends a period not over yet for "overdue"."""
    start, end = period.start.isoformat(), period.end.isoformat()
    cut = min(period.end, today).isoformat()
    resolved = by_field(
        db,
        f"""SELECT p.field_id,
                   count(*) FILTER (WHERE r.timeliness = 'early') AS resolved_early,
                   count(*) FILTER (WHERE r.timeliness = 'on_time') AS resolved_on_time,
                   count(*) FILTER (WHERE r.timeliness = 'late') AS resolved_late,
                   count(*) FILTER (WHERE r.timeliness = 'late' OR r.rating = 'unsatisfied')
                       AS late_or_unsatisfied
            FROM ({RESOLVED}) r JOIN procedures p ON p.id = r.procedure_id
            GROUP BY p.field_id""",
        [start, end],
    )
    in_person = by_field(
        db,
        """SELECT p.field_id, count(*) AS received_in_person
           FROM tickets t JOIN procedures p ON p.id = t.procedure_id
           WHERE t.day BETWEEN ? AND ? AND t.outcome IN ('resolved', 'appointment')
           GROUP BY p.field_id""",
        [start, end],
    )
    carried = by_field(
        db,
        """SELECT p.field_id, count(*) AS carried_over
           FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
           WHERE substr(d.received_at, 1, 10) < ?1
             AND (d.returned_at IS NULL OR substr(d.returned_at, 1, 10) >= ?1)
           GROUP BY p.field_id""",
        [start],
    )
    in_progress = by_field(
        db,
        """SELECT p.field_id,
                  count(*) FILTER (WHERE d.due_date >= ?2) AS in_progress_within_time,
                  count(*) FILTER (WHERE d.due_date < ?2) AS in_progress_overdue
           FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
           WHERE substr(d.received_at, 1, 10) <= ?1
             AND (d.returned_at IS NULL OR substr(d.returned_at, 1, 10) > ?1)
           GROUP BY p.field_id""",
        [end, cut],
    )
    fields = db.execute("SELECT id, name FROM fields ORDER BY position").fetchall()
    return assemble(fields, in_person, carried, resolved, in_progress)


def assemble(fields: list[tuple[str, str]], *counted: dict[str, dict[str, Any]]) -> DossierTable:
    """The table from its counts per field id (received in person, carried over, resolved,
    in progress: each field id → some of COLUMNS, and `late_or_unsatisfied` among the
    resolved), one row per field in the order given. The province hub fills it from its own
    tables (server/hub/center_report.py)."""
    in_person, carried, resolved, in_progress = counted
    rows = []
    for field_id, name in fields:
        counts = {
            **{column: 0 for column in COLUMNS},
            **in_person.get(field_id, {}),
            **carried.get(field_id, {}),
            **resolved.get(field_id, {}),
            **in_progress.get(field_id, {}),
        }
        counts["received_total"] = counts["carried_over"] + counts["received_in_person"]
        counts["resolved_total"] = sum(
            counts[c] for c in ("resolved_early", "resolved_on_time", "resolved_late")
        )
        counts["in_progress_total"] = (
            counts["in_progress_within_time"] + counts["in_progress_overdue"]
        )
        rows.append({"id": field_id, "name": name, **{c: counts[c] for c in COLUMNS}})
    totals = {column: sum(row[column] for row in rows) for column in COLUMNS}
    faulted = sum(row.get("late_or_unsatisfied", 0) for row in resolved.values())
    return DossierTable(rows, totals, faulted)
