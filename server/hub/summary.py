"""The province's figures: every center's totals and the province's, computed in PostgreSQL
with the center's own definitions (server/reporting/reports.py): tickets count in the period
of their day, dossiers in that of the day they were returned, apologies in that of the day
they were made; averages over the tickets themselves (the province's average wait is over
all its tickets, not an average of the centers' averages), rounded as a center rounds them.
`metrics` of the center's report turns the SQL rows into the same `totals` keys.

`center_report` is one center's whole report as the center answers GET /api/reports/summary,
from the hub's tables (its parts: server/hub/center_report.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from server.hub import center_report as parts
from server.reporting.periods import Period
from server.reporting.reports import GROUPS, group_rows, metrics, with_dossier_table
from server.vocabulary import CHANNELS, OUTCOMES, RATINGS

# A ticket's procedure at its own center (the field and online help come from it).
PROCEDURE_OF_TICKET = "hub_procedures p ON p.center_id = t.center_id AND p.id = t.procedure_id"
SECONDS = "extract(epoch FROM {end} - {start})"
TICKET_METRICS = f"""
    count(*) AS issued,
    count(*) FILTER (WHERE t.status = 'finished') AS finished,
    count(*) FILTER (WHERE t.status = 'no_show') AS no_show,
    count(*) FILTER (WHERE t.no_appointment) AS no_appointment_issued,
    count(*) FILTER (WHERE t.no_appointment AND t.status = 'finished')
        AS no_appointment_finished,
    count(*) FILTER (WHERE t.no_appointment AND t.outcome = 'resolved')
        AS no_appointment_resolved,
    count(*) FILTER (WHERE p.online_help) AS online_help,
    count(*) FILTER (WHERE t.corrected_at IS NOT NULL) AS corrected,
    avg({SECONDS.format(start="t.issued_at", end="t.called_at")})
        FILTER (WHERE t.called_at IS NOT NULL) AS average_wait_seconds,
    avg({SECONDS.format(start="t.called_at", end="t.finished_at")})
        FILTER (WHERE t.status = 'finished') AS average_service_seconds,
    {", ".join(f"count(*) FILTER (WHERE t.outcome = '{o}') AS outcome_{o}" for o in OUTCOMES)},
    {", ".join(f"count(*) FILTER (WHERE t.rating = '{r}') AS rating_{r}" for r in RATINGS)},
    {", ".join(f"count(*) FILTER (WHERE t.channel = '{c}') AS channel_{c}" for c in CHANNELS)}
"""
DOSSIER_METRICS = """
    count(*) FILTER (WHERE d.timeliness = 'early') AS dossiers_early,
    count(*) FILTER (WHERE d.timeliness = 'on_time') AS dossiers_on_time,
    count(*) FILTER (WHERE d.timeliness = 'late') AS dossiers_late
"""
APOLOGY_METRICS = """
    count(*) AS apologies,
    sum(a.days_late) AS apology_days_late
"""
# A dossier's (and an apology's) procedure, counter and officer are its ticket's.
TICKET_OF_DOSSIER = "hub_tickets t ON t.center_id = d.center_id AND t.id = d.ticket_id"
DOSSIER_OF_APOLOGY = "hub_dossiers d ON d.center_id = a.center_id AND d.code = a.dossier_code"


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL's numerics as the center's SQLite gives them: averages as floats, sums as
    integers."""
    return {
        key: (float(value) if key.startswith("average_") else int(value))
        if isinstance(value, Decimal)
        else value
        for key, value in row.items()
    }


