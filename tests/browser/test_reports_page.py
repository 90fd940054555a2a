"""The evaluation page /reports in Chromium against a real `motcua serve`.

Before the server starts, a month of activity (tests/test_reports_month.py's Activity: the
last October week and November 2026) is played through the HTTP API of an in-process app on
the same database file, with a fixed clock. The server itself runs on the machine's clock.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from server import create_app
from server.clock import FixedClock
from server.reporting.ranking import rank_officers
from server.storage.db import open_database
from tests.browser.conftest import SCREENSHOTS, screenshot, serious_accessibility_violations
from tests.live_server import ADMIN_PASSWORD, OFFICER_PASSWORD, USERS, LiveServer
from tests.test_reports_month import (
    END_OF_PLAY,
    FULL_NAMES,
    NOVEMBER,
    PLAYED,
    Activity,
    expected_rows,
)

REVIEW = {"width": 1280, "height": 900}
A4_CONTENT = {"width": 624, "height": 971}  # inside Decree 30's margins (165 × 257 mm)
A4_PAGE = {"width": 794, "height": 1123}  # the whole sheet at 96 dpi
TITLE = "BÁO CÁO Kết quả thực hiện mô hình “Ngày Thứ năm không hẹn” tháng 11 năm 2026"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Activity]]:
    """A server over a database holding the played month (Thursdays only, as shipped)."""
    folder = tmp_path_factory.mktemp("reports")
    server = LiveServer(folder, open_every_day=False)
    clock = FixedClock(END_OF_PLAY)
    app = create_app(
        {
            "database": folder / "motcua.db",
            "clock": clock,
            "async_mode": "threading",
            "printer": "none",
            "secret_key": "played-month",
            "ticket_rate": 0,
            "TESTING": True,
        }
    )
    passwords = {name: password for name, _, password in USERS}
    staff = {}
    for username in ("canbo", "canbo2", "quantri"):
        staff[username] = app.test_client()
        body = {"username": username, "password": passwords[username]}
        assert staff[username].post("/api/session", json=body).status_code == 200
    activity = Activity(app.test_client(), staff, clock).play(PLAYED)
    db = open_database(folder / "motcua.db")
    for username, full_name in FULL_NAMES.items():
        db.execute("UPDATE users SET full_name = ? WHERE username = ?", [full_name, username])
    db.conn.close()
    server.start()
    yield server, activity
    server.stop()


def log_in(page: Page, username: str, password: str) -> None:
    page.set_default_timeout(5000)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")


def share_text(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "\u00a0%"


def test_an_officer_is_told_the_page_is_not_for_them(played, open_page):
    live, _ = played
    page = open_page(f"{live.url}/reports", REVIEW)
    expect(page.locator("#login-form")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    log_in(page, "canbo", "sai-mat-khau")
    expect(page.locator("#message")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    log_in(page, "canbo", OFFICER_PASSWORD)
    expect(page.locator("h1")).to_have_text("Tài khoản của bạn không có quyền xem báo cáo.")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "reports-forbidden")
    page.click("#switch-account")
    expect(page.locator("#login-form")).to_be_visible()


def test_the_admin_reads_the_month_review(played, open_page):
    live, activity = played
    page = open_page(f"{live.url}/reports?period=2026-11", REVIEW)
    log_in(page, "quantri", ADMIN_PASSWORD)
    expect(page.locator("#review-title")).to_have_text(TITLE)
    expect(page.locator("#review-period")).to_have_text("Tháng 11 năm 2026")
    expect(page.locator(".review-head .opening")).to_contain_text(
        "Trung tâm phục vụ Hành chính công xã Lai Khê báo cáo kết quả thực hiện"
    )

    month = expected_rows(activity.visits, *NOVEMBER, lambda visit: 1)[1]
    october = expected_rows(activity.visits, date(2026, 10, 1), date(2026, 10, 31), lambda v: 1)[1]

    def headline(key: str) -> str:
        return page.locator(f".headline[data-key='{key}'] .headline-value").inner_text()

    assert headline("no_appointment_issued") == str(month["no_appointment_issued"])
    assert headline("no_appointment_resolved") == str(month["no_appointment_resolved"])
    assert headline("no_appointment_rate") == share_text(
        month["no_appointment_resolved"], month["no_appointment_finished"]
    )
    on_time = month["dossiers_early"] + month["dossiers_on_time"]
    assert headline("on_time_share") == share_text(on_time, on_time + month["dossiers_late"])
    assert headline("online_help") == str(month["online_help"])
    change = page.locator(".headline[data-key='no_appointment_issued'] .headline-change")
    difference = month["no_appointment_issued"] - october["no_appointment_issued"]
    expect(change).to_contain_text(f"▲ Tăng {difference}")
    expect(change).to_contain_text(f"(kỳ trước: {october['no_appointment_issued']})")

    thursdays = page.locator("#no-appointment-days tbody th")
    expect(thursdays).to_have_text([f"Thứ Năm, {day:02d}/11/2026" for day in (5, 12, 19, 26)])
    # quantri holds counters 3 and 6 in the played month (an officer holds one counter at a
    # time, and transfers go to a counter someone is at): enough services to be ranked
    report = page.request.get(f"{live.url}/api/reports/summary?period=2026-11").json()
    ranked, _ = rank_officers(report["officers"])
    ranking = [score.name for score in ranked]
    assert sorted(ranking) == sorted(["Nguyễn Thị Lan", "Trần Văn Minh", "quantri"])
    assert [score.score for score in ranked] == sorted((s.score for s in ranked), reverse=True)
    expect(page.locator("#ranking tbody th")).to_have_text(ranking)
    expect(page.locator("#ranking-formula")).to_contain_text("Điểm thi đua (thang 100) = 40 ×")
    expect(page.locator("#unranked")).to_have_count(0)
    expect(page.locator("svg.chart")).to_have_count(2)
    csv_link = page.locator("#download-csv")
    assert csv_link.get_attribute("href") == "/api/reports/summary?period=2026-11&format=csv"
    assert page.request.get(f"{live.url}/api/reports/summary?period=2026-11").ok

    assert serious_accessibility_violations(page) == []
    screenshot(page, "reports-evaluation-top")
    page.screenshot(path=str(SCREENSHOTS / "reports-evaluation.png"), full_page=True)
    # On paper: the width inside Decree 30's margins (210 − 30 − 15 mm ≈ 624 px), no chrome.
    page.emulate_media(media="print")
    page.set_viewport_size(A4_CONTENT)
    expect(page.locator(".chooser")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT["width"]
    page.screenshot(path=str(SCREENSHOTS / "reports-evaluation-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (SCREENSHOTS / "reports-evaluation.pdf").write_bytes(pdf)
    # pypdf reads a letter with its diacritics apart ("Ủ Y BAN"): compare without spaces.
    pages = ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]

    def on(page_text: str, *texts: str) -> bool:
        return all("".join(text.split()) in page_text for text in texts)

    assert len(pages) >= 2
    assert on(pages[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi", "/BC-")
    assert re.search(r"LaiKhê,ngày\d{2}tháng\d{1,2}năm\d{4}", pages[0])  # the server's day
    # The signature block is not alone: its page also holds the last lines before it.
    assert on(pages[-1], "Nơi nhận", "Trên đây là báo cáo", "Đề xuất, kiến nghị")
    # The first printed page as a picture: the sheet with its margins, in print media.
    page.set_viewport_size(A4_PAGE)
    page.evaluate("document.body.style.padding = '20mm 15mm 20mm 30mm'")
    page.screenshot(path=str(SCREENSHOTS / "report-a4-page1.png"))


def test_the_admin_types_a_range_day_first(played, open_page):
    live, _ = played
    page = open_page(f"{live.url}/reports?period=2026-11", REVIEW)
    log_in(page, "quantri", ADMIN_PASSWORD)
    expect(page.locator("#choose-from")).to_have_value("01/11/2026")
    page.fill("#choose-from", "2/11/2026")
    page.fill("#choose-to", "15/11/2026")
    page.click("text=Xem khoảng này")
    expect(page.locator(".review-dates")).to_contain_text("Từ ngày 02/11/2026 đến ngày 15/11/2026")
    expect(page.locator("#choose-to")).to_have_value("15/11/2026")

    page.fill("#choose-from", "31/11/2026")
    page.click("text=Xem khoảng này")
    expect(page.locator("#period-error")).to_have_text(
        "Ngày không hợp lệ: '31/11/2026'. Nhập ngày dạng ngày/tháng/năm, ví dụ 01/11/2026."
    )
