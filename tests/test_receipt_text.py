"""What a receipt says, line by line: the words a citizen reads, not its pixels.

The golden images (tests/test_receipt.py) allow 0.5 % of pixels to differ, which is more than
a wrong digit: "Số người chờ trước: 13" instead of 12 would pass them. These tests read the
layout's own lines (printers.receipt.receipt_text, the lines render draws) and hold them to
the ticket the server issued; tests/test_receipt_ocr.py reads the raster back.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from printers.receipt import (
    SAMPLE_LONG_NAME,
    SAMPLE_RECEIPT,
    SAMPLE_SLIP,
    from_document,
    receipt_text,
)
from server.clock import FixedClock
from tests.conftest import TZ

WIDTHS = (576, 384)
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
COPY = "chung-thuc-ban-sao"  # a no-appointment procedure, served at several counters
WILL = "chung-thuc-di-chuc"  # counter 1 only


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ticket_reads_as_the_citizen_sees_it(width):
    assert receipt_text(SAMPLE_RECEIPT, width)[-10:] == [
        "PHIẾU SỐ THỨ TỰ",
        "A025",
        "Đăng ký khai sinh",
        "Lĩnh vực: Hộ tịch",
        "KHÔNG HẸN — trả kết quả trong ngày",
        "Ưu tiên: Người cao tuổi",
        "Số người chờ trước: 12",
        "Thời gian chờ dự kiến: 20–30 phút",
        "09:05 — Thứ Năm, 26/11/2026",
        "Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!",
    ]


def test_the_center_is_named_first_in_capitals_over_as_many_lines_as_it_needs():
    for width in WIDTHS:
        lines = receipt_text(SAMPLE_RECEIPT, width)
        heading = lines[: lines.index("PHIẾU SỐ THỨ TỰ")]
        assert " ".join(heading) == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BẾN THÀNH"


def test_a_ticket_without_badge_priority_or_estimate_says_none_of_them():
    lines = receipt_text(SAMPLE_LONG_NAME, 576)
    assert not [line for line in lines if "KHÔNG HẸN" in line or line.startswith("Ưu tiên")]
    assert not [line for line in lines if line.startswith("Thời gian chờ")]
    assert "Số người chờ trước: 3" in lines
    assert "14:40 — Thứ Năm, 26/11/2026" in lines


def test_nobody_ahead_and_a_single_figure_wait_are_printed_as_such():
    first = replace(SAMPLE_RECEIPT, waiting_ahead=0, estimated_wait_minutes=(5, 5))
    lines = receipt_text(first, 576)
    assert "Số người chờ trước: 0" in lines
    assert "Thời gian chờ dự kiến: 5 phút" in lines


def test_a_long_procedure_name_is_printed_whole_over_several_lines():
    lines = receipt_text(SAMPLE_LONG_NAME, 384)
    name = lines[lines.index("B107") + 1 : lines.index("Lĩnh vực: Đất đai")]
    assert len(name) >= 4
    assert " ".join(name) == SAMPLE_LONG_NAME.procedure


def test_the_time_line_follows_the_moment_to_the_minute():
    """Seconds are not printed and never round up: 09:05:59 is still 09:05."""
    late = replace(SAMPLE_RECEIPT, issued_at=datetime(2026, 11, 29, 23, 59, 59))
    assert "23:59 — Chủ nhật, 29/11/2026" in receipt_text(late, 384)
    assert "09:05 — Thứ Năm, 26/11/2026" in receipt_text(
        replace(SAMPLE_RECEIPT, issued_at=datetime(2026, 11, 26, 9, 5, 59)), 576
    )


def test_the_appointment_slip_names_the_dossier_and_its_due_date():
    lines = receipt_text(SAMPLE_SLIP, 576)
    assert lines[lines.index("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") + 1] == "C012"
    assert "Mã hồ sơ: 000.00.21.H29-261126-0012" in lines
    assert "Tiếp nhận: 10:15 — Thứ Năm, 26/11/2026" in lines
    assert "Hẹn trả kết quả: ngày 30 tháng 11 năm 2026" in lines
    assert lines[-6:] == [
        "Giấy tờ đã nhận:",
        "1. Tờ khai (bản chính)",
        "2. Căn cước công dân (bản sao)",
        "3. Sổ hộ khẩu cũ",
        "Cán bộ tiếp nhận: Nguyễn Thị Hồng Nhung",
        "Quầy số 3",
    ]


def test_a_due_date_early_in_the_year_keeps_its_leading_zeros():
    slip = replace(SAMPLE_SLIP, due_date=date(2027, 2, 5))
    assert "Hẹn trả kết quả: ngày 05 tháng 02 năm 2027" in receipt_text(slip, 576)


# --- the receipt a real ticket queued ----------------------------------------------------------


def printed_lines(db: Any, ticket_id: str, kind: str, width: int = 576) -> list[str]:
    """The lines of the receipt the print job of this ticket would print: its stored document
    through the same code the worker uses."""
    (document,) = db.execute(
        "SELECT document FROM print_jobs WHERE ticket_id = ? AND kind = ?", [ticket_id, kind]
    ).fetchone()
    return receipt_text(from_document(kind, json.loads(document)), width)


def center_zone(app: Flask) -> ZoneInfo:
    return ZoneInfo(app.extensions["motcua"].settings.timezone)


def time_line(moment_iso: str, zone: ZoneInfo) -> str:
    """ "09:41 — Thứ Năm, 26/11/2026": the moment in the center's zone, cut to the minute."""
    moment = datetime.fromisoformat(moment_iso).astimezone(zone)
    return f"{moment:%H:%M} — {WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"


