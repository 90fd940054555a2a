"""The province's dashboard as an Excel workbook: one row per center, Vietnamese headers.

The columns are those of a center's own XLSX (spreadsheets.py COLUMNS: the same headers,
meanings and number formats, a rate stored as the number 0.667 shown as 66,7 %), preceded by
the center's rank, its last figures received and its silence, and followed by the three
shares of the centers' score and the score itself; the last row is the province's. A second
sheet writes the score's formula, a third the legend.
"""

from __future__ import annotations

from typing import Any

from server.reporting.province import (
    CENTER_CRITERIA,
    CENTER_RANKING_RULES,
    CenterRow,
    Dashboard,
    criteria_samples,
)
from server.reporting.reports import share
from server.reporting.spreadsheets import (
    COLUMNS,
    COUNTER_KEYS,
    Column,
    as_text_cell,
    bold,
    with_legend,
    wrapped,
    write_table,
)

CENTERS_SHEET = "Các trung tâm"
RULES_SHEET = "Cách xếp hạng"
LEGEND_SHEET = "Chú giải"
LEAD_COLUMNS = (
    Column("rank", "Hạng", "Thứ hạng của trung tâm theo điểm xếp hạng (trống: chưa xếp hạng)"),
    Column("id", "Mã", "Mã trung tâm trên hệ thống của tỉnh", "text"),
    Column("name", "Trung tâm", "Tên trung tâm", "text"),
    Column(
        "last_received_at",
        "Nhận số liệu lần cuối",
        "Lúc hệ thống của tỉnh nhận số liệu của trung tâm lần cuối",
        "text",
    ),
    Column("status", "Tình trạng", "Chưa gửi số liệu bao lâu, hoặc lý do chưa xếp hạng", "text"),
)
FIGURE_COLUMNS = tuple(c for c in COLUMNS[3:] if c.key not in COUNTER_KEYS)
SCORE_COLUMNS = (
    *(
        Column(
            f"criterion_{key}", name[:1].upper() + name[1:], f"Tiêu chí xếp hạng: {name}", "share"
        )
        for key, name in CENTER_CRITERIA.items()
    ),
    Column("score", "Điểm xếp hạng", "Điểm xếp hạng trung tâm, thang 100 (xem Cách xếp hạng)"),
)
ALL_COLUMNS = (*LEAD_COLUMNS, *FIGURE_COLUMNS, *SCORE_COLUMNS)
PROVINCE_NAME = "Toàn tỉnh"


def status(row: CenterRow) -> str:
    if row.silence and row.reason != row.silence:
        return f"{row.silence}; {row.reason}" if row.reason else row.silence
    return row.reason


def center_values(row: CenterRow) -> list[Any]:
    when = row.last_received_at
    return [
        row.rank,
        row.id,
        as_text_cell(row.name),
        when.strftime("%H:%M %d/%m/%Y") if when else "",
        status(row),
        *(column.value(row.totals) for column in FIGURE_COLUMNS),
        *(row.criteria[key] for key in CENTER_CRITERIA),
        row.score,
    ]


def province_values(board: Dashboard) -> list[Any]:
    samples = criteria_samples(board.totals)
    return [
        None,
        "",
        PROVINCE_NAME,
        "",
        "",
        *(column.value(board.totals) for column in FIGURE_COLUMNS),
        *(share(*samples[key]) for key in CENTER_CRITERIA),
        None,
    ]


def title(board: Dashboard) -> str:
    return f"Kết quả các trung tâm phục vụ hành chính công — {board.period.label}"


def province_xlsx(board: Dashboard) -> bytes:
    """The workbook: Các trung tâm (ranked first, then the others, then the province),
    Cách xếp hạng, Chú giải."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CENTERS_SHEET
    rows = [center_values(row) for row in board.centers] + [province_values(board)]
    write_table(sheet, title(board), [c.header for c in ALL_COLUMNS], rows, ALL_COLUMNS)
    for cell in sheet[sheet.max_row]:
        cell.font = bold()
    for cell in sheet["D"][2:]:
        cell.number_format = "@"
    sheet.freeze_panes = "D3"
    rules = workbook.create_sheet(RULES_SHEET)
    rules.append(["Cách tính điểm xếp hạng trung tâm"])
    rules["A1"].font = bold()
    for line in CENTER_RANKING_RULES:
        rules.append([line])
        rules.cell(rules.max_row, 1).alignment = wrapped()
    rules.column_dimensions["A"].width = 120
    return with_legend(workbook, ALL_COLUMNS, "Khóa")
