"""The period report as files a clerk opens: a CSV table and an Excel workbook.

Both speak Vietnamese (the JSON keys stay in the API; the legend sheet maps each header to
its meaning and its key), write a rate as a percentage (XLSX: the number 0.6667 shown as
66,7 %, so it still sums and sorts; CSV: the text 66,7%), and keep a name that looks like a
formula as text. The workbook adds what a leader files: the indicators with their formula,
each no-appointment day, and the table of dossiers laid out like Circular 01/2020/TT-VPCP's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.locale import format_day
from server.reporting.formatting import decimal
from server.reporting.reports import GROUPS

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.0%"
WHOLE = "#,##0"
DAY = "dd/mm/yyyy"


@dataclass(frozen=True)
class Column:
    """A figure of a report row: its JSON key (ratings_x / outcomes_x / channels_x for the
    nested ones),
    its header in the files, what it means, and its kind (text, count, share or seconds)."""

    key: str
    header: str
    meaning: str
    kind: str = "count"

    def value(self, row: dict[str, Any]) -> Any:
        for nested in NESTED:
            if self.key.startswith(f"{nested}_"):
                return row[nested][self.key.removeprefix(f"{nested}_")]
        return row.get(self.key) if self.key in COUNTER_KEYS else row[self.key]


RATING_NAMES = {
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "unsatisfied": "Không hài lòng",
}
OUTCOME_NAMES = {
    "resolved": ("giải quyết ngay", "giải quyết ngay"),
    "appointment": ("hẹn trả", "tiếp nhận, hẹn trả kết quả"),
    "supplement": ("bổ sung hồ sơ", "hướng dẫn bổ sung hồ sơ"),
    "refused": ("từ chối", "từ chối tiếp nhận"),
    "advice": ("tư vấn", "tư vấn, hướng dẫn"),
}
CHANNEL_NAMES = {
    "kiosk": ("tại ki-ốt", "lấy tại ki-ốt của trung tâm"),
    "remote": ("từ xa", "lấy từ xa, trên điện thoại"),
    "booking": ("đặt lịch", "của công dân đặt lịch hẹn, khi đến trung tâm"),
}
NESTED = ("ratings", "outcomes", "channels")  # the report's figures that are dicts
COUNTER_KEYS = ("open_seconds", "paused_seconds")
# The order of the first release's columns, then the later figures after them, so a
# spreadsheet that reads columns by position keeps working.
COLUMNS: tuple[Column, ...] = (
    Column("group", "Nhóm", "Tổng hợp, thủ tục, lĩnh vực, quầy hoặc cán bộ", "text"),
    Column("id", "Mã", "Mã của thủ tục, lĩnh vực, quầy hoặc cán bộ", "text"),
    Column(
        "name",
        "Tên",
        "Tên thủ tục, lĩnh vực, quầy; họ tên cán bộ (chưa có thì tên đăng nhập)",
        "text",
    ),
    Column("issued", "Phiếu đã cấp", "Số phiếu đã cấp trong kỳ (theo ngày lấy số)"),
    Column("finished", "Đã phục vụ xong", "Số phiếu đã phục vụ xong"),
    Column("resolved", "Giải quyết ngay", "Số phiếu giải quyết ngay tại chỗ"),
    Column("no_show", "Vắng mặt", "Số phiếu đã gọi nhưng công dân vắng mặt"),
    Column(
        "no_appointment_issued",
        "Phiếu không hẹn",
        "Số phiếu không hẹn đã cấp (mô hình Ngày Thứ năm không hẹn)",
    ),
    Column(
        "no_appointment_resolved",
        "Không hẹn: giải quyết ngay",
        "Số phiếu không hẹn được giải quyết ngay",
    ),
    Column(
        "no_appointment_rate",
        "Tỷ lệ giải quyết ngay (không hẹn)",
        "Phiếu không hẹn giải quyết ngay / phiếu không hẹn đã phục vụ xong",
        "share",
    ),
    Column("dossiers_early", "Hồ sơ trả trước hạn", "Hồ sơ hẹn trả đã trả trong kỳ: trước hạn"),
    Column("dossiers_on_time", "Hồ sơ trả đúng hạn", "Hồ sơ hẹn trả đã trả trong kỳ: đúng hạn"),
    Column("dossiers_late", "Hồ sơ trả quá hạn", "Hồ sơ hẹn trả đã trả trong kỳ: quá hạn"),
    Column(
        "average_wait_seconds",
        "Chờ trung bình (giây)",
        "Thời gian chờ trung bình từ lấy số đến khi được gọi, tính bằng giây",
        "seconds",
    ),
    Column(
        "average_service_seconds",
        "Phục vụ trung bình (giây)",
        "Thời gian phục vụ trung bình tại quầy, tính bằng giây",
        "seconds",
    ),
    *(
        Column(f"ratings_{r}", f"Đánh giá: {name}", f"Số lượt đánh giá “{name}”")
        for r, name in RATING_NAMES.items()
    ),
    Column(
        "no_appointment_finished",
        "Không hẹn: đã phục vụ xong",
        "Số phiếu không hẹn đã phục vụ xong",
    ),
    Column("online_help", "Hỗ trợ nộp trực tuyến", "Số phiếu hỗ trợ nộp hồ sơ trực tuyến"),
    Column(
        "corrected",
        "Phiếu đã sửa kết quả",
        "Số phiếu cán bộ đã sửa kết quả sau khi kết thúc (có ghi nhật ký)",
    ),
    *(
        Column(f"outcomes_{o}", f"Kết thúc: {short}", f"Số phiếu kết thúc: {long}")
        for o, (short, long) in OUTCOME_NAMES.items()
    ),
    Column(
        "open_seconds",
        "Quầy mở (giây)",
        "Thời gian quầy mở phục vụ, tính bằng giây (chỉ dòng của quầy)",
        "seconds",
    ),
    Column(
        "paused_seconds",
        "Quầy tạm nghỉ (giây)",
        "Thời gian quầy tạm nghỉ, tính bằng giây (chỉ dòng của quầy)",
        "seconds",
    ),
    Column(
        "apologies",
        "Phiếu xin lỗi",
        "Số phiếu xin lỗi và hẹn lại ngày trả kết quả đã lập trong kỳ",
    ),
    Column(
        "apology_days_late",
        "Ngày trễ hẹn (phiếu xin lỗi)",
        "Tổng số ngày làm việc trễ hẹn ghi trong các phiếu xin lỗi đó",
    ),
    *(
        Column(f"channels_{c}", f"Phiếu {short}", f"Số phiếu {long}")
        for c, (short, long) in CHANNEL_NAMES.items()
    ),
)
SHEETS = {
    "totals": "Tổng hợp",
    "procedures": "Thủ tục",
    "fields": "Lĩnh vực",
    "counters": "Quầy",
    "officers": "Cán bộ",
}
DAYS_SHEET = "Ngày không hẹn"
INDICATORS_SHEET = "Chỉ tiêu"
DOSSIERS_SHEET = "Tình hình giải quyết hồ sơ"
LEGEND_SHEET = "Chú giải"
# Circular 01/2020/TT-VPCP's table: (group header, [(sub-header, dossier_table key)]).
DOSSIER_GROUPS = (
    (
        "Số hồ sơ nhận giải quyết",
        [
            ("Tổng số", "received_total"),
            ("Trực tiếp", "received_in_person"),
            ("Kỳ trước chuyển qua", "carried_over"),
        ],
    ),
    (
        "Số hồ sơ đã giải quyết",
        [
            ("Tổng số", "resolved_total"),
            ("Trước hạn", "resolved_early"),
            ("Đúng hạn", "resolved_on_time"),
            ("Quá hạn", "resolved_late"),
        ],
    ),
    (
        "Số hồ sơ đang giải quyết",
        [
            ("Tổng số", "in_progress_total"),
            ("Trong hạn", "in_progress_within_time"),
            ("Quá hạn", "in_progress_overdue"),
        ],
    ),
)
DAY_HEADERS = (
    "Ngày",
    "Thứ",
    "Phiếu không hẹn đã cấp",
    "Đã phục vụ xong",
    "Giải quyết ngay",
    "Tỷ lệ giải quyết ngay",
)
INDICATOR_HEADERS = ("Chỉ tiêu", "Cách tính", "Tử số", "Mẫu số", "Tỷ lệ", "Căn cứ")


def entries(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The totals, then every row of every group, each with its group's key."""
    rows = [("totals", {"id": "", "name": "Tổng cộng", **report["totals"]})]
    return rows + [(group, row) for group in GROUPS for row in report[group]]


