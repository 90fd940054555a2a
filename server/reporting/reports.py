"""Period reports for the leader: totals and rows per procedure, field, counter and officer.

Read-only, computed from tickets and dossiers. Tickets count in the period of the local
day they were issued; dossiers count in the period of the day their result was returned
(the month a dossier was finished is the month it is evaluated in), apologies in that of the
day they were made, attributed to the procedure, field, counter and officer that received
the dossier. The province's indicators and the dossier table of Circular 01/2020/TT-VPCP
come from indicators.py and dossier_table.py.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from server.locale import format_day
from server.reporting.counter_time import counter_seconds
from server.reporting.dossier_table import dossier_table
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
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ALL_ROWS = {"procedures", "fields"}  # listed even without tickets; the others only when active
COLUMNS = (
    "issued", "finished", "resolved", "no_show", "no_appointment_issued",
    "no_appointment_resolved", "no_appointment_rate", "dossiers_early", "dossiers_on_time",
    "dossiers_late", "average_wait_seconds", "average_service_seconds",
)  # fmt: skip
# after the ratings, in files; a counter's time only on its rows
LATER_COLUMNS = (
    "no_appointment_finished", "online_help", "corrected", "apologies", "apology_days_late",
)  # fmt: skip
COUNTER_COLUMNS = ("open_seconds", "paused_seconds")
SHEETS = {
    "totals": "Tổng hợp",
    "procedures": "Thủ tục",
    "fields": "Lĩnh vực",
    "counters": "Quầy",
    "officers": "Cán bộ",
}
MEANINGS = {
    "id": "Mã của thủ tục, lĩnh vực, quầy hoặc cán bộ",
    "tên": "Tên thủ tục, lĩnh vực, quầy; họ tên cán bộ (chưa có thì tên đăng nhập)",
    "issued": "Số phiếu đã cấp trong kỳ (theo ngày lấy số)",
    "finished": "Số phiếu đã phục vụ xong",
    "resolved": "Số phiếu giải quyết ngay tại chỗ",
    "no_show": "Số phiếu đã gọi nhưng công dân vắng mặt",
    "no_appointment_issued": "Số phiếu không hẹn (mô hình Ngày Thứ năm không hẹn)",
    "no_appointment_resolved": "Số phiếu không hẹn được giải quyết ngay",
    "no_appointment_rate": "Tỷ lệ giải quyết ngay trong số phiếu không hẹn đã phục vụ xong",
    "dossiers_early": "Hồ sơ hẹn trả đã trả kết quả trong kỳ: trước hạn",
    "dossiers_on_time": "Hồ sơ hẹn trả đã trả kết quả trong kỳ: đúng hạn",
    "dossiers_late": "Hồ sơ hẹn trả đã trả kết quả trong kỳ: quá hạn",
    "average_wait_seconds": "Thời gian chờ trung bình từ lấy số đến khi được gọi (giây)",
    "average_service_seconds": "Thời gian phục vụ trung bình tại quầy (giây)",
    "ratings_very_satisfied": "Số lượt đánh giá rất hài lòng",
    "ratings_satisfied": "Số lượt đánh giá hài lòng",
    "ratings_unsatisfied": "Số lượt đánh giá không hài lòng",
    "no_appointment_finished": "Số phiếu không hẹn đã phục vụ xong",
    "online_help": "Số phiếu hỗ trợ nộp hồ sơ trực tuyến",
    "outcomes_resolved": "Số phiếu kết thúc: giải quyết ngay",
    "outcomes_appointment": "Số phiếu kết thúc: tiếp nhận, hẹn trả kết quả",
    "outcomes_supplement": "Số phiếu kết thúc: hướng dẫn bổ sung hồ sơ",
    "outcomes_refused": "Số phiếu kết thúc: từ chối tiếp nhận",
    "outcomes_advice": "Số phiếu kết thúc: tư vấn, hướng dẫn",
    "corrected": "Số phiếu cán bộ đã sửa kết quả sau khi kết thúc (có ghi nhật ký)",
    "apologies": "Số phiếu xin lỗi và hẹn lại ngày trả kết quả đã lập trong kỳ",
    "apology_days_late": "Tổng số ngày làm việc trễ hẹn ghi trong các phiếu xin lỗi đó",
    "open_seconds": "Thời gian quầy mở phục vụ (giây; chỉ dòng của quầy)",
    "paused_seconds": "Thời gian quầy tạm nghỉ (giây; chỉ dòng của quầy)",
}


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
        tickets, dossiers, apologies = grouped(db, key, period)
        rows = []
        for row_id, name in db.execute(catalog_query).fetchall():
            timed = group == "counters" and row_id in counter_time
            counted = row_id in tickets or row_id in dossiers or row_id in apologies
            if counted or group in ALL_ROWS or timed:
                row = {
                    "id": row_id,
                    "name": name,
                    **metrics(tickets.get(row_id), dossiers.get(row_id), apologies.get(row_id)),
                }
                if group == "counters":
                    row.update(counter_time.get(row_id, {"open_seconds": 0, "paused_seconds": 0}))
                rows.append(row)
        report[group] = rows
    report["missing_documents"] = missing_documents(db, period)
    report["refusal_reasons"] = refusal_reasons(db, period)
    table = dossier_table(db, period, now.date())
    report["indicators"] = indicators(report["totals"], table)
    report["dossier_table"] = table.rows
    report["dossier_table_totals"] = table.totals
    return report


def header() -> list[str]:
    return [
        "nhóm", "id", "tên", *COLUMNS, *(f"ratings_{r}" for r in RATINGS), *LATER_COLUMNS,
        *(f"outcomes_{o}" for o in OUTCOMES), *COUNTER_COLUMNS,
    ]  # fmt: skip


def flat_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as one table: a header, then totals and every row with its group.

    The first columns are those of the first release, in the same order; later figures
    are appended after them, so a spreadsheet that reads columns by position keeps working.
    """
    rows = [header()]
    entries = [("totals", {"id": "", "name": "Tổng cộng", **report["totals"]})]
    entries += [(group, row) for group in GROUPS for row in report[group]]
    for group, row in entries:
        rows.append(
            [group, row["id"], row["name"], *(row[c] for c in COLUMNS)]
            + [row["ratings"][r] for r in RATINGS]
            + [row[c] for c in LATER_COLUMNS]
            + [row["outcomes"][o] for o in OUTCOMES]
            + [row.get(c) for c in COUNTER_COLUMNS]
        )
    return rows


