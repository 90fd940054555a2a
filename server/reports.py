"""Period reports for the leader: totals and rows per procedure, counter and officer.

Read-only, computed from tickets and dossiers. Tickets count in the period of the local
day they were issued; dossiers count in the period of the day their result was returned
(the month a dossier was finished is the month it is evaluated in), attributed to the
procedure, counter and officer that received it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlite_utils import Database

from server.db import rows_as_dicts
from server.errors import InvalidInput

MAX_DAYS = 400
RATINGS = ("very_satisfied", "satisfied", "unsatisfied")
TICKET_METRICS = """
    count(*) AS issued,
    count(*) FILTER (WHERE t.status = 'finished') AS finished,
    count(*) FILTER (WHERE t.outcome = 'resolved') AS resolved,
    count(*) FILTER (WHERE t.status = 'no_show') AS no_show,
    count(*) FILTER (WHERE t.no_appointment = 1) AS no_appointment_issued,
    count(*) FILTER (WHERE t.no_appointment = 1 AND t.status = 'finished')
        AS no_appointment_finished,
    count(*) FILTER (WHERE t.no_appointment = 1 AND t.outcome = 'resolved')
        AS no_appointment_resolved,
    avg((julianday(t.called_at) - julianday(t.issued_at)) * 86400)
        FILTER (WHERE t.called_at IS NOT NULL) AS average_wait_seconds,
    avg((julianday(t.finished_at) - julianday(t.called_at)) * 86400)
        FILTER (WHERE t.status = 'finished') AS average_service_seconds,
    count(*) FILTER (WHERE t.rating = 'very_satisfied') AS very_satisfied,
    count(*) FILTER (WHERE t.rating = 'satisfied') AS satisfied,
    count(*) FILTER (WHERE t.rating = 'unsatisfied') AS unsatisfied
"""
DOSSIER_METRICS = """
    count(*) FILTER (WHERE d.timeliness = 'early') AS dossiers_early,
    count(*) FILTER (WHERE d.timeliness = 'on_time') AS dossiers_on_time,
    count(*) FILTER (WHERE d.timeliness = 'late') AS dossiers_late