def flat_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as one table of raw values: the headers, then the totals and every row
    with its group's name (Tổng hợp, Thủ tục, …)."""
    table: list[list[Any]] = [[column.header for column in COLUMNS]]
    for group, row in entries(report):
        table.append([SHEETS[group], *(column.value(row) for column in COLUMNS[1:])])
    return table


def as_text_cell(value: Any) -> Any:
    """A name an admin typed as '=HYPERLINK(…)' stays text when the file is opened in a
    spreadsheet: a leading ' makes Excel and LibreOffice read the cell as text, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Any, kind: str) -> Any:
    """A share as the text 66,7% (what a Vietnamese spreadsheet shows), nothing for none."""
    if value is None:
        return ""
    if kind == "share":
        return f"{decimal(100 * value)}%"
    return as_text_cell(value)


def to_csv(report: dict[str, Any]) -> str:
    """UTF-8 CSV with a BOM, so Excel on a Vietnamese Windows shows the diacritics."""
    buffer = io.StringIO()
    table = flat_rows(report)
    writer = csv.writer(buffer)
    writer.writerow(table[0])
    for row in table[1:]:
        writer.writerow([csv_cell(v, c.kind) for v, c in zip(row, COLUMNS, strict=True)])
    return "\ufeff" + buffer.getvalue()


def title(report: dict[str, Any]) -> str:
    period = f"từ ngày {format_day(report['from'])} đến ngày {format_day(report['to'])}"
    return f"Báo cáo — {report['period']['label']} ({period})"


def to_xlsx(report: dict[str, Any], days: Sequence[dict[str, Any]]) -> bytes:
    """One sheet per group (Tổng hợp, Thủ tục, Lĩnh vực, Quầy, Cán bộ) with the CSV's
    columns; Chỉ tiêu (the indicators); Tình hình giải quyết hồ sơ (Circular 01/2020's
    table); Ngày không hẹn (`days`: evaluation.no_appointment_days); Chú giải, the legend."""
    from openpyxl import Workbook

    workbook = Workbook()
    table = flat_rows(report)
    columns = COLUMNS[1:]
    for index, name in enumerate(SHEETS.values()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        mine = [row[1:] for row in table[1:] if row[0] == name]
        write_table(sheet, title(report), [c.header for c in columns], mine, columns)
        sheet.freeze_panes = "D3"
    indicators_sheet(workbook.create_sheet(INDICATORS_SHEET), report)
    dossiers_sheet(workbook.create_sheet(DOSSIERS_SHEET), report)
    days_sheet(workbook.create_sheet(DAYS_SHEET), report, days)
    return with_legend(workbook, columns, "Khóa trong báo cáo JSON")


def with_legend(workbook: Any, columns: Sequence[Column], key_header: str) -> bytes:
    """The workbook with a last sheet saying what each column counts, as bytes."""
    legend = workbook.create_sheet(LEGEND_SHEET)
    legend.append(["Cột", "Ý nghĩa", key_header])
    for column in columns:
        legend.append([column.header, column.meaning, column.key])
    style_header(legend[1])
    fit_widths(legend, maximum=90)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(
    sheet: Any,
    heading: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    columns: Sequence[Column],
) -> None:
    """A title line, a header row that wraps, the rows with each kind's number format."""
    sheet.append([heading])
    sheet["A1"].font = bold()
    sheet.append(list(headers))
    style_header(sheet[2])
    for row in rows:
        sheet.append(list(row))
        for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
            format_cell(cell, column.kind)
    fit_widths(sheet, skip_rows=1)


