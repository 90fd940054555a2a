"""The leader's report as a paper to sign and send: "BÁO CÁO Kết quả thực hiện mô hình “Ngày
Thứ năm không hẹn” tháng 11 năm 2026", in the administrative format of Decree 30/2020/NĐ-CP.

`report_heading` says what the head and the foot of the report say (number, place and date,
title, "Kính gửi", the closing sentence): the evaluation page prints the same on A4.
`write_report` lays out the whole report as DOCX from the evaluation (server/reporting/
evaluation.py): every figure is the JSON report's, written the Vietnamese way by the same
functions as the page (server/reporting/formatting.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from server.locale import official_date
from server.paperwork.docx_layout import (
    TEXT_WIDTH,
    body_paragraph,
    first_paragraph,
    layout_table,
    national_header,
    new_document,
    save,
    signature_block,
    styled,
    title,
)
from server.paperwork.letterhead import Letterhead
from server.reporting.evaluation import Evaluation, active_rows
from server.reporting.formatting import change, figure, number, percent, previous_figure
from server.reporting.periods import Period
from server.reporting.ranking import RANKING_RULES
from server.reporting.reports import dossiers_returned, ratings_given, satisfaction_share
from server.reporting.spreadsheets import DOSSIER_GROUPS

NUMBER_BLANK = "\u00a0" * 8  # the clerk writes the number in by hand
MODEL = "mô hình “Ngày Thứ năm không hẹn”"
TABLE_SIZE = 10.5  # points: the tables of figures, smaller than the body
# The report's sections, on the page (upper-cased here) and in the DOCX.
SECTIONS = (
    "I. Kết quả chung",
    "II. Kết quả từng ngày không hẹn",
    "III. Tình hình giải quyết hồ sơ",
    "IV. Theo lĩnh vực và thủ tục",
    "V. Theo quầy",
    "VI. Xếp hạng thi đua cán bộ",
    "VII. Đề xuất, kiến nghị",
)
PROPOSAL_LINES = 3  # dotted lines for the leader to write the proposals in
DOTTED_LINE = "…" * 35  # a line of the text's width


@dataclass(frozen=True)
class ReportHeading:
    """The words around the figures: "Số:        /BC-TTPVHCC", "Lai Khê, ngày 30 tháng 11
    năm 2026", the title and its subject line, the recipients, the opening and closing
    sentences."""

    number_line: str
    place_date_line: str
    title: str
    subtitle: str
    recipients: tuple[str, ...]
    opening: str
    closing: str


def report_heading(
    letterhead: Letterhead, evaluation: Evaluation, today: date, center_name: str
) -> ReportHeading:
    """`center_name` names the center in the sentences (the letterhead has it in capitals)."""
    label, dates = period_words(evaluation.period)
    issuer = center_name
    previous = evaluation.previous.label
    return paper_heading(
        letterhead,
        today,
        subtitle=f"Kết quả thực hiện {MODEL} {label}",
        opening=(
            f"{issuer} báo cáo kết quả thực hiện {MODEL} {label} ({dates}), so sánh với "
            f"{previous[:1].lower()}{previous[1:]}, như sau:"
        ),
        closing=f"Trên đây là báo cáo kết quả thực hiện {MODEL} {label} của {issuer}./.",
    )


def period_words(period: Period) -> tuple[str, str]:
    """A period as a report's sentences say it: "tháng 11 năm 2026", "từ ngày … đến ngày …"."""
    label = period.label[:1].lower() + period.label[1:]
    return label, f"từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"


def paper_heading(
    letterhead: Letterhead, today: date, subtitle: str, opening: str, closing: str
) -> ReportHeading:
    """A report's heading: the letterhead's number line, place and date, and recipients."""
    place = f"{letterhead.place}, " if letterhead.place else ""
    return ReportHeading(
        number_line=f"Số:{NUMBER_BLANK}/BC-{letterhead.symbol}",
        place_date_line=place + official_date(today),
        title="BÁO CÁO",
        subtitle=subtitle,
        recipients=letterhead.report_recipients,
        opening=opening,
        closing=closing,
    )