def wait_line(estimate: list[int] | None) -> list[str]:
    if estimate is None:
        return []
    low, high = estimate
    span = f"{low} phút" if low == high else f"{low}–{high} phút"
    return [f"Thời gian chờ dự kiến: {span}"]


def test_each_receipt_says_its_tickets_place_wait_and_time(
    app, issue, db, officer, clock: FixedClock
):
    """Three citizens a little apart, then one with priority: each receipt says what the kiosk
    answered for that ticket — people ahead, the estimate, the minute in the center's zone."""
    zone = center_zone(app)
    clock.set(datetime(2026, 11, 26, 2, 41, 59, tzinfo=ZoneInfo("UTC")))  # 09:41:59 there
    assert officer.post("/api/counters/1/resume").status_code == 200  # an officer serves it
    tickets = []
    for _ in range(3):
        tickets.append(issue(COPY))
        clock.advance(minutes=1, seconds=37)
    tickets.append(issue(COPY, priority="elderly"))
    assert [ticket["waiting_ahead"] for ticket in tickets[:3]] == [0, 1, 2]
    for ticket in tickets:
        lines = printed_lines(db, ticket["id"], "ticket")
        ahead = ticket["waiting_ahead"]
        body = lines[lines.index("PHIẾU SỐ THỨ TỰ") + 1 :]
        priority = ["Ưu tiên: Người cao tuổi (từ 60 tuổi)"] if ticket["priority"] else []
        assert ticket["estimated_wait_minutes"] is not None
        assert body == [
            ticket["number"],
            "Chứng thực bản sao từ bản chính",
            "Lĩnh vực: Chứng thực",
            "KHÔNG HẸN — trả kết quả trong ngày",
            *priority,
            f"Số người chờ trước: {ahead}",
            *wait_line(ticket["estimated_wait_minutes"]),
            time_line(ticket["issued_at"], zone),
            "Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!",
        ]
    assert time_line(tickets[1]["issued_at"], zone) == "09:43 — Thứ Năm, 26/11/2026"


def test_the_58mm_receipt_says_the_same(app, issue, db, officer):
    assert officer.post("/api/counters/1/resume").status_code == 200
    ticket = issue(WILL)
    lines = printed_lines(db, ticket["id"], "ticket", width=384)
    assert f"Số người chờ trước: {ticket['waiting_ahead']}" in lines
    assert time_line(ticket["issued_at"], center_zone(app)) in lines
    assert wait_line(ticket["estimated_wait_minutes"])[0] in lines


def test_a_receipt_promises_no_minutes_when_no_counter_serves(issue, db, officer):
    """Before any officer opens a counter for the procedure, and while its only counter is
    on a break, the receipt says so instead of an estimate."""
    closed = issue(WILL)
    assert closed["line_state"] == "closed" and closed["estimated_wait_minutes"] is None
    lines = printed_lines(db, closed["id"], "ticket", width=384)
    assert "Hiện chưa có quầy nào mở cho thủ tục này — Quý vị vẫn giữ số thứ tự." in " ".join(lines)
    assert not any(line.startswith("Thời gian chờ dự kiến") for line in lines)
    assert officer.post("/api/counters/1/resume").status_code == 200
    assert officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"}).status_code == 200
    paused = issue(WILL)
    assert paused["line_state"] == "paused" and paused["estimated_wait_minutes"] is None
    lines = printed_lines(db, paused["id"], "ticket", width=384)
    assert "Quầy đang tạm nghỉ — Quý vị vẫn giữ số thứ tự." in " ".join(lines)


def test_a_receipt_after_the_no_appointment_cut_off_has_no_badge(issue, db, clock: FixedClock):
    clock.set(datetime(2026, 11, 26, 15, 0, tzinfo=TZ))
    ticket = issue(COPY)
    assert ticket["no_appointment"] is False
    lines = printed_lines(db, ticket["id"], "ticket")
    assert not [line for line in lines if "KHÔNG HẸN" in line]
    assert "15:00 — Thứ Năm, 26/11/2026" in lines


def test_the_appointment_slip_says_the_dossier_code_and_due_date(
    app, issue, officer: FlaskClient, db, clock: FixedClock
):
    ticket = issue(WILL)
    assert officer.post("/api/counters/1/next").status_code == 200
    clock.advance(minutes=12, seconds=45)
    finished = officer.post(
        f"/api/tickets/{ticket['id']}/finish",
        json={"outcome": "appointment", "due_date": "2026-12-03"},
    )
    assert finished.status_code == 200, finished.json
    lines = printed_lines(db, ticket["id"], "slip")
    assert lines[lines.index("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") + 1] == ticket["number"]
    assert f"Mã hồ sơ: {finished.json['dossier_code']}" in lines
    assert "Hẹn trả kết quả: ngày 03 tháng 12 năm 2026" in lines
    received = time_line(finished.json["finished_at"], center_zone(app))
    assert received == "09:12 — Thứ Năm, 26/11/2026"
    assert f"Tiếp nhận: {received}" in lines
