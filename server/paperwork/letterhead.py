"""The letterhead of the center's papers: who issues them, where, under which symbol, who
signs, to whom a report goes, and each form's legal reference line.

An admin edits it (`GET/PUT /api/admin/paperwork`, audited like every setup change); each
value is a row of `settings` (PAPER_KEYS), and a value never saved has its default, most of
them read off the center's name ("… xã Lai Khê" → "ỦY BAN NHÂN DÂN XÃ LAI KHÊ", "Lai Khê").
The governing one-stop texts changed in 2025 and change again: the legal reference lines are
the admin's to correct, never a form number hard-coded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from server.clock import Clock
from server.setup.admin.input import Rule, check_body, refuse
from server.setup.audit import audited_change
from server.setup.catalog import nfc
from server.setup.center import save_setting, setting
from server.storage.db import Database

# The papers that carry a legal reference line, and the Vietnamese name of each.
PAPER_KINDS = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "report": "Báo cáo kết quả thực hiện",
}
GOVERNING_TEXTS = "Nghị định số 118/2025/NĐ-CP và Thông tư số 03/2025/TT-VPCP"
DEFAULT_LEGAL = {
    kind: f"Mẫu {name} theo {GOVERNING_TEXTS}"
    for kind, name in PAPER_KINDS.items()
    if kind != "report"
} | {"report": "Báo cáo theo Quyết định số 766/QĐ-TTg và Thông tư số 01/2020/TT-VPCP"}

# Letterhead field → settings key (decision of the issue: these names are shared).
PAPER_KEYS = {
    "governing_body": "paper_governing_body",
    "issuing_body": "paper_issuing_body",
    "place": "paper_place",
    "symbol": "paper_symbol",
    "signer_title": "paper_signer_title",
    "signer_name": "paper_signer_name",
    "report_recipients": "paper_report_recipients",
    "report_copies": "paper_report_copies",
} | {f"legal_{kind}": f"paper_legal_{kind}" for kind in PAPER_KINDS}
LINE_LISTS = ("report_recipients", "report_copies")  # stored one per line

RULES = {
    "governing_body": Rule("Cơ quan chủ quản", str),
    "issuing_body": Rule("Cơ quan ban hành", str),
    "place": Rule("Địa danh", str),
    "symbol": Rule("Chữ viết tắt tên cơ quan", str),
    "signer_title": Rule("Chức vụ người ký", str),
    "signer_name": Rule("Họ tên người ký", str),
    "report_recipients": Rule("Kính gửi", list),
    "report_copies": Rule("Nơi nhận", list),
    "legal_references": Rule("Căn cứ pháp lý của từng mẫu", dict),
}
LONGEST = {"symbol": 20, "place": 100, "signer_title": 100, "signer_name": 100}
LONGEST_LINE = 300  # a body's name, a recipient, a legal reference line
SYMBOL = re.compile(r"[A-ZĐ0-9][A-ZĐ0-9-]*")
LOCALITY = re.compile(r"\b(xã|phường|đặc khu|thị trấn)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Letterhead:
    """What the header, the place-and-date line and the signature block of a paper say."""

    governing_body: str
    issuing_body: str
    place: str
    symbol: str
    signer_title: str
    signer_name: str
    report_recipients: tuple[str, ...]
    report_copies: tuple[str, ...]
    legal_references: dict[str, str] = field(default_factory=dict)

    def legal_reference(self, kind: str) -> str:
        return self.legal_references.get(kind, "")


def defaults(center_name: str) -> dict[str, Any]:
    """The letterhead before an admin saved anything, read off the center's name."""
    locality = LOCALITY.search(center_name)
    unit, place = (locality[1], locality[2].strip()) if locality else ("", "")
    governing = f"Ủy ban nhân dân {unit.lower()} {place}" if locality else ""
    return {
        "governing_body": governing.upper(),
        "issuing_body": center_name.upper(),
        "place": place,
        "symbol": "TTPVHCC",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
        "report_recipients": [governing] if governing else [],
        "report_copies": ["Như trên;", "Lưu: VT."],
        "legal_references": dict(DEFAULT_LEGAL),
    }