def grouped(
    conn: Connection, key: str, period: Period, center_id: str | None = None
) -> tuple[dict[Any, dict], dict[Any, dict], dict[Any, dict]]:
    """Ticket, dossier and apology metrics keyed by `key`, an expression over tickets t and
    procedures p (a dossier's and an apology's are those of the ticket that received it),
    over every center or one."""
    where = "AND t.center_id = %(center)s" if center_id else ""
    params = {"start": period.start, "end": period.end, "center": center_id}
    dossier_where = where.replace("t.center_id", "d.center_id")
    apology_where = where.replace("t.center_id", "a.center_id")
    queries = (
        f"""SELECT {key} AS k, {TICKET_METRICS}
            FROM hub_tickets t LEFT JOIN {PROCEDURE_OF_TICKET}
            WHERE t.day BETWEEN %(start)s AND %(end)s {where} GROUP BY k""",
        f"""SELECT {key} AS k, {DOSSIER_METRICS}
            FROM hub_dossiers d LEFT JOIN {TICKET_OF_DOSSIER} LEFT JOIN {PROCEDURE_OF_TICKET}
            WHERE d.returned_day BETWEEN %(start)s AND %(end)s {dossier_where} GROUP BY k""",
        f"""SELECT {key} AS k, {APOLOGY_METRICS}
            FROM hub_apologies a LEFT JOIN {DOSSIER_OF_APOLOGY} LEFT JOIN {TICKET_OF_DOSSIER}
            LEFT JOIN {PROCEDURE_OF_TICKET}
            WHERE a.apologized_day BETWEEN %(start)s AND %(end)s {apology_where} GROUP BY k""",
    )
    results = []
    with conn.cursor(row_factory=dict_row) as cursor:
        for query in queries:
            cursor.execute(query, params)
            results.append({row["k"]: plain(row) for row in cursor.fetchall()})
    return results[0], results[1], results[2]


def province_summary(conn: Connection, period: Period) -> dict[str, Any]:
    """The province's totals and every registered center's (a center that sent nothing for
    the period has zeros), as GET /api/hub/summary answers."""
    tickets, dossiers, apologies = grouped(conn, "1", period)
    # A dossier or an apology counts for its own center (even before its ticket arrives).
    per_center = (
        grouped(conn, "t.center_id", period)[0],
        grouped_by_own_center(conn, period, "dossiers"),
        grouped_by_own_center(conn, period, "apologies"),
    )
    centers = conn.execute(
        "SELECT id, name, last_received_at FROM centers ORDER BY name, id"
    ).fetchall()
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "totals": metrics(tickets.get(1), dossiers.get(1), apologies.get(1)),
        "centers": [
            {
                "id": center_id,
                "name": name,
                "last_received_at": last.isoformat(timespec="seconds") if last else None,
                "totals": metrics(*(metric.get(center_id) for metric in per_center)),
            }
            for center_id, name, last in centers
        ],
    }


def grouped_by_own_center(conn: Connection, period: Period, what: str) -> dict[Any, dict]:
    """Dossier or apology metrics per center by the row's own center (the tickets' join
    would lose one whose ticket fact is not at the hub yet)."""
    if what == "dossiers":
        query = f"""SELECT d.center_id AS k, {DOSSIER_METRICS} FROM hub_dossiers d
                    WHERE d.returned_day BETWEEN %(start)s AND %(end)s GROUP BY k"""
    else:
        query = f"""SELECT a.center_id AS k, {APOLOGY_METRICS} FROM hub_apologies a
                    WHERE a.apologized_day BETWEEN %(start)s AND %(end)s GROUP BY k"""
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(query, {"start": period.start, "end": period.end})
        return {row["k"]: plain(row) for row in cursor.fetchall()}


def center_report(
    conn: Connection, center_id: str, period: Period, now: datetime
) -> dict[str, Any] | None:
    """One center's report as the center itself answers GET /api/reports/summary for the
    period (totals, the rows per procedure, field, counter and officer, the missing
    documents and refusal reasons, the dossier table and the indicators), with `center`
    {id, name, last_received_at}; None for a center the hub does not know. Read in one
    snapshot, so a batch arriving meanwhile shows in every figure or in none."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        center = parts.center_row(conn, center_id)
        if center is None:
            return None
        tickets, dossiers, apologies = grouped(conn, "1", period, center_id)
        counter_time = parts.counter_seconds(conn, center_id, period, now)
        report: dict[str, Any] = {
            "center": center,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "period": period.to_dict(),
            "totals": metrics(tickets.get(1), dossiers.get(1), apologies.get(1)),
        }
        for group, (key, _) in GROUPS.items():
            counted = grouped(conn, key, period, center_id)
            catalog = parts.catalog(conn, center_id, group)
            report[group] = group_rows(group, catalog, counted, counter_time)
        report.update(parts.outcome_details(conn, center_id, period))
        table = parts.dossier_table(conn, center_id, period, now.date())
    return with_dossier_table(report, table)
