"""The evaluation page /reports (server-rendered), its formatting and charts, and the
overdue dossiers endpoint."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from server.reporting.charts import Series, grouped_bars, horizontal_bars
from server.reporting.formatting import decimal, duration, number, percent
from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"
TITLE = "Kết quả thực hiện mô hình “Ngày Thứ năm không hẹn”"


def test_anonymous_visitors_get_the_login_form(client):
    response = client.get("/reports?period=2026-11")
    assert response.status_code == 401
    page = response.data.decode()
    assert 'id="login-form"' in page
    assert "Đăng nhập để xem báo cáo" in page
    assert TITLE not in page


def test_officers_are_refused_with_a_page(officer):
    response = officer.get("/reports")
    assert response.status_code == 403
    page = response.data.decode()
    assert "Tài khoản của bạn không có quyền xem báo cáo." in page
    assert 'id="switch-account"' in page


def test_admins_see_this_month_by_default(admin):
    response = admin.get("/reports")
    assert response.status_code == 200
    page = response.data.decode()
    assert TITLE in page
    assert "Trung tâm phục vụ Hành chính công xã Lai Khê" in page
    assert f"{TITLE} tháng 11 năm 2026" in page
    assert 'id="review-period">Tháng 11 năm 2026</p>' in page
    assert "So sánh với kỳ trước: Tháng 10 năm 2026" in page
    assert '<option value="2026-11" selected>Tháng 11 năm 2026</option>' in page
    assert 'href="/api/reports/summary?period=2026-11&amp;format=csv"' in page
    assert 'href="/api/reports/summary?period=2026-11&amp;format=xlsx"' in page
    assert 'href="/api/reports/summary?period=2026-11&amp;format=docx"' in page
    assert "Tải báo cáo (DOCX)" in page


def test_a_quarter_and_a_range(admin):
    quarter = admin.get("/reports?period=2026-Q4").data.decode()
    assert "Quý IV năm 2026" in quarter
    assert "So sánh với kỳ trước: Quý III năm 2026" in quarter
    assert '<option value="2026-Q4" selected>' in quarter
    span = admin.get("/reports?from=2026-11-02&to=2026-11-15").data.decode()
    assert "Từ ngày 02/11/2026 đến ngày 15/11/2026" in span
    assert "from=2026-11-02&amp;to=2026-11-15&amp;format=csv" in span
    assert 'id="choose-from" name="from" value="02/11/2026"' in span


def test_a_range_is_typed_day_first_as_in_vietnam(admin):
    """The range fields read and show 02/11/2026 as 2 November, whatever the PC's language."""
    typed = admin.get("/reports?from=2/11/2026&to=15.11.2026").data.decode()
    assert "Từ ngày 02/11/2026 đến ngày 15/11/2026" in typed
    assert 'id="choose-to" name="to" value="15/11/2026"' in typed


@pytest.mark.parametrize(
    "query",
    ["period=2026-13", "from=2026-11-30&to=2026-11-01", "from=x", "from=31/11/2026&to=01/12/2026"],
)
def test_a_bad_period_shows_the_chooser_and_the_error(admin, query):
    response = admin.get(f"/reports?{query}")
    assert response.status_code == 400
    page = response.data.decode()
    assert 'id="period-error"' in page
    assert 'id="choose-month"' in page
    assert TITLE not in page


def test_the_page_escapes_what_it_shows(admin, db):
    db.execute("UPDATE settings SET value = 'Trung tâm <b>Lai Khê</b>' WHERE key = 'center_name'")
    db.execute("UPDATE users SET full_name = '<script>x</script>' WHERE username = 'canbo'")
    page = admin.get("/reports").data.decode()
    assert "Trung tâm &lt;b&gt;Lai Khê&lt;/b&gt;" in page
    assert "<b>Lai Khê</b>" not in page


def test_the_page_shows_the_month_figures(admin, officer, issue, client, clock):
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=TZ))
    tickets = [issue(COPY) for _ in range(3)]
    for index, ticket in enumerate(tickets):
        clock.set(datetime(2026, 11, 26, 8, 10 + 5 * index, tzinfo=TZ))
        officer.post("/api/counters/1/next")
        clock.advance(minutes=3)
        outcome = "resolved" if index < 2 else "supplement"
        officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome})
    client.post(f"/api/tickets/{tickets[0]['key']}/rating", json={"rating": "very_satisfied"})
    page = admin.get("/reports?period=2026-11").data.decode()
    assert '<p class="headline-value">66,7\u00a0%</p>' in page  # 2 of 3 resolved
    assert "trên 3 phiếu không hẹn đã phục vụ xong" in page
    assert "Thứ Năm, 26/11/2026" in page
    assert page.count("<svg") == 2
    assert "▲" in page  # October had nothing
    # Every rate with its numerator and denominator; the indicators with their formula.
    assert '<p class="headline-of">2/3</p>' in page
    assert "2/3 · 66,7 %" in page  # the same-day rate in the tables
    assert '<p class="headline-of">1/1</p>' in page  # one rating, very satisfied
    assert page.count('class="indicator"') == 6
    assert (
        "Cách tính:</span> (Số hồ sơ giải quyết trước hạn + Số hồ sơ giải quyết đúng hạn)" in page
    )
    assert "Quyết định số 766/QĐ-TTg" in page


