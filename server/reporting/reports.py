"""Period reports for the leader: totals and rows per procedure, field, counter and officer
(their CSV and XLSX files: spreadsheets.py).

Read-only, computed from tickets and dossiers. Tickets count in the period of the local
day they were issued; dossiers count in the period of the day their result was returned
(the month a dossier was finished is the month it is evaluated in), apologies in that of the
day they were made, attributed to the procedure, field, counter and officer that received
the dossier. The province's indicators and the dossier table of Circular 01/2020/TT-VPCP
come from indicators.py and dossier_table.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.reporting.counter_time import counter_seconds
from server.reporting.dossier_table import DossierTable, dossier_table
from server.reporting.indicators import indicators
from server.reporting.outcome_details import missing_documents, refusal_reasons
from server.reporting.periods import Period
from server.setup.workdays import CenterCalendar
from server.storage.db import Database, rows_as_dicts
from server.vocabulary import CHANNELS, OUTCOMES, RATINGS

# Seconds between two stored times: unixepoch() keeps them whole (julianday would not).
SECONDS = "(unixepoch({end}) - unixepoch({start}))"
TICKET_METRICS = f"""
    count(*) AS issued,
    count(*) FILTER (WHERE t.status = 'finished') AS finished,
    count(*) FILTER (WHERE t.status = 'no_show') AS no_show,
    count(*) FILTER (WHERE t.no_appointment = 1) AS no_appointment_issued,
    count(*) FILTER (WHERE t.no_appointment = 1 AND t.status = 'finished')
        AS no_appointment_finished,
    count(*) FILTER (WHERE t.no_appointment = 1 AND t.outcome = 'resolved')
        AS no_appointment_resolved,
    count(*) FILTER (WHERE p.online_help = 1) AS online_help,
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
# group → (the grouping expression over tickets t and procedures p, its rows' ids and names)
GROUPS = {
    "procedures": ("t.procedure_id", "SELECT id, short_name FROM procedures ORDER BY position"),
    "fields": ("p.field_id", "SELECT id, name FROM fields ORDER BY position"),
    "counters": ("t.counter_id", "SELECT id, name FROM counters ORDER BY id"),
    "officers": (
        "t.officer_id",
        "SELECT id, COALESCE(full_name, username) AS name FROM users ORDER BY name, id",
    ),
}
ALL_ROWS = {"procedures", "fields"}  # listed even without tickets; the others only when active


# Shares of a row (the totals or a group's), for the evaluation and the ranking.
def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def dossiers_returned(row: dict[str, Any]) -> int:
    return row["dossiers_early"] + row["dossiers_on_time"] + row["dossiers_late"]


def on_time_share(row: dict[str, Any]) -> float | None:
    """(early + on time) / returned: the on-time rate of Quyết định 766."""
    return share(row["dossiers_early"] + row["dossiers_on_time"], dossiers_returned(row))


def ratings_given(row: dict[str, Any]) -> int:
    return sum(row["ratings"].values())


def satisfaction_share(row: dict[str, Any]) -> float | None:
    """(very satisfied + satisfied) / ratings."""
    ratings = row["ratings"]
    return share(ratings["very_satisfied"] + ratings["satisfied"], ratings_given(row))


def metrics(
    ticket_row: dict[str, Any] | None,
    dossier_row: dict[str, Any] | None,
    apology_row: dict[str, Any] | None = None,
) -> dict[str, Any]:
    tickets = ticket_row or {}
    dossiers = dossier_row or {}
    apologies = apology_row or {}
    finished = tickets.get("no_appointment_finished") or 0
    resolved = tickets.get("no_appointment_resolved") or 0

    def rounded(key: str) -> int | None:
        value = tickets.get(key)
        return round(value) if value is not None else None

    return {
        "issued": tickets.get("issued", 0),
        "finished": tickets.get("finished", 0),
        "resolved": tickets.get("outcome_resolved", 0),
        "no_show": tickets.get("no_show", 0),
        "no_appointment_issued": tickets.get("no_appointment_issued", 0),
        "no_appointment_finished": finished,
        "no_appointment_resolved": resolved,
        "no_appointment_rate": round(resolved / finished, 4) if finished else None,
        "dossiers_early": dossiers.get("dossiers_early", 0),
        "dossiers_on_time": dossiers.get("dossiers_on_time", 0),
        "dossiers_late": dossiers.get("dossiers_late", 0),
        "apologies": apologies.get("apologies", 0),
        "apology_days_late": apologies.get("apology_days_late") or 0,
        "average_wait_seconds": rounded("average_wait_seconds"),
        "average_service_seconds": rounded("average_service_seconds"),
        "ratings": {rating: tickets.get(f"rating_{rating}", 0) for rating in RATINGS},
        "outcomes": {outcome: tickets.get(f"outcome_{outcome}", 0) for outcome in OUTCOMES},
        "online_help": tickets.get("online_help", 0),
        "corrected": tickets.get("corrected", 0),
        "channels": {channel: tickets.get(f"channel_{channel}", 0) for channel in CHANNELS},
    }