def share_of(good: int, cases: int) -> str:
    """ "2/3 · 66,7 %": a rate with its numerator and denominator."""
    if not cases:
        return f"{number(good)}/{number(cases)}"
    return f"{number(good)}/{number(cases)} · {percent(good / cases)}"


def write_report(
    evaluation: Evaluation, letterhead: Letterhead, today: date, center_name: str
) -> bytes:
    """The DOCX of the report: header, title, "Kính gửi", sections I to VII as on the page,
    the closing sentence, "Nơi nhận" and the signature kept with the last lines."""
    heading = report_heading(letterhead, evaluation, today, center_name)
    report = evaluation.report
    document = new_document()
    national_header(document, letterhead, heading.number_line, heading.place_date_line)
    title(document, heading.title, heading.subtitle)
    recipients(document, heading.recipients)
    body_paragraph(document, heading.opening)

    section(document, SECTIONS[0])
    headline_rows = [
        [h.label, figure(h), previous_figure(h), trend_text(h)] for h in evaluation.headlines
    ]
    grid(
        document,
        ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "So với kỳ trước"],
        headline_rows,
        [40, 18, 18, 24],
    )
    sub_heading(document, "Các chỉ tiêu đánh giá (cách tính, tử số, mẫu số)")
    indicator_rows = [
        [
            f"{i['label']}\n{i['formula']}" + (f" ({i['source']})" if i["source"] else ""),
            number(i["numerator"]),
            number(i["denominator"]),
            percent(i["value"]),
        ]
        for i in report["indicators"]
    ]
    grid(
        document,
        ["Chỉ tiêu và cách tính", "Tử số", "Mẫu số", "Tỷ lệ"],
        indicator_rows,
        [61, 12, 12, 15],
    )

    section(document, SECTIONS[1])
    if evaluation.days:
        day_rows = [
            [
                f"{row['weekday']}, {row['day']:%d/%m/%Y}",
                number(row["issued"]),
                number(row["finished"]),
                number(row["resolved"]),
                share_of(row["resolved"], row["finished"]),
            ]
            for row in evaluation.days
        ]
        finished = sum(row["finished"] for row in evaluation.days)
        resolved = sum(row["resolved"] for row in evaluation.days)
        day_rows.append(
            [
                f"Cộng {len(evaluation.days)} ngày",
                number(sum(row["issued"] for row in evaluation.days)),
                number(finished),
                number(resolved),
                share_of(resolved, finished),
            ]
        )
        grid(
            document,
            ["Ngày", "Phiếu không hẹn đã cấp", "Đã phục vụ xong", "Giải quyết ngay", "Tỷ lệ"],
            day_rows,
            [28, 18, 16, 16, 22],
            total_row=True,
        )
    else:
        body_paragraph(document, "Không có ngày không hẹn nào trong kỳ.")

    section(document, SECTIONS[2])
    dossier_grid(document, report)
    totals = report["totals"]
    body_paragraph(
        document,
        f"Hồ sơ hẹn trả đã trả kết quả trong kỳ: {number(dossiers_returned(totals))} hồ sơ "
        f"({number(totals['dossiers_early'])} trước hạn, {number(totals['dossiers_on_time'])} "
        f"đúng hạn, {number(totals['dossiers_late'])} quá hạn). Phiếu xin lỗi và hẹn lại ngày "
        f"trả kết quả đã lập trong kỳ: {number(totals['apologies'])} phiếu, tổng cộng "
        f"{number(totals['apology_days_late'])} ngày làm việc trễ hẹn.",
    )

    section(document, SECTIONS[3])
    for caption, rows in (
        ("Theo lĩnh vực", active_rows(report["fields"])),
        (
            "Theo thủ tục (các thủ tục có phiếu hoặc hồ sơ trong kỳ)",
            active_rows(report["procedures"]),
        ),
    ):
        sub_heading(document, caption)
        first = caption.split(" (")[0].removeprefix("Theo ").capitalize()
        metrics_grid(document, first, [(row["name"], row) for row in rows], "Tổng cộng", totals)

    section(document, SECTIONS[4])
    counters = [(row["name"], row) for row in report["counters"]]
    metrics_grid(document, "Quầy", counters, "Tổng cộng", totals)

    section(document, SECTIONS[5])
    ranked = [
        [
            str(score.rank),
            score.name,
            number(score.finished),
            share_of(*score.samples["on_the_spot"]),
            share_of(*score.samples["on_time"]),
            share_of(*score.samples["satisfaction"]),
            number(score.late),
            f"{score.score:.1f}".replace(".", ","),
        ]
        for score in evaluation.ranked
    ]
    ranking_grid(
        document,
        ["Hạng", "Cán bộ", "Phục vụ xong", "Giải quyết ngay", "Đúng hạn", "Hài lòng",
         "Quá hạn", "Điểm"],
        ranked,
        [8, 22, 10, 15, 15, 15, 7, 8],
        "cán bộ",
        [(score.name, score.reason) for score in evaluation.unranked],
        RANKING_RULES,
    )  # fmt: skip

    section(document, SECTIONS[6])
    for _ in range(PROPOSAL_LINES):
        document.add_paragraph(DOTTED_LINE).paragraph_format.space_after = Pt(2)
    body_paragraph(document, heading.closing)
    signature_block(document, letterhead, letterhead.report_copies)
    return save(document)