def test_the_page_is_an_administrative_report(admin, db):
    """National header, number for the clerk, place and date, "Kính gửi", the dossier table,
    "Nơi nhận" and the signer, from the admin's letterhead."""
    letterhead = admin.get("/api/admin/paperwork").json
    page = admin.get("/reports?period=2026-11").data.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Độc lập - Tự do - Hạnh phúc" in page
    assert letterhead["issuing_body"].upper() in page
    assert f"/BC-{letterhead['symbol']}</td>" in page
    assert f"{letterhead['place']}, ngày 26 tháng 11 năm 2026" in page
    assert "Kính gửi:" in page
    assert 'id="dossier-table"' in page and "Kỳ trước chuyển qua" in page
    assert "Nơi nhận:" in page
    assert letterhead["signer_title"].upper() in page
    assert "VII. Đề xuất, kiến nghị" in page


def test_numbers_are_written_the_vietnamese_way():
    assert number(1234567) == "1.234.567"
    assert number(None) == "—"
    assert decimal(1234.56) == "1.234,6"
    assert percent(0.8134) == "81,3\u00a0%"
    assert percent(1) == "100,0\u00a0%"
    assert duration(447) == "7 phút 27 giây"
    assert duration(45) == "45 giây"
    assert duration(3900) == "1 giờ 5 phút"
    assert duration(120) == "2 phút"


def test_the_charts_are_escaped_well_formed_svg():
    bars = grouped_bars(
        'Phiếu <không hẹn> & "đã cấp"',
        ["05/11", "<12/11>"],
        [Series("Đã cấp", [10, 7], "bar-issued"), Series("Giải <b>", [8, 7], "bar-resolved")],
    )
    horizontal = horizontal_bars("Hồ sơ", [("Trước hạn", 3, "bar-early"), ("Quá <hạn>", 0, "x")])
    for svg in (bars, horizontal):
        root = ElementTree.fromstring(svg)  # well-formed: every text escaped
        assert root.get("role") == "img"
    assert "&lt;không hẹn&gt; &amp; &quot;đã cấp&quot;" in bars
    assert "<b>" not in bars and "<12/11>" not in bars
    assert ElementTree.fromstring(bars).get("aria-label") == 'Phiếu <không hẹn> & "đã cấp"'
    empty = grouped_bars("Trống", [], [Series("Đã cấp", [], "bar-issued")])
    ElementTree.fromstring(empty)


def appointment(officer, issue, clock, day, due):
    clock.set(datetime.combine(day, datetime.min.time(), TZ).replace(hour=9))
    ticket = issue(COPY)
    officer.post("/api/counters/1/next")
    clock.advance(minutes=5)
    body = {"outcome": "appointment", "due_date": due}
    return officer.post(f"/api/tickets/{ticket['id']}/finish", json=body).json


def test_overdue_dossiers_count_working_days(officer, issue, clock, db, client):
    from datetime import date

    late = appointment(officer, issue, clock, date(2026, 11, 16), "2026-11-20")  # a Friday
    later = appointment(officer, issue, clock, date(2026, 11, 17), "2026-11-24")
    returned = appointment(officer, issue, clock, date(2026, 11, 18), "2026-11-19")
    appointment(officer, issue, clock, date(2026, 11, 19), "2026-11-26")  # due today: not late
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=TZ))
    officer.post(f"/api/dossiers/{returned['dossier_code']}/return")
    db.execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES ('2026-11-25', 'holiday', 'Nghỉ')"
    )
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))
    assert client.get("/api/dossiers/overdue").status_code == 401
    overdue = officer.get("/api/dossiers/overdue").json
    assert [row["code"] for row in overdue] == [late["dossier_code"], later["dossier_code"]]
    first = overdue[0]
    assert first["number"] == late["number"]
    assert first["procedure_name"] == "Chứng thực bản sao từ bản chính"
    assert first["received_at"] == "2026-11-16T09:05:00+07:00"
    assert first["due_date"] == "2026-11-20"
    # Mon 23, Tue 24, (Wed 25 a holiday), Thu 26: 3 working days; 6 calendar days.
    assert (first["days_overdue"], first["calendar_days_overdue"]) == (3, 6)
    assert (overdue[1]["days_overdue"], overdue[1]["calendar_days_overdue"]) == (1, 2)
    assert first["officer_name"] == "canbo"
    assert first["counter_name"] == "Quầy 1 — Chứng thực"


@pytest.mark.parametrize("highest", [0, 1, 3, 7, 8, 10, 13, 26, 47, 100, 347, 1234])
def test_the_chart_axis_has_whole_evenly_spaced_ticks(highest):
    """0, 2, 4, 6, 8, 10 — never 0, 2, 5, 8, 10: each gridline the same step above the last,
    the top a multiple of the step and not below the tallest bar."""
    svg = grouped_bars("Trục", ["05/11", "12/11"], [Series("Đã cấp", [highest, 1], "bar-issued")])
    root = ElementTree.fromstring(svg)
    labels = [
        node.text
        for node in root.iter("{http://www.w3.org/2000/svg}text")
        if node.get("class") == "axis" and node.get("text-anchor") == "end"
    ]
    ticks = [int(label.replace(".", "")) for label in labels]
    steps = {later - earlier for earlier, later in itertools.pairwise(ticks)}
    assert ticks[0] == 0 and len(steps) == 1, ticks
    step = steps.pop()
    assert str(step).rstrip("0") in ("1", "2", "5"), ticks
    assert ticks[-1] >= highest and ticks[-1] % step == 0
    assert ticks[-1] - step < max(highest, 1), ticks  # no empty band at the top
    assert 2 <= len(ticks) <= 6