def format_cell(cell: Any, kind: str) -> None:
    if cell.data_type == "f":  # openpyxl takes a text starting with = for a formula
        cell.data_type = "s"
    if kind == "share":
        cell.number_format = PERCENT
    elif kind in ("count", "seconds"):
        cell.number_format = WHOLE


def indicators_sheet(sheet: Any, report: dict[str, Any]) -> None:
    """The indicators of the report: label, formula, numerator, denominator, rate, source."""
    kinds = ("text", "text", "count", "count", "share", "text")
    rows = [
        [i["label"], i["formula"], i["numerator"], i["denominator"], i["value"], i["source"]]
        for i in report["indicators"]
    ]
    write_table(sheet, title(report), INDICATOR_HEADERS, rows, [kind_column(k) for k in kinds])
    for row in sheet.iter_rows(min_row=3, max_col=2):
        for cell in row:
            cell.alignment = wrapped()
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 70


def days_sheet(sheet: Any, report: dict[str, Any], days: Sequence[dict[str, Any]]) -> None:
    """Each no-appointment day of the period, then the sum of the days."""
    kinds = ("day", "text", "count", "count", "count", "share")
    rows = [
        [d["day"], d["weekday"], d["issued"], d["finished"], d["resolved"], d["rate"]] for d in days
    ]
    finished = sum(d["finished"] for d in days)
    resolved = sum(d["resolved"] for d in days)
    rows.append(
        [
            f"Cộng {len(days)} ngày",
            "",
            sum(d["issued"] for d in days),
            finished,
            resolved,
            resolved / finished if finished else None,
        ]
    )
    write_table(sheet, title(report), DAY_HEADERS, rows, [kind_column(k) for k in kinds])
    for cell in sheet[sheet.max_row]:
        cell.font = bold()
    for cell in sheet["A"][2:-1]:
        cell.number_format = DAY
    sheet.column_dimensions["A"].width = 14


