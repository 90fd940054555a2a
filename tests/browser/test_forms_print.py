"""The counter's four forms in Chromium against a real `motcua serve`: each prints on one A4
page, with the national header and the signature block (read back from the PDF).

Before the server starts, the services are played through the HTTP API of an in-process app
on the same database file, with a fixed clock (Thursday 26/11/2026): an appointment, a
supplement with its missing documents, a refusal with its reason, and an apology for the
appointment's dossier (written as the apology endpoint writes it).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from server import create_app
from server.clock import FixedClock
from server.storage.db import open_database
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import TZ
from tests.live_server import OFFICER_PASSWORD, LiveServer

THURSDAY = datetime(2026, 11, 26, 9, 20, tzinfo=TZ)
MISSING = ["Bản chính giấy tờ tùy thân để đối chiếu", "Văn bản ủy quyền có chứng thực"]
REFUSAL = "Tài sản đang bị kê biên, không đủ điều kiện chứng thực giao dịch."
APOLOGY = "Chờ cơ quan đăng ký đất đai xác nhận tình trạng thửa đất"
A4_SCREEN = {"width": 794, "height": 1123}  # 210 × 297 mm at 96 px per inch


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A server over a database holding the four services; the forms' paths by kind."""
    folder = tmp_path_factory.mktemp("forms")
    server = LiveServer(folder, open_every_day=False)
    app = create_app(
        {
            "database": folder / "motcua.db",
            "clock": FixedClock(THURSDAY),
            "async_mode": "threading",
            "printer": "none",
            "secret_key": "forms",
            "ticket_rate": 0,
            "TESTING": True,
        }
    )
    kiosk, officer = app.test_client(), app.test_client()
    login = {"username": "canbo", "password": OFFICER_PASSWORD}
    assert officer.post("/api/session", json=login).status_code == 200

    def finished(procedure: str, body: dict[str, Any]) -> dict[str, Any]:
        ticket = kiosk.post(
            "/api/tickets",
            json={"procedure_id": procedure, "documents_complete": True, "priority": None},
        ).json
        assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
        answer = officer.post(f"/api/tickets/{ticket['id']}/finish", json=body)
        assert answer.status_code == 200, answer.json
        return answer.json

    db = open_database(folder / "motcua.db")
    db.execute("UPDATE users SET full_name = 'Nguyễn Thị Hoa' WHERE username = 'canbo'")
    appointment = finished(
        "chung-thuc-giao-dich-tai-san", {"outcome": "appointment", "due_date": "2026-11-30"}
    )
    supplement = finished(
        "chung-thuc-di-chuc", {"outcome": "supplement", "missing_documents": MISSING}
    )
    refusal = finished("chung-thuc-giao-dich-tai-san", {"outcome": "refused", "reason": REFUSAL})
    code = appointment["dossier_code"]
    db.execute(
        """INSERT INTO dossier_apologies (dossier_code, apologized_at, officer_id, previous_date,
               new_due_date, days_late, reason)
           VALUES (?, '2026-11-30T15:10:00+07:00',
                   (SELECT id FROM users WHERE username = 'canbo'),
                   '2026-11-30', '2026-12-03', 3, ?)""",
        [code, APOLOGY],
    )
    db.conn.close()
    server.start()
    yield (
        server,
        {
            "receipt": f"/forms/receipt/{appointment['id']}",
            "supplement": f"/forms/supplement/{supplement['id']}",
            "refusal": f"/forms/refusal/{refusal['id']}",
            "apology": f"/forms/apology/{code}",
        },
    )
    server.stop()


def logged_in_page(open_page: Any, server: LiveServer, path: str, viewport: dict[str, int]) -> Page:
    page = open_page(f"{server.url}/", viewport)
    login = {"username": "canbo", "password": OFFICER_PASSWORD}
    assert page.request.post(f"{server.url}/api/session", data=login).ok
    page.goto(f"{server.url}{path}")
    page.evaluate("document.fonts.ready")
    return page


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count, and the text without any space: the PDF's text comes back cut where
    the font's Latin and Vietnamese subsets meet ("Nguy ễ n")."""
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), squeezed(text)


def squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("kind", ["receipt", "supplement", "refusal", "apology"])
def test_each_form_prints_on_one_a4_page_with_its_header_and_signature(open_page, served, kind):
    server, paths = served
    page = logged_in_page(open_page, server, paths[kind], A4_SCREEN)
    assert page.locator(".paper-tools").is_visible()
    # The page as it looks on screen at A4 size: docs/screenshots/form-<kind>.png.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("article.paper").screenshot(path=str(SCREENSHOTS / f"form-{kind}.png"))
    page.emulate_media(media="print")
    pages, words = pdf_text(page.pdf(format="A4", prefer_css_page_size=True))
    assert pages == 1, words
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Lai Khê, ngày",
    ):
        assert squeezed(expected) in words, (expected, words)
    assert squeezed("In giấy tờ") not in words  # the tools are not printed
    expected_by_kind = {
        "receipt": ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
                    "ngày 30 tháng 11 năm 2026", "Nguyễn Thị Hoa"],
        "supplement": ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "NGƯỜI HƯỚNG DẪN", *MISSING],
        "refusal": ["PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", REFUSAL],
        "apology": ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "GIÁM ĐỐC", "Nguyễn Văn An",
                    "ngày 03 tháng 12 năm 2026", APOLOGY],
    }  # fmt: skip
    for expected in expected_by_kind[kind]:
        assert squeezed(expected) in words, (expected, words)