def trend_text(headline: Any) -> str:
    if headline.trend == "up":
        return f"Tăng {change(headline)}"
    if headline.trend == "down":
        return f"Giảm {change(headline)}"
    if headline.trend == "same":
        return "Không đổi"
    return "Chưa so sánh được"


def ranking_grid(
    document: Any,
    headers: list[str],
    ranked: list[list[str]],
    widths: list[int],
    who: str,
    unranked: list[tuple[str, str]],
    rules: Sequence[str],
) -> None:
    """A ranking as a paper shows it: the ranked rows (or a sentence that nobody of `who`
    qualified), each one not ranked with its reason, then how the score is computed."""
    if ranked:
        grid(document, headers, ranked, widths, first_left=False)
    else:
        body_paragraph(document, f"Chưa có {who} nào đủ điều kiện xếp hạng trong kỳ.")
    for name, reason in unranked:
        body_paragraph(document, f"{name}: chưa xếp hạng ({reason.lower()}).")
    sub_heading(document, "Cách tính điểm")
    for line in rules:
        body_paragraph(document, line, italic=True)


def metrics_grid(
    document: Any,
    first: str,
    rows: list[tuple[str, dict[str, Any]]],
    total_label: str,
    totals: dict[str, Any],
) -> None:
    """A table of (name, figures) rows and their total: tickets issued and finished, the
    no-appointment tickets resolved on the spot, the dossiers by timeliness, satisfaction."""
    grid(
        document,
        [first, "Phiếu cấp", "Phục vụ xong", "Không hẹn: giải quyết ngay",
         "Hồ sơ trả: trước, đúng, quá hạn", "Hài lòng"],
        [metric_row(name, row) for name, row in rows] + [metric_row(total_label, totals)],
        [30, 10, 10, 18, 16, 16],
        total_row=True,
    )  # fmt: skip


def metric_row(name: str, row: dict[str, Any]) -> list[str]:
    happy = row["ratings"]["very_satisfied"] + row["ratings"]["satisfied"]
    return [
        name,
        number(row["issued"]),
        number(row["finished"]),
        share_of(row["no_appointment_resolved"], row["no_appointment_finished"]),
        f"{number(row['dossiers_early'])}, {number(row['dossiers_on_time'])}, "
        f"{number(row['dossiers_late'])}",
        share_of(happy, ratings_given(row)) if satisfaction_share(row) is not None else "—",
    ]