"""
GROUPS = {
    "procedures": ("t.procedure_id", "SELECT id, short_name FROM procedures ORDER BY position"),
    "counters": ("t.counter_id", "SELECT id, name FROM counters ORDER BY id"),
    "officers": ("t.officer_id", "SELECT id, username FROM users ORDER BY username"),
}
COLUMNS = (
    "issued", "finished", "resolved", "no_show", "no_appointment_issued",
    "no_appointment_resolved", "no_appointment_rate", "dossiers_early", "dossiers_on_time",
    "dossiers_late", "average_wait_seconds", "average_service_seconds",
)  # fmt: skip


def parse_period(date_from: str | None, date_to: str | None) -> tuple[date, date]:
    """Both ends required, YYYY-MM-DD, in order, at most MAX_DAYS apart."""
    try:
        start = date.fromisoformat(date_from or "")
        end = date.fromisoformat(date_to or "")
    except ValueError as error:
        raise InvalidInput(
            "Cần khoảng thời gian from và to dạng YYYY-MM-DD.", "invalid_period"
        ) from error
    if end < start:
        raise InvalidInput("Ngày kết thúc (to) phải sau ngày bắt đầu (from).", "invalid_period")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Khoảng thời gian tối đa {MAX_DAYS} ngày.", "invalid_period")
    return start, end


def metrics(
    ticket_row: dict[str, Any] | None, dossier_row: dict[str, Any] | None
) -> dict[str, Any]:
    tickets = ticket_row or {}
    dossiers = dossier_row or {}
    finished = tickets.get("no_appointment_finished") or 0
    resolved = tickets.get("no_appointment_resolved") or 0

    def rounded(key: str) -> int | None:
        value = tickets.get(key)
        return round(value) if value is not None else None

    return {
        "issued": tickets.get("issued", 0),
        "finished": tickets.get("finished", 0),
        "resolved": tickets.get("resolved", 0),
        "no_show": tickets.get("no_show", 0),
        "no_appointment_issued": tickets.get("no_appointment_issued", 0),
        "no_appointment_resolved": resolved,
        "no_appointment_rate": round(resolved / finished, 4) if finished else None,
        "dossiers_early": dossiers.get("dossiers_early", 0),
        "dossiers_on_time": dossiers.get("dossiers_on_time", 0),
        "dossiers_late": dossiers.get("dossiers_late", 0),
        "average_wait_seconds": rounded("average_wait_seconds"),
        "average_service_seconds": rounded("average_service_seconds"),
        "ratings": {rating: tickets.get(rating, 0) for rating in RATINGS},
    }


def grouped(db: Database, key: str, start: date, end: date) -> tuple[dict, dict]:
    """Ticket and dossier metrics keyed by a grouping expression over tickets t."""
    period = [start.isoformat(), end.isoformat()]
    tickets = rows_as_dicts(
        db,
        f"""SELECT {key} AS k, {TICKET_METRICS} FROM tickets t
            WHERE t.day BETWEEN ? AND ? GROUP BY k""",
        period,
    )
    dossiers = rows_as_dicts(
        db,
        f"""SELECT {key} AS k, {DOSSIER_METRICS}
            FROM dossiers d JOIN tickets t ON t.id = d.ticket_id
            WHERE substr(d.returned_at, 1, 10) BETWEEN ? AND ? GROUP BY k""",
        period,
    )
    return {row["k"]: row for row in tickets}, {row["k"]: row for row in dossiers}


def summary(db: Database, start: date, end: date) -> dict[str, Any]:
    """The contract's report: totals and one row per procedure, counter and officer."""
    tickets, dossiers = grouped(db, "1", start, end)
    report: dict[str, Any] = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "totals": metrics(tickets.get(1), dossiers.get(1)),
    }
    for group, (key, catalog_query) in GROUPS.items():
        tickets, dossiers = grouped(db, key, start, end)
        rows = []
        for row_id, name in db.execute(catalog_query).fetchall():
            if row_id in tickets or row_id in dossiers or group == "procedures":
                rows.append(
                    {
                        "id": row_id,
                        "name": name,
                        **metrics(tickets.get(row_id), dossiers.get(row_id)),
                    }
                )
        report[group] = rows
    return report


def flat_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as one table: a header, then totals and every row with its group."""
    header = ["nhóm", "id", "tên", *COLUMNS, *(f"ratings_{r}" for r in RATINGS)]
    rows = [header]
    entries = [("totals", {"id": "", "name": "Tổng cộng", **report["totals"]})]
    entries += [(group, row) for group in GROUPS for row in report[group]]
    for group, row in entries:
        rows.append(
            [group, row["id"], row["name"], *(row[c] for c in COLUMNS)]
            + [row["ratings"][r] for r in RATINGS]
        )
    return rows


def to_csv(report: dict[str, Any]) -> str:
    """UTF-8 CSV with a BOM, so Excel on a Vietnamese Windows shows the diacritics."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(flat_rows(report))
    return "\ufeff" + buffer.getvalue()


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per group (Tổng hợp, Thủ tục, Quầy, Cán bộ), same columns as the CSV."""
    from openpyxl import Workbook

    workbook = Workbook()
    titles = {
        "totals": "Tổng hợp",
        "procedures": "Thủ tục",
        "counters": "Quầy",
        "officers": "Cán bộ",
    }
    table = flat_rows(report)
    header = table[0][1:]
    first = True
    for group, title in titles.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet.append([f"Báo cáo từ {report['from']} đến {report['to']}"])
        sheet.append(header)
        for row in table[1:]:
            if row[0] == group:
                sheet.append(row[1:])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
