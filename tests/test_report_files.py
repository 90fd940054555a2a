"""The report's files as a clerk opens them: the CSV and the XLSX in Vietnamese with rates as
percentages, the workbook's indicators, no-appointment days and Circular 01/2020's dossier
table, and the leader's DOCX in the administrative format — each figure the JSON report's."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"  # no-appointment, counter 1, same-day legal time
WILL = "chung-thuc-di-chuc"  # counter 1, 2 working days
NOVEMBER = "period=2026-11"
CERTIFICATION = "Chứng thực"  # the field of both procedures


def percent_text(part: int, whole: int) -> str:
    """66,7% — how the CSV writes a share."""
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%"


def serve(officer, issue, clock, moment: datetime, procedure: str, outcome: str, **body):
    clock.set(moment)
    ticket = issue(procedure)
    assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
    clock.advance(minutes=6)
    finished = officer.post(
        f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome, **body}
    )
    assert finished.status_code == 200, finished.json
    return finished.json


@pytest.fixture
def november(officer, issue, clock) -> dict[str, Any]:
    """Two Thursdays and a Monday of November: no-appointment tickets resolved or not, two
    appointments (one returned late, one still out), a rating each kind."""
    served = []
    thursday = datetime(2026, 11, 19, 8, 30, tzinfo=TZ)
    served.append(serve(officer, issue, clock, thursday, COPY, "resolved"))
    served.append(serve(officer, issue, clock, thursday.replace(hour=9), COPY, "advice"))
    late = serve(
        officer, issue, clock, thursday.replace(hour=10), WILL, "appointment",
        due_date="2026-11-23",
    )  # fmt: skip
    monday = datetime(2026, 11, 23, 8, 30, tzinfo=TZ)
    served.append(serve(officer, issue, clock, monday, WILL, "appointment", due_date="2026-11-25"))
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=TZ))
    assert officer.post(f"/api/dossiers/{late['dossier_code']}/return").status_code == 200
    thursday = datetime(2026, 11, 26, 8, 30, tzinfo=TZ)
    served.append(serve(officer, issue, clock, thursday, COPY, "resolved"))
    served.append(serve(officer, issue, clock, thursday.replace(hour=9), COPY, "resolved"))
    clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=TZ))
    return {"late": late, "served": served}


def report_file(admin, file_format: str, query: str = NOVEMBER) -> Any:
    response = admin.get(f"/api/reports/summary?{query}&format={file_format}")
    assert response.status_code == 200, response.data[:300]
    return response


def test_the_csv_speaks_vietnamese_and_writes_rates_as_percentages(admin, november):
    report = admin.get(f"/api/reports/summary?{NOVEMBER}").json
    text = report_file(admin, "csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:4] == ["Nhóm", "Mã", "Tên", "Phiếu đã cấp"]
    assert "Tỷ lệ giải quyết ngay (không hẹn)" in header
    assert "Phiếu xin lỗi" in header
    assert not [name for name in header if "_" in name], "no JSON key left as a header"
    totals = dict(zip(header, rows[1], strict=True))
    assert (totals["Nhóm"], totals["Tên"]) == ("Tổng hợp", "Tổng cộng")
    figures = report["totals"]
    assert totals["Phiếu đã cấp"] == str(figures["issued"]) == "6"
    rate = totals["Tỷ lệ giải quyết ngay (không hẹn)"]
    resolved, finished = figures["no_appointment_resolved"], figures["no_appointment_finished"]
    assert (resolved, finished) == (3, 4)
    assert rate == percent_text(resolved, finished) == "75,0%"
    assert totals["Hồ sơ trả quá hạn"] == "1"
    groups = {row[0] for row in rows[1:]}
    assert groups == {"Tổng hợp", "Thủ tục", "Lĩnh vực", "Quầy", "Cán bộ"}
    copy = next(dict(zip(header, row, strict=True)) for row in rows if row[1] == COPY)
    assert copy["Tỷ lệ giải quyết ngay (không hẹn)"] == "75,0%"
    will = next(dict(zip(header, row, strict=True)) for row in rows if row[1] == WILL)
    assert will["Tỷ lệ giải quyết ngay (không hẹn)"] == ""  # no no-appointment ticket


def test_the_workbook_sheets_numbers_and_formats(admin, november):
    report = admin.get(f"/api/reports/summary?{NOVEMBER}").json
    workbook = load_workbook(io.BytesIO(report_file(admin, "xlsx").data))
    assert workbook.sheetnames == [
        "Tổng hợp", "Thủ tục", "Lĩnh vực", "Quầy", "Cán bộ",
        "Chỉ tiêu", "Tình hình giải quyết hồ sơ", "Ngày không hẹn", "Chú giải",
    ]  # fmt: skip
    totals = workbook["Tổng hợp"]
    header = [cell.value for cell in totals[2]]
    cells = dict(zip(header, totals[3], strict=True))
    rate = cells["Tỷ lệ giải quyết ngay (không hẹn)"]
    assert rate.value == report["totals"]["no_appointment_rate"] == 0.75
    assert rate.number_format == "0.0%"
    assert cells["Phiếu đã cấp"].value == 6
    # Widths fit the names: the procedures' name column holds the longest name.
    procedures = workbook["Thủ tục"]
    longest = max(len(row["name"]) for row in report["procedures"])
    assert procedures.column_dimensions["B"].width >= longest
    assert all(cell.alignment.wrap_text for cell in procedures[2])

    legend = {row[0].value: row[2].value for row in workbook["Chú giải"].iter_rows(min_row=2)}
    assert legend["Tỷ lệ giải quyết ngay (không hẹn)"] == "no_appointment_rate"
    assert legend["Phiếu xin lỗi"] == "apologies"
    assert set(legend) == set(header)

    indicators = workbook["Chỉ tiêu"]
    assert [cell.value for cell in indicators[2]] == [
        "Chỉ tiêu", "Cách tính", "Tử số", "Mẫu số", "Tỷ lệ", "Căn cứ",
    ]  # fmt: skip
    lines = list(indicators.iter_rows(min_row=3))
    assert len(lines) == len(report["indicators"])
    for line, indicator in zip(lines, report["indicators"], strict=True):
        label, formula, numerator, denominator, value, source = line
        assert (label.value, formula.value) == (indicator["label"], indicator["formula"])
        assert (numerator.value, denominator.value) == (
            indicator["numerator"],
            indicator["denominator"],
        )
        assert value.value == indicator["value"]
        assert value.number_format == "0.0%"
        assert (source.value or "") == indicator["source"]

    days = workbook["Ngày không hẹn"]
    assert [cell.value for cell in days[2]][:3] == ["Ngày", "Thứ", "Phiếu không hẹn đã cấp"]
    thursdays = [row for row in days.iter_rows(min_row=3) if isinstance(row[0].value, datetime)]
    assert [row[0].value.date() for row in thursdays] == [
        date(2026, 11, day) for day in (5, 12, 19, 26)
    ]
    assert thursdays[0][0].number_format == "dd/mm/yyyy"
    nineteenth, twenty_sixth = thursdays[2], thursdays[3]
    assert [c.value for c in nineteenth[1:5]] == ["Thứ Năm", 2, 2, 1]
    assert nineteenth[5].value == 0.5 and nineteenth[5].number_format == "0.0%"
    assert [c.value for c in twenty_sixth[2:6]] == [2, 2, 2, 1]
    total = days[days.max_row]
    assert total[0].value == "Cộng 4 ngày"
    assert [c.value for c in total[2:6]] == [4, 4, 3, 0.75]


def test_the_dossier_table_is_laid_out_like_circular_01(admin, november):
    report = admin.get(f"/api/reports/summary?{NOVEMBER}").json
    workbook = load_workbook(io.BytesIO(report_file(admin, "xlsx").data))
    sheet = workbook["Tình hình giải quyết hồ sơ"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:E4", "F4:I4", "J4:L4"} <= merged
    assert [sheet.cell(4, column).value for column in (1, 2, 3, 6, 10)] == [
        "STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
    ]  # fmt: skip
    assert [sheet.cell(5, column).value for column in range(3, 13)] == [
        "Tổng số", "Trực tiếp", "Kỳ trước chuyển qua",
        "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn",
        "Tổng số", "Trong hạn", "Quá hạn",
    ]  # fmt: skip
    keys = [
        "received_total", "received_in_person", "carried_over",
        "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
        "in_progress_total", "in_progress_within_time", "in_progress_overdue",
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert len(rows) == len(report["dossier_table"]) + 1
    for index, (row, field) in enumerate(zip(rows, report["dossier_table"], strict=False), 1):
        assert row[0] == index and row[1] == field["name"]
        assert list(row[2:]) == [field[key] for key in keys]
    assert rows[-1][1] == "Tổng cộng"
    assert list(rows[-1][2:]) == [report["dossier_table_totals"][key] for key in keys]
    # The played month: 5 dossiers received in person (3 resolved on the spot, 2 appointments;
    # the advice is none), resolved 4 (the 3 on the spot on time: a same-day procedure; the
    # appointment returned late), 1 still out and overdue on 30/11.
    certification = next(row for row in rows if row[1] == CERTIFICATION)
    assert certification[2:] == (5, 5, 0, 4, 0, 3, 1, 1, 0, 1)


def docx_text(data: bytes) -> tuple[Any, list[str], list[list[list[str]]]]:
    """The document, its paragraphs' texts and its tables' cell texts, in order."""
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return document, paragraphs, tables


def test_the_leader_s_report_as_docx(admin, november, db):
    db.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('paper_report_recipients', ?),"
        " ('paper_signer_name', 'Trần Thị Thu')",
        ["Ủy ban nhân dân xã Lai Khê"],
    )
    report = admin.get(f"/api/reports/summary?{NOVEMBER}").json
    response = report_file(admin, "docx")
    assert response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"].endswith('"bao-cao-2026-11-01-2026-11-30.docx"')
    document, paragraphs, tables = docx_text(response.data)
    header = tables[0]
    assert header[0][1].startswith(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    )
    letterhead = admin.get("/api/admin/paperwork").json
    assert letterhead["issuing_body"].upper() in header[0][0]
    number_line = header[1][0]
    symbol = f"/BC-{letterhead['symbol']}"
    assert number_line.startswith("Số:") and number_line.endswith(symbol)
    assert not any(ch.isdigit() for ch in number_line.removesuffix(symbol))  # for the clerk
    assert header[1][1] == f"{letterhead['place']}, ngày 30 tháng 11 năm 2026"
    text = "\n".join(paragraphs)
    assert "BÁO CÁO\nKết quả thực hiện mô hình “Ngày Thứ năm không hẹn” tháng 11 năm 2026" in text
    assert "Kính gửi: Ủy ban nhân dân xã Lai Khê." in paragraphs
    for heading in ("I. KẾT QUẢ CHUNG", "II. KẾT QUẢ TỪNG NGÀY KHÔNG HẸN", "V. THEO QUẦY",
                    "III. TÌNH HÌNH GIẢI QUYẾT HỒ SƠ", "VI. XẾP HẠNG THI ĐUA CÁN BỘ",
                    "VII. ĐỀ XUẤT, KIẾN NGHỊ"):  # fmt: skip
        assert heading in paragraphs
    assert "Điểm thi đua (thang 100) = 40 ×" in text
    # The figures are the JSON report's.
    totals = report["totals"]
    headlines = {row[0]: row[1:] for row in tables[1]}
    assert headlines["Phiếu không hẹn đã cấp"][0] == str(totals["no_appointment_issued"])
    assert headlines["Tỷ lệ giải quyết ngay"][0] == "75,0\u00a0%"
    indicators = {row[0].split("\n")[0]: row[1:] for row in tables[2]}
    for indicator in report["indicators"]:
        numerator, denominator, _ = indicators[indicator["label"]]
        assert (numerator, denominator) == (
            str(indicator["numerator"]),
            str(indicator["denominator"]),
        )
    on_time = next(i for i in report["indicators"] if i["key"] == "on_time_rate")
    assert (
        indicators[on_time["label"]][2]
        == f"{100 * on_time['value']:.1f}".replace(".", ",") + "\u00a0%"
    )
    assert any(on_time["formula"] in row[0] for row in tables[2])
    days = tables[3]
    assert days[-1] == ["Cộng 4 ngày", "4", "4", "3", "3/4 · 75,0\u00a0%"]
    dossiers = tables[4]
    certification = next(row for row in dossiers if row[1] == CERTIFICATION)
    assert certification[2:] == ["5", "5", "0", "4", "0", "3", "1", "1", "0", "1"]
    assert dossiers[-1][1] == "Tổng cộng"
    # The end: "Nơi nhận" and the signer, kept with the closing sentence.
    signature = tables[-1]
    assert signature[0][0].startswith("Nơi nhận:")
    assert "GIÁM ĐỐC" in signature[0][1] and "Trần Thị Thu" in signature[0][1]
    closing = paragraphs[-1] if paragraphs[-1].strip() else paragraphs[-2]
    assert closing.startswith("Trên đây là báo cáo")
    last = [p for p in document.paragraphs if p.text.strip()][-1]
    assert last.paragraph_format.keep_with_next


def test_a_period_of_nothing_still_makes_a_report(admin):
    _, paragraphs, tables = docx_text(report_file(admin, "docx", "period=2026-01").data)
    assert "Không có ngày không hẹn nào trong kỳ." not in paragraphs or tables
    assert any(p.startswith("Trên đây là báo cáo") for p in paragraphs)