def letterhead_setup(db: Database) -> dict[str, Any]:
    """The letterhead as in force now, as the admin page edits it (JSON)."""
    saved = dict(
        db.execute("SELECT key, value FROM settings WHERE key LIKE 'paper\\_%' ESCAPE '\\'")
    )
    return saved_over(defaults(setting(db, "center_name")), saved)


def saved_over(values: dict[str, Any], saved: dict[str, str]) -> dict[str, Any]:
    """`values` (the defaults) with what was saved as PAPER_KEYS rows put over them: also
    the province hub's letterhead, whose rows live in PostgreSQL (server/hub/letterhead.py)."""
    for name, key in PAPER_KEYS.items():
        if key not in saved:
            continue
        if name.startswith("legal_"):
            values["legal_references"][name.removeprefix("legal_")] = saved[key]
        elif name in LINE_LISTS:
            values[name] = [line for line in saved[key].splitlines() if line.strip()]
        else:
            values[name] = saved[key]
    return values


def load_letterhead(db: Database) -> Letterhead:
    return as_letterhead(letterhead_setup(db))


def as_letterhead(values: dict[str, Any]) -> Letterhead:
    for name in LINE_LISTS:
        values[name] = tuple(values[name])
    return Letterhead(**values)


def stored_values(values: dict[str, Any]) -> dict[str, str | None]:
    """The checked inputs as settings rows: key → text, or None to go back to the default."""
    rows: dict[str, str | None] = {}
    for name, value in values.items():
        if name == "legal_references":
            rows |= stored_references(value or {})
        elif name in LINE_LISTS:
            if any(len(line) > LONGEST_LINE for line in value or []):
                raise refuse(name, f"{RULES[name].label}: mỗi dòng tối đa {LONGEST_LINE} ký tự.")
            rows[PAPER_KEYS[name]] = "\n".join(value) if value else None
        else:
            longest = LONGEST.get(name, LONGEST_LINE)
            if value is not None and len(value) > longest:
                raise refuse(name, f"{RULES[name].label}: tối đa {longest} ký tự.")
            if name == "symbol" and value is not None and not SYMBOL.fullmatch(value):
                message = (
                    f"Chữ viết tắt tên cơ quan: chữ in hoa, số và dấu '-' (ví dụ TTPVHCC), "
                    f"nhận '{value}'."
                )
                raise refuse(name, message)
            rows[PAPER_KEYS[name]] = value
    return rows


def stored_references(references: dict[str, Any]) -> dict[str, str | None]:
    rows: dict[str, str | None] = {}
    for kind, text in references.items():
        if kind not in PAPER_KINDS:
            message = f"Không có mẫu '{kind}': chỉ {', '.join(PAPER_KINDS)}."
            raise refuse("legal_references", message)
        if text is not None and not isinstance(text, str):
            message = f"Căn cứ pháp lý ({PAPER_KINDS[kind]}): cần một chuỗi chữ."
            raise refuse("legal_references", message)
        line = " ".join(nfc(text or "").split())
        if len(line) > LONGEST_LINE:
            message = f"Căn cứ pháp lý ({PAPER_KINDS[kind]}): tối đa {LONGEST_LINE} ký tự."
            raise refuse("legal_references", message)
        rows[f"paper_legal_{kind}"] = line or None
    return rows


def update_letterhead(db: Database, clock: Clock, user_id: int | None, body: Any) -> dict[str, Any]:
    """Save what was sent (any of RULES; a blank or null value goes back to its default) in
    one audited change; returns the letterhead as now in force."""
    rows = stored_values(check_body(body, RULES, creating=False))
    with audited_change(db, clock, user_id, "paperwork.update", "paperwork") as change:
        before = letterhead_setup(db)
        for key, value in rows.items():
            save_setting(db, key, value)
        after = letterhead_setup(db)
        change.record_changes("paperwork", before, after, after)
    return after