def as_text_cell(value: Any) -> Any:
    """A name an admin typed as '=HYPERLINK(…)' stays text when the file is opened in a
    spreadsheet: a leading ' makes Excel and LibreOffice read the cell as text, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(report: dict[str, Any]) -> str:
    """UTF-8 CSV with a BOM, so Excel on a Vietnamese Windows shows the diacritics."""
    buffer = io.StringIO()
    rows = [[as_text_cell(value) for value in row] for row in flat_rows(report)]
    csv.writer(buffer).writerows(rows)
    return "\ufeff" + buffer.getvalue()


def title(report: dict[str, Any]) -> str:
    period = f"từ ngày {format_day(report['from'])} đến ngày {format_day(report['to'])}"
    return f"Báo cáo — {report['period']['label']} ({period})"


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per group (Tổng hợp, Thủ tục, Lĩnh vực, Quầy, Cán bộ), the CSV's columns,
    and a last sheet, Chú giải, saying what each column means."""
    from openpyxl import Workbook

    workbook = Workbook()
    table = flat_rows(report)
    columns = table[0][1:]
    for index, (group, name) in enumerate(SHEETS.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.append([title(report)])
        sheet.append(columns)
        for row in table[1:]:
            if row[0] == group:
                sheet.append(row[1:])
                for cell in sheet[sheet.max_row]:
                    if cell.data_type == "f":  # openpyxl took a name starting with = for one
                        cell.data_type = "s"
        sheet.freeze_panes = "D3"
        sheet.column_dimensions["C"].width = 42
    legend = workbook.create_sheet("Chú giải")
    legend.append(["Cột", "Ý nghĩa"])
    for column in columns:
        legend.append([column, MEANINGS[column]])
    legend.column_dimensions["A"].width = 28
    legend.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