def grouped(db: Database, key: str, period: Period) -> tuple[dict, dict, dict]:
    """Ticket, dossier and apology metrics keyed by a grouping expression over tickets t,
    procedures p (a dossier's and an apology's are those of the ticket that received it)."""
    days = [period.start.isoformat(), period.end.isoformat()]
    tickets = rows_as_dicts(
        db,
        f"""SELECT {key} AS k, {TICKET_METRICS}
            FROM tickets t JOIN procedures p ON p.id = t.procedure_id
            WHERE t.day BETWEEN ? AND ? GROUP BY k""",
        days,
    )
    dossiers = rows_as_dicts(
        db,
        f"""SELECT {key} AS k, {DOSSIER_METRICS}
            FROM dossiers d JOIN tickets t ON t.id = d.ticket_id
            JOIN procedures p ON p.id = t.procedure_id
            WHERE substr(d.returned_at, 1, 10) BETWEEN ? AND ? GROUP BY k""",
        days,
    )
    apologies = rows_as_dicts(
        db,
        f"""SELECT {key} AS k, {APOLOGY_METRICS}
            FROM dossier_apologies a JOIN dossiers d ON d.code = a.dossier_code
            JOIN tickets t ON t.id = d.ticket_id
            JOIN procedures p ON p.id = t.procedure_id
            WHERE substr(a.apologized_at, 1, 10) BETWEEN ? AND ? GROUP BY k""",
        days,
    )
    return tuple({row["k"]: row for row in rows} for rows in (tickets, dossiers, apologies))


def summary(
    db: Database, period: Period, calendar: CenterCalendar, now: datetime
) -> dict[str, Any]:
    """The contract's report: totals and one row per procedure, field, counter and officer;
    each counter's open and paused time; the documents missing at supplements and the
    reasons of refusals; the province's indicators and the dossier table per field.
    `calendar` ends each day's counter time, `now` today's (and a period not over yet)."""
    tickets, dossiers, apologies = grouped(db, "1", period)
    counter_time = counter_seconds(db, period, calendar, now)
    report: dict[str, Any] = {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "period": period.to_dict(),
        "totals": metrics(tickets.get(1), dossiers.get(1), apologies.get(1)),
    }
    for group, (key, catalog_query) in GROUPS.items():
        catalog = db.execute(catalog_query).fetchall()
        report[group] = group_rows(group, catalog, grouped(db, key, period), counter_time)
    report["missing_documents"] = missing_documents(db, period)
    report["refusal_reasons"] = refusal_reasons(db, period)
    return with_dossier_table(report, dossier_table(db, period, now.date()))


def group_rows(
    group: str,
    catalog: list[tuple[Any, str]],
    counted: tuple[dict, dict, dict],
    counter_time: dict[int, dict[str, int]],
) -> list[dict[str, Any]]:
    """A group's rows in its catalog's order ((id, name) pairs): every procedure and field,
    the counters and officers only when active (a counter's open time counts as active),
    from its ticket, dossier and apology metrics keyed by id. The province hub builds a
    center's rows with it from its own tables (server/hub/summary.py)."""
    tickets, dossiers, apologies = counted
    rows = []
    for row_id, name in catalog:
        timed = group == "counters" and row_id in counter_time
        counted_here = row_id in tickets or row_id in dossiers or row_id in apologies
        if counted_here or group in ALL_ROWS or timed:
            row = {
                "id": row_id,
                "name": name,
                **metrics(tickets.get(row_id), dossiers.get(row_id), apologies.get(row_id)),
            }
            if group == "counters":
                row.update(counter_time.get(row_id, {"open_seconds": 0, "paused_seconds": 0}))
            rows.append(row)
    return rows


def with_dossier_table(report: dict[str, Any], table: DossierTable) -> dict[str, Any]:
    """The report with its dossier table, its totals and the indicators drawn from both."""
    report["indicators"] = indicators(report["totals"], table)
    report["dossier_table"] = table.rows
    report["dossier_table_totals"] = table.totals
    return report
