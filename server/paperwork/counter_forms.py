"""The counter's four forms, filled from the ticket and its dossier: the receipt and
appointment, the request to supplement a dossier, the refusal, and the apology with a new date.

Each is a `Paper` (plain data): the A4 page (server/templates/paperwork/document.html) and the
DOCX (docx_layout.write_paper) both render it. The queue does not know the citizen's name or
address: those lines are left dotted, for the officer or the citizen to write by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.errors import NotFound, WrongState
from server.line.tickets import format_number
from server.locale import official_date
from server.paperwork.letterhead import PAPER_KINDS, Letterhead
from server.paperwork.paper import Block, Items, Line, Paper, Signer, Table, Text
from server.setup.center import setting
from server.storage.db import Database, rows_as_dicts

# Which ticket outcome each ticket form is for (the apology is reached by its dossier).
TICKET_FORMS = {"receipt": "appointment", "supplement": "supplement", "refusal": "refused"}
FORM_KINDS = (*TICKET_FORMS, "apology")
SIGNED_BY_HAND = "(Ký và ghi rõ họ tên)"
CITIZEN = Signer("Người nộp hồ sơ", SIGNED_BY_HAND)
HOUR_BLANK = "…… giờ ……"  # the officer writes the hour of a due date by hand


@dataclass(frozen=True)
class Service:
    """What the forms need of a finished ticket: its procedure, its counter and officer, and
    what the officer recorded at the finish."""

    ticket_id: str
    number: str
    outcome: str
    finished_at: datetime
    procedure: str
    legal_time: str
    documents: tuple[str, ...]
    counter: str
    officer: str
    missing_documents: tuple[str, ...]
    reason: str


def find_service(db: Database, ticket_id: str) -> Service:
    rows = rows_as_dicts(
        db,
        """SELECT t.id, t.letter, t.number, t.outcome, t.finished_at, t.missing_documents,
                  t.outcome_reason, p.name AS procedure, p.legal_time, p.documents,
                  c.name AS counter, COALESCE(u.full_name, u.username) AS officer
           FROM tickets t
           JOIN procedures p ON p.id = t.procedure_id
           LEFT JOIN counters c ON c.id = t.counter_id
           LEFT JOIN users u ON u.id = t.officer_id
           WHERE t.id = ?""",
        [ticket_id],
    )
    if not rows:
        raise NotFound("Không tìm thấy phiếu này.", "ticket_not_found")
    row = rows[0]
    return Service(
        ticket_id=row["id"],
        number=format_number(row["letter"], row["number"]),
        outcome=row["outcome"] or "",
        finished_at=datetime.fromisoformat(row["finished_at"] or "1970-01-01T00:00:00"),
        procedure=row["procedure"],
        legal_time=row["legal_time"],
        documents=tuple(json.loads(row["documents"] or "[]")),
        counter=row["counter"] or "",
        officer=row["officer"] or "",
        missing_documents=tuple(json.loads(row["missing_documents"] or "[]")),
        reason=row["outcome_reason"] or "",
    )


def moment_words(moment: datetime) -> str:
    """ "09 giờ 20 phút, ngày 26 tháng 11 năm 2026"."""
    return f"{moment:%H} giờ {moment:%M} phút, {official_date(moment.date())}"


def place_and_date(letterhead: Letterhead, day: date) -> str:
    """ "Lai Khê, ngày 26 tháng 11 năm 2026" (the date alone when no place is set)."""
    words = official_date(day)
    return f"{letterhead.place}, {words}" if letterhead.place else words[:1].upper() + words[1:]


def ticket_form(db: Database, letterhead: Letterhead, kind: str, ticket_id: str) -> Paper:
    """One of the ticket's forms. 404 for an unknown ticket; 409 when its outcome is not the
    form's (a refusal form for a resolved ticket)."""
    service = find_service(db, ticket_id)
    wanted = TICKET_FORMS[kind]
    if service.outcome != wanted:
        raise WrongState(
            f"Phiếu {service.number} không kết thúc bằng kết quả cần "
            f"{PAPER_KINDS[kind][:1].lower()}{PAPER_KINDS[kind][1:]}.",
            "form_not_for_outcome",
        )
    center = setting(db, "center_name")
    if kind == "receipt":
        return receipt(db, letterhead, service, center)
    if kind == "supplement":
        return supplement(letterhead, service, center)
    return refusal(letterhead, service, center)


