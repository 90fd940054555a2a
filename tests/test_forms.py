"""The center's papers: the letterhead an admin edits, and the counter's four forms as A4
pages and DOCX files (opened here with python-docx, as a clerk's word processor would)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from server.locale import official_date
from server.paperwork.docx_layout import national_header, new_document, save, signature_block
from server.paperwork.letterhead import load_letterhead


def docx_text(data: bytes) -> str:
    """Every paragraph of the document, its tables' cells included, one per line."""
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(lines)


# The letterhead -------------------------------------------------------------------------------


def test_the_demo_letterhead_is_lai_khe(admin):
    paper = admin.get("/api/admin/paperwork").json
    assert paper["governing_body"] == "ỦY BAN NHÂN DÂN XÃ LAI KHÊ"
    assert paper["issuing_body"] == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    assert paper["place"] == "Lai Khê"
    assert paper["symbol"] == "TTPVHCC"
    assert set(paper["legal_references"]) == {
        "receipt",
        "supplement",
        "refusal",
        "apology",
        "report",
    }
    assert "Nghị định số 118/2025/NĐ-CP" in paper["legal_references"]["receipt"]


def test_a_letterhead_never_saved_is_read_off_the_centers_name(admin, db):
    db.execute("DELETE FROM settings WHERE key LIKE 'paper_%'")
    paper = admin.get("/api/admin/paperwork").json
    assert paper["governing_body"] == "ỦY BAN NHÂN DÂN XÃ LAI KHÊ"
    assert paper["issuing_body"] == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ LAI KHÊ"
    assert paper["place"] == "Lai Khê"
    assert paper["report_recipients"] == ["Ủy ban nhân dân xã Lai Khê"]


def test_an_admin_saves_the_letterhead_and_the_change_is_audited(admin, db):
    body = {
        "issuing_body": "Trung tâm Phục vụ hành chính công xã Lai Khê",
        "signer_name": "Trần Thị Bình",
        "report_copies": ["Như trên;", "", "Lưu: VT."],
        "legal_references": {"receipt": "Mẫu số 01 kèm theo Thông tư số 03/2025/TT-VPCP"},
    }
    saved = admin.put("/api/admin/paperwork", json=body)
    assert saved.status_code == 200, saved.json
    assert saved.json["signer_name"] == "Trần Thị Bình"
    assert saved.json["report_copies"] == ["Như trên;", "Lưu: VT."]
    assert saved.json["legal_references"]["receipt"].startswith("Mẫu số 01")
    assert "Nghị định số 118/2025" in saved.json["legal_references"]["refusal"]  # untouched
    assert admin.get("/api/admin/paperwork").json == saved.json
    entry = admin.get("/api/admin/audit").json[0]
    assert (entry["action"], entry["target"]) == ("paperwork.update", "paperwork")
    assert entry["after"]["signer_name"] == "Trần Thị Bình"
    assert set(entry["after"]) == {
        "issuing_body",
        "signer_name",
        "report_copies",
        "legal_references",
    }
    # A blank value goes back to its default.
    reset = admin.put("/api/admin/paperwork", json={"signer_name": "", "symbol": None})
    assert (reset.json["signer_name"], reset.json["symbol"]) == ("", "TTPVHCC")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"symbol": "ttpvhcc"}, "invalid_symbol"),
        ({"symbol": "TT PV"}, "invalid_symbol"),
        ({"place": "x" * 101}, "invalid_place"),
        ({"report_copies": "Như trên"}, "invalid_report_copies"),
        ({"report_copies": ["x" * 301]}, "invalid_report_copies"),
        ({"legal_references": {"poster": "x"}}, "invalid_legal_references"),
        ({"legal_references": {"receipt": 1}}, "invalid_legal_references"),
        ({"signer": "An"}, "unknown_key"),
        ([], "invalid_body"),
    ],
)
def test_a_wrong_letterhead_is_refused_and_nothing_is_written(admin, db, body, code):
    before = admin.get("/api/admin/paperwork").json
    audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    answer = admin.put("/api/admin/paperwork", json=body)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == code
    assert answer.json["error"]["message"]
    assert admin.get("/api/admin/paperwork").json == before
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit


def test_only_an_admin_edits_the_letterhead(client, officer):
    assert client.get("/api/admin/paperwork").status_code == 401
    assert officer.put("/api/admin/paperwork", json={"place": "Hà Nội"}).status_code == 403


def test_the_docx_header_and_signature_follow_the_letterhead(admin, db):
    admin.put("/api/admin/paperwork", json={"signer_name": "Trần Thị Bình"})
    document = new_document()
    letterhead = load_letterhead(db)
    national_header(
        document, letterhead, "Số:      /BC-TTPVHCC", f"Lai Khê, {official_date('2026-02-05')}"
    )
    document.add_paragraph("Nội dung.")
    signature_block(document, letterhead, letterhead.report_copies)
    text = docx_text(save(document))
    for expected in (
        "ỦY BAN NHÂN DÂN XÃ LAI KHÊ",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lai Khê, ngày 05 tháng 02 năm 2026",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Trần Thị Bình",
    ):
        assert expected in text
    assert official_date("2026-11-26") == "ngày 26 tháng 11 năm 2026"
    assert official_date("2026-01-09") == "ngày 09 tháng 01 năm 2026"