def recipients(document: DocumentObject, lines: Sequence[str]) -> None:
    """ "Kính gửi: …", centered: one recipient on the line; several, each on its own."""
    if not lines:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0 if len(lines) > 1 else 12)
    styled(paragraph, "Kính gửi: ", size=14)
    if len(lines) == 1:
        styled(paragraph, lines[0].rstrip(";.") + ".", size=14)
        return
    for index, line in enumerate(lines):
        item = document.add_paragraph()
        item.paragraph_format.left_indent = Mm(55)
        item.paragraph_format.space_after = Pt(12 if index == len(lines) - 1 else 0)
        end = "." if index == len(lines) - 1 else ";"
        styled(item, f"- {line.rstrip(';.')}{end}", size=14)


def section(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    styled(paragraph, text.upper(), bold=True)


def sub_heading(document: DocumentObject, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    styled(paragraph, text, italic=True, bold=True)


def grid(
    document: DocumentObject,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    total_row: bool = False,
    first_left: bool = True,
) -> None:
    """A bordered table of figures in TABLE_SIZE: the header row bold and repeated on every
    page, the first column (names) on the left, the last row bold when it is a total."""
    table = layout_table(document, 1 + len(rows), [TEXT_WIDTH * w // 100 for w in widths])
    table.style = document.styles["Table Grid"]
    repeat_header(table.rows[0])
    for number_of_row, values in enumerate((headers, *rows)):
        bold = number_of_row == 0 or (total_row and number_of_row == len(rows))
        for column, (cell, value) in enumerate(
            zip(table.rows[number_of_row].cells, values, strict=True)
        ):
            paragraph = first_paragraph(cell)
            if number_of_row and (column > 0 or not first_left):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif number_of_row:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            first, _, rest = value.partition("\n")
            styled(paragraph, first, size=TABLE_SIZE, bold=bold)
            if rest:  # a second line, smaller and in italics (an indicator's formula)
                styled(paragraph, "\n" + rest, size=TABLE_SIZE - 1.5, italic=True)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def dossier_grid(document: DocumentObject, report: dict[str, Any]) -> None:
    """Circular 01/2020/TT-VPCP's table: two header rows with merged cells, a row per field
    and the total."""
    keys = [key for _, subs in DOSSIER_GROUPS for _, key in subs]
    widths = [6, 24, *([7] * len(keys))]
    rows = [[str(i), row["name"], *(number(row[k]) for k in keys)]
            for i, row in enumerate(report["dossier_table"], 1)]  # fmt: skip
    rows.append(["", "Tổng cộng", *(number(report["dossier_table_totals"][k]) for k in keys)])
    table = layout_table(document, 2 + len(rows), [TEXT_WIDTH * w // 100 for w in widths])
    table.style = document.styles["Table Grid"]
    top, bottom = table.rows[0], table.rows[1]
    repeat_header(top)
    repeat_header(bottom)
    for column, text in ((0, "STT"), (1, "Lĩnh vực")):
        merged = top.cells[column].merge(bottom.cells[column])
        styled(first_paragraph(merged), text, size=TABLE_SIZE - 1, bold=True)
        merged.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    column = 2
    for group, subs in DOSSIER_GROUPS:
        merged = top.cells[column].merge(top.cells[column + len(subs) - 1])
        styled(first_paragraph(merged), group, size=TABLE_SIZE - 1, bold=True)
        for header, _ in subs:
            styled(first_paragraph(bottom.cells[column]), header, size=TABLE_SIZE - 1.5, bold=True)
            column += 1
    for index, values in enumerate(rows):
        cells = table.rows[2 + index].cells
        for place, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = first_paragraph(cell)
            if place == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif place > 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            styled(paragraph, value, size=TABLE_SIZE - 1, bold=index == len(rows) - 1)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