def common(letterhead: Letterhead, kind: str, number_line: str, day: date) -> dict[str, Any]:
    return {
        "kind": kind,
        "number_line": number_line,
        "place_date_line": place_and_date(letterhead, day),
        "title": PAPER_KINDS[kind],
        "legal_line": letterhead.legal_reference(kind),
    }


def ticket_reference(service: Service) -> str:
    """The number line of a form without a dossier: the ticket's number and day."""
    return f"Số: {service.number}-{service.finished_at:%d%m%y}"


def citizen_lines(service: Service) -> tuple[Line, ...]:
    return (
        Line("Ông/Bà:"),
        Line("Địa chỉ:"),
        Line("Số điện thoại:"),
        Line("Nội dung yêu cầu giải quyết:", service.procedure),
        Line("Số thứ tự tại quầy:", f"{service.number} — {service.counter}".rstrip(" —")),
    )


def receipt(db: Database, letterhead: Letterhead, service: Service, center: str) -> Paper:
    row = db.execute(
        "SELECT code, received_at, due_date FROM dossiers WHERE ticket_id = ?",
        [service.ticket_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"Phiếu {service.number} không có hồ sơ hẹn trả.", "dossier_not_found")
    code, received_at, due_date = row
    received = datetime.fromisoformat(received_at)
    documents = Table(
        headers=("STT", "Tên giấy tờ", "Bản chính", "Bản sao", "Số lượng"),
        rows=tuple((str(n), name, "", "", "") for n, name in enumerate(service.documents, 1)),
        widths=(7, 51, 14, 14, 14),
    )
    return Paper(
        **common(letterhead, "receipt", f"Số: {code}", received.date()),
        body=(
            Text(f"{center} tiếp nhận hồ sơ của:"),
            *citizen_lines(service),
            Line("Thành phần hồ sơ nộp gồm:", dots=False),
            documents,
            Line("Số lượng hồ sơ:", "01 bộ"),
            Line("Thời gian giải quyết hồ sơ theo quy định:", service.legal_time),
            Line("Thời gian nhận hồ sơ:", moment_words(received)),
            Line("Thời gian trả kết quả:", f"{HOUR_BLANK}, {official_date(due_date)}"),
            Line("Nơi trả kết quả:", center),
            Line("Mã hồ sơ (để tra cứu tình trạng giải quyết):", code),
        ),
        closing=(
            Text(
                "Vào thời gian trả kết quả, ông/bà mang theo giấy này để nhận kết quả. "
                "Giấy này được lập thành 02 bản: 01 bản giao cho người nộp hồ sơ, 01 bản "
                "lưu tại Bộ phận Một cửa.",
                italic=True,
            ),
        ),
        left_signer=CITIZEN,
        signer=Signer("Người tiếp nhận hồ sơ", SIGNED_BY_HAND, service.officer),
    )


def examined(
    letterhead: Letterhead,
    kind: str,
    service: Service,
    center: str,
    verdict: str,
    details: tuple[Block, ...],
    closing: str,
    signer_title: str,
) -> Paper:
    """A form given back at once, without a dossier (a supplement or a refusal): who came,
    for what and when, the officer's verdict and what follows it."""
    return Paper(
        **common(letterhead, kind, ticket_reference(service), service.finished_at.date()),
        body=(
            Text(f"{center} đã tiếp nhận hồ sơ của:"),
            *citizen_lines(service),
            Line("Thời gian tiếp nhận:", moment_words(service.finished_at)),
            Text(verdict),
            *details,
        ),
        closing=(Text(closing, italic=True),),
        left_signer=CITIZEN,
        signer=Signer(signer_title, SIGNED_BY_HAND, service.officer),
    )


def supplement(letterhead: Letterhead, service: Service, center: str) -> Paper:
    """Every missing document at once, numbered (the one-stop rule: guide once, fully)."""
    missing = Items(service.missing_documents) if service.missing_documents else Line("1.")
    return examined(
        letterhead,
        "supplement",
        service,
        center,
        "Sau khi xem xét, đối chiếu thành phần hồ sơ với quy định, hồ sơ của ông/bà chưa đầy "
        "đủ, chưa hợp lệ. Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        (missing, Line("Lý do:", service.reason)),
        "Bộ phận Một cửa hướng dẫn một lần, đầy đủ những nội dung trên. Khi có vướng mắc, "
        f"ông/bà liên hệ {service.counter or 'Bộ phận Một cửa'} để được hướng dẫn.",
        "Người hướng dẫn",
    )


def refusal(letterhead: Letterhead, service: Service, center: str) -> Paper:
    return examined(
        letterhead,
        "refusal",
        service,
        center,
        "Sau khi xem xét, đối chiếu với quy định, hồ sơ của ông/bà không đủ điều kiện tiếp "
        "nhận, giải quyết. Bộ phận Một cửa từ chối tiếp nhận, giải quyết hồ sơ vì lý do sau:",
        (Text(service.reason) if service.reason else Line("Lý do:"),),
        "Xin thông báo để ông/bà được biết và thực hiện.",
        "Người tiếp nhận hồ sơ",
    )


def apology_form(db: Database, letterhead: Letterhead, dossier_code: str) -> Paper:
    """The latest apology of a dossier. 404 for an unknown dossier, or one never apologized
    for."""
    code = dossier_code.strip().upper()
    rows = rows_as_dicts(
        db,
        """SELECT d.code, d.received_at, d.due_date, p.name AS procedure,
                  a.apologized_at, a.previous_date, a.new_due_date, a.reason,
                  (SELECT count(*) FROM dossier_apologies WHERE dossier_code = d.code) AS count
           FROM dossiers d
           JOIN procedures p ON p.id = d.procedure_id
           LEFT JOIN dossier_apologies a ON a.id = (
               SELECT max(id) FROM dossier_apologies WHERE dossier_code = d.code)
           WHERE d.code = ?""",
        [code],
    )
    if not rows:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code}.", "dossier_not_found")
    row = rows[0]
    if row["apologized_at"] is None:
        raise NotFound(f"Hồ sơ {code} chưa có phiếu xin lỗi nào.", "apology_not_found")
    center = setting(db, "center_name")
    apologized = datetime.fromisoformat(row["apologized_at"])
    earlier = (
        (Line("Thời gian đã hẹn lại lần trước:", official_date(row["previous_date"])),)
        if row["previous_date"] != row["due_date"]
        else ()
    )
    again = f" (lần {row['count']})" if row["count"] > 1 else ""
    return Paper(
        **common(letterhead, "apology", f"Số: {code}", apologized.date()),
        body=(
            Text(f"{center} xin gửi tới ông/bà lời xin lỗi{again} về việc chậm trả kết quả:"),
            Line("Ông/Bà:"),
            Line("Mã hồ sơ:", code),
            Line("Nội dung yêu cầu giải quyết:", row["procedure"]),
            Line("Thời gian nhận hồ sơ:", moment_words(datetime.fromisoformat(row["received_at"]))),
            Line("Thời gian hẹn trả kết quả:", official_date(row["due_date"])),
            *earlier,
            Line("Lý do chậm trả kết quả:", row["reason"]),
            Text(
                "Việc chậm trả kết quả đã gây phiền hà cho ông/bà. Chúng tôi thành thật xin lỗi "
                "và hẹn trả kết quả giải quyết hồ sơ vào:"
            ),
            Line(
                "Thời gian hẹn trả kết quả mới:",
                f"{HOUR_BLANK}, {official_date(row['new_due_date'])}",
            ),
        ),
        closing=(Text("Rất mong nhận được sự thông cảm của ông/bà. Xin trân trọng cảm ơn!"),),
        copies=("Người nộp hồ sơ;", "Lưu: hồ sơ."),
        signer=Signer(
            letterhead.signer_title, "(Ký, ghi rõ họ tên và đóng dấu)", letterhead.signer_name
        ),
    )
