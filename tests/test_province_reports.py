"""The province's dashboard, its XLSX and its DOCX from a hub summary (decision 5's JSON):
the centers' score and rank as the formula under the table says, the silent centers and how
long, one spreadsheet row per center with percentages, the paper in Decree 30's format."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta, timezone
from typing import Any

from openpyxl import load_workbook

from server.paperwork.letterhead import Letterhead
from server.paperwork.province_document import SECTIONS, write_province_report
from server.reporting.periods import named_period
from server.reporting.province import (
    CENTER_MINIMUM_ISSUED,
    CENTER_RANKING_RULES,
    CENTER_WEIGHTS,
    dashboard,
)
from server.reporting.province_spreadsheet import ALL_COLUMNS, province_xlsx
from server.reporting.reports import metrics

ZONE = timezone(timedelta(hours=7))
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
PERIOD = named_period("2026-Q4")


def totals(issued: int, early: int, on_time: int, late: int, happy: int, unhappy: int) -> dict:
    """A center report's totals: `issued` tickets, half of them no-appointment and all
    finished, 80 % of those resolved; the dossiers and the ratings as given."""
    tickets = {
        "issued": issued,
        "finished": issued,
        "no_appointment_issued": issued // 2,
        "no_appointment_finished": issued // 2,
        "no_appointment_resolved": issued * 2 // 5,
        "outcome_resolved": issued * 2 // 5,
        "average_wait_seconds": 300.4,
        "average_service_seconds": 420.0,
        "rating_very_satisfied": happy,
        "rating_unsatisfied": unhappy,
        "online_help": 3,
    }
    dossiers = {"dossiers_early": early, "dossiers_on_time": on_time, "dossiers_late": late}
    return metrics(tickets, dossiers, {"apologies": late, "apology_days_late": 2 * late})


def center(ident: str, name: str, received: datetime | None, **figures: int) -> dict:
    return {
        "id": ident,
        "name": name,
        "last_received_at": received.isoformat() if received else None,
        "totals": totals(**figures),
    }


def summary() -> dict[str, Any]:
    recent = NOW - timedelta(minutes=5)
    centers = [
        center("a", "Trung tâm A", recent, issued=200, early=10, on_time=10, late=0, happy=20,
               unhappy=0),
        center("b", "Trung tâm B", recent, issued=300, early=5, on_time=5, late=10, happy=10,
               unhappy=10),
        center("c", "Trung tâm C", NOW - timedelta(days=3, hours=5), issued=200, early=10,
               on_time=10, late=0, happy=20, unhappy=0),
        center("d", "Trung tâm D", None, issued=0, early=0, on_time=0, late=0, happy=0,
               unhappy=0),
        center("f", "Trung tâm F", NOW - timedelta(days=2, minutes=30), issued=0, early=0,
               on_time=0, late=0, happy=0, unhappy=0),
        center("g", "Trung tâm G", NOW - timedelta(hours=23, minutes=59), issued=0, early=0,
               on_time=0, late=0, happy=0, unhappy=0),
        center("e", "Trung tâm E", recent, issued=CENTER_MINIMUM_ISSUED - 1, early=10,
               on_time=10, late=0, happy=20, unhappy=0),
    ]  # fmt: skip
    province = totals(949, 35, 35, 10, 70, 10)
    return {"from": "2026-10-01", "to": "2026-12-31", "totals": province, "centers": centers}


def test_centers_are_scored_by_the_formula_written_under_the_table() -> None:
    board = dashboard(summary(), PERIOD, NOW)
    assert [row.id for row in board.ranked] == ["a", "b"]
    a, b = board.ranked
    assert (a.rank, b.rank) == (1, 2)
    # A: every share 1 except on the spot 0.8 → 40 + 30 × 0.8 + 30 = 94.
    assert a.score == 94.0
    # B: on time 10/20, on the spot 120/150, satisfied 10/20.
    expected = CENTER_WEIGHTS["on_time"] * 0.5 + CENTER_WEIGHTS["on_the_spot"] * 0.8
    expected += CENTER_WEIGHTS["satisfaction"] * 0.5
    assert b.score == round(expected, 1)
    assert b.samples["on_time"] == (10, 20)
    assert all(str(weight) in CENTER_RANKING_RULES[0] for weight in CENTER_WEIGHTS.values())
    reasons = {row.id: row.reason for row in board.unranked}
    assert reasons["e"] == f"Dưới {CENTER_MINIMUM_ISSUED} phiếu đã cấp"


def test_a_center_silent_for_more_than_a_day_is_flagged_with_how_long_and_not_ranked() -> None:
    board = dashboard(summary(), PERIOD, NOW)
    silent = {row.id: row.silence for row in board.silent}
    assert silent == {
        "c": "Chưa gửi số liệu 3 ngày 5 giờ",
        "d": "Chưa gửi số liệu lần nào",
        "f": "Chưa gửi số liệu 2 ngày 0 giờ",
    }  # g: heard from 23 h 59 min ago, within the day
    assert {row.id for row in board.unranked} >= {"c", "d"}
    # The same silence does not matter for a period it had already reported in full.
    earlier = dashboard(summary(), named_period("2026-11-30"), NOW)
    assert "c" in {row.id for row in earlier.silent}
    assert earlier.ranked[0].id in {"a", "c"} and "c" in {row.id for row in earlier.ranked}


def test_the_workbook_has_one_row_per_center_with_vietnamese_headers_and_percentages() -> None:
    board = dashboard(summary(), PERIOD, NOW)
    sheet = load_workbook(io.BytesIO(province_xlsx(board)))["Các trung tâm"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["Hạng", "Mã", "Trung tâm"]
    assert "Tỷ lệ giải quyết ngay (không hẹn)" in headers
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["a", "b", "c", "d", "e", "f", "g", None]
    assert rows[-1][2] == "Toàn tỉnh" and rows[-1][3] is None
    assert rows[0][0] == 1 and rows[2][4] == "Chưa gửi số liệu 3 ngày 5 giờ"
    rate = headers.index("Tỷ lệ giải quyết ngay (không hẹn)") + 1
    cell = sheet.cell(3, rate)
    assert cell.value == 0.8 and cell.number_format == "0.0%"
    score = sheet.cell(3, len(ALL_COLUMNS))
    assert score.value == 94.0


def test_the_paper_is_the_departments_report_with_every_center() -> None:
    board = dashboard(summary(), PERIOD, NOW)
    letterhead = Letterhead(
        governing_body="ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG",
        issuing_body="SỞ NỘI VỤ",
        place="Bình Dương",
        symbol="SNV",
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn A",
        report_recipients=("Ủy ban nhân dân tỉnh",),
        report_copies=("Như trên;", "Lưu: VT."),
    )
    data = write_province_report(board, letterhead, date(2026, 12, 7), "Sở Nội vụ")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for text in (
        "SỞ NỘI VỤ",
        "/BC-SNV",
        "Bình Dương, ngày 07 tháng 12 năm 2026",
        "quý IV năm 2026",
        "Trung tâm A",
        "Trung tâm E",
        "Toàn tỉnh",
        "Nguyễn Văn A",
        "chưa gửi số liệu 3 ngày 5 giờ",
        "94,0",
    ):
        assert text in xml, text  # fmt: skip
    for heading in SECTIONS:
        assert heading.upper() in xml