def dossiers_sheet(sheet: Any, report: dict[str, Any]) -> None:
    """Circular 01/2020/TT-VPCP's table: two header rows with merged cells (STT, Lĩnh vực,
    then the three groups and their columns), a row of column numbers, a row per field and
    the Tổng cộng row."""
    from openpyxl.styles import Border, Side
    from openpyxl.utils import get_column_letter

    keys = [key for _, subs in DOSSIER_GROUPS for _, key in subs]
    last = 2 + len(keys)
    sheet.append(["TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"])
    sheet.append([title(report)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    sheet["A1"].font = bold()
    sheet["A1"].alignment = centered()
    sheet["A2"].alignment = centered()
    top, bottom = 4, 5
    sheet.cell(top, 1, "STT")
    sheet.cell(top, 2, "Lĩnh vực")
    sheet.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    sheet.merge_cells(start_row=top, start_column=2, end_row=bottom, end_column=2)
    column = 3
    for group, subs in DOSSIER_GROUPS:
        sheet.cell(top, column, group)
        sheet.merge_cells(
            start_row=top, start_column=column, end_row=top, end_column=column + len(subs) - 1
        )
        for header, _ in subs:
            sheet.cell(bottom, column, header)
            column += 1
    for number in range(1, last + 1):
        sheet.cell(bottom + 1, number, f"({number})")
    rows = [
        [index, row["name"], *(row[key] for key in keys)]
        for index, row in enumerate(report["dossier_table"], 1)
    ]
    rows.append(["", "Tổng cộng", *(report["dossier_table_totals"][key] for key in keys)])
    for values in rows:
        sheet.append(values)
        kinds = ("count", "text", *["count"] * len(keys))
        for cell, kind in zip(sheet[sheet.max_row], kinds, strict=True):
            format_cell(cell, kind)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=top, max_row=sheet.max_row, max_col=last):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row <= bottom:
                cell.font = bold()
            if cell.row <= bottom + 1:
                cell.alignment = centered()
    for cell in sheet[sheet.max_row]:
        cell.font = bold()
    sheet.row_dimensions[top].height = 32
    sheet.column_dimensions["A"].width = 6
    names = [len(str(row[1])) for row in rows]
    sheet.column_dimensions["B"].width = min(max([12, *names]) + 2, 50)
    for number in range(3, last + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 12
    sheet.freeze_panes = sheet.cell(bottom + 2, 3)


def kind_column(kind: str) -> Column:
    return Column("", "", "", kind)


def bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def wrapped() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def centered() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_header(row: Sequence[Any]) -> None:
    for cell in row:
        cell.font = bold()
        cell.alignment = centered()


def fit_widths(sheet: Any, *, skip_rows: int = 0, maximum: int = 60) -> None:
    """Each column as wide as its longest value; a header wraps on two or three lines rather
    than widening a column of small numbers, but never breaks inside a word."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, float] = {}
    header_row = skip_rows + 1
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is None:
                continue
            if cell.row == header_row and skip_rows:
                words = str(cell.value).split()
                needed = max(max(map(len, words)), len(str(cell.value)) / 3)
            elif isinstance(cell.value, float):
                needed = 8
            elif isinstance(cell.value, date):
                needed = 10
            else:
                needed = len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), needed)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 3, maximum)
    if skip_rows:
        sheet.row_dimensions[header_row].height = 48
