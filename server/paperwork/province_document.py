"""The province's consolidated report as a paper to sign: "BÁO CÁO Kết quả thực hiện mô hình
“Ngày Thứ năm không hẹn” tại các trung tâm phục vụ hành chính công trên địa bàn tỉnh, quý IV
năm 2026", issued by the province's Department of Home Affairs in Decree 30/2020/NĐ-CP's
format (the hub's letterhead: server/hub/letterhead.py).

Every figure is the dashboard's (server/reporting/province.py), written the Vietnamese way by
the functions of the page; the tables and the paper's head and foot are the center report's
(report_document.py), so both papers look alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.paperwork.docx_layout import (
    body_paragraph,
    national_header,
    new_document,
    save,
    signature_block,
    title,
)
from server.paperwork.letterhead import Letterhead
from server.paperwork.report_document import (
    DOTTED_LINE,
    MODEL,
    PROPOSAL_LINES,
    ReportHeading,
    grid,
    metrics_grid,
    paper_heading,
    period_words,
    ranking_grid,
    recipients,
    section,
    share_of,
)
from server.reporting.formatting import duration, number
from server.reporting.province import CENTER_RANKING_RULES, Dashboard, criteria_samples
from server.reporting.reports import dossiers_returned

SECTIONS = (
    "I. Kết quả chung toàn tỉnh",
    "II. Kết quả từng trung tâm",
    "III. Xếp hạng các trung tâm",
    "IV. Trung tâm chưa gửi số liệu",
    "V. Đề xuất, kiến nghị",
)
PLACES = "các trung tâm phục vụ hành chính công trên địa bàn tỉnh"
PROVINCE = "Toàn tỉnh"


def province_heading(
    letterhead: Letterhead, board: Dashboard, today: date, issuer: str
) -> ReportHeading:
    """The words around the figures; `issuer` names the department in the sentences
    ("Sở Nội vụ"; the letterhead has it in capitals)."""
    label, dates = period_words(board.period)
    return paper_heading(
        letterhead,
        today,
        subtitle=f"Kết quả thực hiện {MODEL} tại {PLACES}, {label}",
        opening=(
            f"Trên cơ sở số liệu {number(len(board.centers))} trung tâm gửi về hệ thống của "
            f"tỉnh, {issuer} báo cáo kết quả thực hiện {MODEL} tại {PLACES} {label} ({dates}) "
            "như sau:"
        ),
        closing=f"Trên đây là báo cáo kết quả thực hiện {MODEL} {label} của {issuer}./.",
    )


def headline_rows(totals: dict[str, Any]) -> list[list[str]]:
    """The province's figures with their numerators and denominators."""
    samples = criteria_samples(totals)
    return [
        ["Phiếu đã cấp", number(totals["issued"])],
        ["Đã phục vụ xong", number(totals["finished"])],
        ["Phiếu không hẹn: giải quyết ngay / đã phục vụ xong", share_of(*samples["on_the_spot"])],
        [
            "Hồ sơ hẹn trả đã trả kết quả: trước hạn, đúng hạn, quá hạn",
            f"{number(totals['dossiers_early'])}, {number(totals['dossiers_on_time'])}, "
            f"{number(totals['dossiers_late'])} (cộng {number(dossiers_returned(totals))})",
        ],
        ["Tỷ lệ hồ sơ trả trước hạn và đúng hạn", share_of(*samples["on_time"])],
        ["Thời gian chờ trung bình", duration(totals["average_wait_seconds"])],
        ["Thời gian phục vụ trung bình", duration(totals["average_service_seconds"])],
        ["Đánh giá hài lòng tại quầy", share_of(*samples["satisfaction"])],
        ["Phiếu hỗ trợ nộp hồ sơ trực tuyến", number(totals["online_help"])],
        [
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            f"{number(totals['apologies'])} ({number(totals['apology_days_late'])} ngày trễ hẹn)",
        ],
    ]


def write_province_report(
    board: Dashboard, letterhead: Letterhead, today: date, issuer: str
) -> bytes:
    """The DOCX: header, title, "Kính gửi", sections I to V, the closing sentence, "Nơi
    nhận" and the signature kept with the last lines."""
    heading = province_heading(letterhead, board, today, issuer)
    document = new_document()
    national_header(document, letterhead, heading.number_line, heading.place_date_line)
    title(document, heading.title, heading.subtitle)
    recipients(document, heading.recipients)
    body_paragraph(document, heading.opening)

    section(document, SECTIONS[0])
    grid(document, ["Chỉ tiêu", PROVINCE], headline_rows(board.totals), [65, 35])

    section(document, SECTIONS[1])
    centers = [(row.name, row.totals) for row in board.centers]
    metrics_grid(document, "Trung tâm", centers, PROVINCE, board.totals)

    section(document, SECTIONS[2])
    ranked = [
        [
            str(row.rank),
            row.name,
            share_of(*row.samples["on_time"]),
            share_of(*row.samples["on_the_spot"]),
            share_of(*row.samples["satisfaction"]),
            f"{row.score:.1f}".replace(".", ","),
        ]
        for row in board.ranked
    ]
    ranking_grid(
        document,
        ["Hạng", "Trung tâm", "Đúng hạn", "Giải quyết ngay", "Hài lòng", "Điểm"],
        ranked,
        [8, 32, 17, 17, 17, 9],
        "trung tâm",
        [(row.name, row.reason) for row in board.unranked],
        CENTER_RANKING_RULES,
    )

    section(document, SECTIONS[3])
    if board.silent:
        for row in board.silent:
            body_paragraph(document, f"{row.name}: {row.silence[:1].lower()}{row.silence[1:]}.")
    else:
        body_paragraph(document, "Tất cả các trung tâm đều đã gửi số liệu trong ngày.")

    section(document, SECTIONS[4])
    for _ in range(PROPOSAL_LINES):
        document.add_paragraph(DOTTED_LINE)
    body_paragraph(document, heading.closing)
    signature_block(document, letterhead, letterhead.report_copies)
    return save(document)
