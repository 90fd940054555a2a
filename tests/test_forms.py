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


# The counter's forms ---------------------------------------------------------------------------

MISSING = ["Bản chính giấy tờ tùy thân để đối chiếu", "Văn bản ủy quyền có chứng thực"]
REFUSAL = "Tài sản đang bị kê biên, không đủ điều kiện chứng thực giao dịch."


@pytest.fixture
def finish(officer, issue):
    """finish(outcome, **body) → the finished ticket, served at counter 1 by the officer."""

    def finish_(outcome: str, **body: object) -> dict:
        ticket = issue("chung-thuc-giao-dich-tai-san")
        assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
        answer = officer.post(
            f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome, **body}
        )
        assert answer.status_code == 200, answer.json
        return answer.json

    return finish_


def apologize(db, code: str, new_date: str, reason: str, previous: str | None = None) -> None:
    """An apology row, as the apology endpoint records it."""
    db.execute(
        """INSERT INTO dossier_apologies (dossier_code, apologized_at, officer_id,
               previous_date, new_due_date, days_late, reason)
           SELECT code, '2026-11-30T15:10:00+07:00', NULL, COALESCE(?, due_date), ?, 2, ?
           FROM dossiers WHERE code = ?""",
        [previous, new_date, reason, code],
    )


def test_the_receipt_names_the_procedure_its_documents_and_the_due_date(officer, admin, finish, db):
    db.execute("UPDATE users SET full_name = 'Nguyễn Thị Hoa' WHERE username = 'canbo'")
    line = "Mẫu số 01 ban hành kèm theo Thông tư số 03/2025/TT-VPCP"
    saved = admin.put(
        "/api/admin/paperwork",
        json={"issuing_body": "Bộ phận Một cửa xã Lai Khê", "legal_references": {"receipt": line}},
    )
    assert saved.status_code == 200
    ticket = finish("appointment", due_date="2026-12-01")
    page = officer.get(f"/forms/receipt/{ticket['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert f'href="/forms/receipt/{ticket["id"]}.docx"' in html
    assert 'data-print="now"' not in html
    assert 'data-print="now"' in officer.get(f"/forms/receipt/{ticket['id']}?print=1").get_data(
        as_text=True
    )
    answer = officer.get(f"/forms/receipt/{ticket['id']}.docx")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].endswith("wordprocessingml.document")
    assert ticket["dossier_code"] in answer.headers["Content-Disposition"]
    text = docx_text(answer.data)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ LAI KHÊ",
        "BỘ PHẬN MỘT CỬA XÃ LAI KHÊ",  # the admin's issuing body, in capitals
        line,  # the legal reference the admin typed
        f"Số: {ticket['dossier_code']}",
        "Lai Khê, ngày 26 tháng 11 năm 2026",
        "Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
        "Dự thảo hợp đồng, giao dịch",
        "ngày 01 tháng 12 năm 2026",
        "09 giờ 00 phút, ngày 26 tháng 11 năm 2026",
        ticket["number"],
        "Giấy này được lập thành 02 bản",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Hoa",
    ):
        assert expected in text, expected
    assert "Nghị định số 118/2025" not in text  # the default line gave way to the admin's


def test_the_supplement_lists_every_missing_document_at_once(officer, finish):
    ticket = finish("supplement", missing_documents=MISSING)
    text = docx_text(officer.get(f"/forms/supplement/{ticket['id']}.docx").data)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"1. {MISSING[0]}" in text and f"2. {MISSING[1]}" in text
    assert "Lý do:" in text and "NGƯỜI HƯỚNG DẪN" in text
    assert "Nghị định số 118/2025/NĐ-CP" in text  # the default legal reference line
    assert officer.get(f"/forms/supplement/{ticket['id']}").status_code == 200


def test_the_refusal_gives_its_reason(officer, finish):
    ticket = finish("refused", reason=REFUSAL)
    text = docx_text(officer.get(f"/forms/refusal/{ticket['id']}.docx").data)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert REFUSAL in text
    assert REFUSAL in officer.get(f"/forms/refusal/{ticket['id']}").get_data(as_text=True)


def test_the_apology_is_the_dossiers_latest_with_its_new_date(officer, admin, finish, db):
    code = finish("appointment", due_date="2026-11-30")["dossier_code"]
    assert officer.get(f"/forms/apology/{code}").status_code == 404  # none yet
    apologize(db, code, "2026-12-02", "Chờ cơ quan khác phối hợp")
    apologize(db, code, "2026-12-04", "Hệ thống gặp sự cố", previous="2026-12-02")
    page = admin.get(f"/forms/apology/{code.lower()}")
    assert page.status_code == 200
    text = docx_text(officer.get(f"/forms/apology/{code}.docx").data)
    for expected in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        f"Số: {code}",
        "lời xin lỗi (lần 2)",
        "Chứng thực giao dịch liên quan đến tài sản",
        "Thời gian hẹn trả kết quả: ngày 30 tháng 11 năm 2026",
        "Thời gian đã hẹn lại lần trước: ngày 02 tháng 12 năm 2026",
        "Hệ thống gặp sự cố",
        "ngày 04 tháng 12 năm 2026",
        "Lai Khê, ngày 30 tháng 11 năm 2026",
        "GIÁM ĐỐC",
        "Nguyễn Văn An",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    assert "Chờ cơ quan khác phối hợp" not in text  # the earlier apology's reason


def test_forms_are_refused_as_pages(client, officer, finish):
    resolved = finish("resolved")
    appointment = finish("appointment", due_date="2026-12-01")
    anonymous = client.get(f"/forms/receipt/{appointment['id']}")
    assert anonymous.status_code == 401
    assert "Vui lòng đăng nhập" in anonymous.get_data(as_text=True)
    assert client.get(f"/forms/receipt/{appointment['id']}.docx").status_code == 401
    wrong = officer.get(f"/forms/refusal/{resolved['id']}")
    assert wrong.status_code == 409
    assert f"Phiếu {resolved['number']}" in wrong.get_data(as_text=True)
    assert officer.get(f"/forms/receipt/{resolved['id']}.docx").status_code == 409
    assert officer.get("/forms/receipt/khong-co").status_code == 404
    assert officer.get("/forms/apology/HS-000000-XXXX.docx").status_code == 404
    assert officer.get(f"/forms/poster/{appointment['id']}").status_code == 404
    assert "text/html" in officer.get("/forms/receipt/khong-co").headers["Content-Type"]
