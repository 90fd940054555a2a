"""The province's pages and files at the hub: a real PostgreSQL, a real hub process, centers
sending made-up days (tests/hub_facts.py) over HTTP. The dashboard's figures are the
summary's, the ranking follows its formula, silent centers say how long, the files hold
every center, the letterhead is the department's."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
import requests
from openpyxl import load_workbook

from server.reporting.formatting import number
from tests.hub_facts import register_and_send
from tests.live_server import LiveHub, fresh_database

PASSWORD = "so-lieu-cua-tinh-2026"
DAYS = [date(2026, 11, day) for day in (2, 3, 4, 5, 6)]
MONTH = {"period": "2026-11"}
# id → (name, quality of service, sends)
CENTERS = {
    "tot": ("Trung tâm xã Tốt", 0.95, True),
    "vua": ("Trung tâm xã Vừa", 0.6, True),
    "lang": ("Trung tâm xã Lặng", 0.8, True),
    "moi": ("Trung tâm xã Mới", 0.8, False),
}


@pytest.fixture(scope="module")
def hub(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    """One hub with four centers: two sending, one silent for 3 days 5 hours since it last
    sent, one never sent."""
    database = fresh_database(postgres_url, "hub_pages")
    live = LiveHub(tmp_path_factory.mktemp("hub-pages"), database)
    live.run("user", "add", "tinh", stdin=f"{PASSWORD}\n")
    live.start()
    register_and_send(live, CENTERS, DAYS, 120)
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(
            "UPDATE centers SET last_received_at = now() - interval '3 days 5 hours 10 minutes'"
            " WHERE id = 'lang'"
        )
    yield live
    live.stop()


@pytest.fixture(scope="module")
def reader(hub: LiveHub) -> requests.Session:
    return hub.login("tinh", PASSWORD)


def summary(reader: requests.Session, hub: LiveHub) -> dict[str, Any]:
    response = reader.get(f"{hub.url}/api/hub/summary", params=MONTH, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(html: str) -> str:
    """The page's text as a browser lays it out: inline tags (a link, a span) join their
    neighbours, other tags separate words."""
    inline = re.sub(r"</?(?:a|span|strong|em)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def test_anonymous_visitors_get_the_login_form(hub: LiveHub) -> None:
    for path in ("/", "/tinh", "/trung-tam/tot"):
        response = requests.get(f"{hub.url}{path}", timeout=10)
        assert response.status_code == 401
        assert "Đăng nhập để xem số liệu của tỉnh" in response.text
    response = requests.get(f"{hub.url}/api/hub/province-report", params=MONTH, timeout=10)
    assert response.status_code == 401


def test_the_dashboard_shows_every_center_ranked_by_the_written_formula(
    hub: LiveHub, reader: requests.Session
) -> None:
    page = reader.get(f"{hub.url}/", params=MONTH, timeout=30)
    assert page.status_code == 200
    html = page.text
    assert "Tháng 11 năm 2026" in html
    figures = summary(reader, hub)
    rows = re.findall(r'<tr data-center="([a-z]+)"', html)
    # Tốt serves best, Vừa worst; Lặng went silent after November: its month is whole and
    # ranked; Mới never sent: unranked, after the ranked.
    assert rows == ["tot", "lang", "vua", "moi"]
    for center in figures["centers"]:
        row = html.split(f'data-center="{center["id"]}"')[1].split("</tr>")[0]
        assert f"<td>{number(center['totals']['issued'])}</td>" in row
    tot = html.split('data-center="tot"')[1].split("</tr>")[0]
    assert '<td class="rank">1</td>' in tot
    assert "Điểm xếp hạng trung tâm (thang 100) = 40 × tỷ lệ hồ sơ trả trước hạn" in html
    province = html.split("<tfoot>")[1]
    assert f"<td>{number(figures['totals']['issued'])}</td>" in province


def test_a_silent_center_says_for_how_long(hub: LiveHub, reader: requests.Session) -> None:
    text = text_of(reader.get(f"{hub.url}/", params=MONTH, timeout=30).text)
    assert "Trung tâm xã Lặng: Chưa gửi số liệu 3 ngày 5 giờ" in text
    assert "Trung tâm xã Mới: Chưa gửi số liệu lần nào" in text
    assert "Trung tâm xã Tốt: Chưa gửi" not in text
    # For days since its silence began, Lặng's figures may be missing: it is not ranked.
    today = date.today()
    recent = {"from": f"{today - timedelta(days=10):%d/%m/%Y}", "to": f"{today:%d/%m/%Y}"}
    html = reader.get(f"{hub.url}/", params=recent, timeout=30).text
    lang = html.split('data-center="lang"')[1].split("</tr>")[0]
    assert '<td class="rank">—</td>' in lang and "Chưa gửi số liệu 3 ngày 5 giờ" in lang


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"day": "03/11/2026"}, "Ngày 03/11/2026"),
        ({"period": "2026-Q4"}, "Quý IV năm 2026"),
        ({"from": "02/11/2026", "to": "04/11/2026"}, "Từ ngày 02/11/2026 đến ngày 04/11/2026"),
    ],
)
def test_a_day_a_quarter_and_a_range(
    hub: LiveHub, reader: requests.Session, query: dict[str, str], label: str
) -> None:
    page = reader.get(f"{hub.url}/", params=query, timeout=30)
    assert page.status_code == 200
    assert f'id="review-period">{label}<' in page.text


def test_a_bad_period_shows_the_chooser_and_the_error(
    hub: LiveHub, reader: requests.Session
) -> None:
    page = reader.get(f"{hub.url}/", params={"day": "31/11/2026"}, timeout=30)
    assert page.status_code == 400
    assert 'id="period-error"' in page.text and "Ngày không hợp lệ" in page.text


def test_the_workbook_has_a_row_per_center_and_the_province(
    hub: LiveHub, reader: requests.Session
) -> None:
    response = reader.get(
        f"{hub.url}/api/hub/province-report", params={**MONTH, "format": "xlsx"}, timeout=30
    )
    assert response.status_code == 200
    assert "bao-cao-tinh-2026-11-01-2026-11-30.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Các trung tâm"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["tot", "lang", "vua", "moi", None]
    figures = summary(reader, hub)
    issued = [cell.value for cell in sheet[2]].index("Phiếu đã cấp")
    assert rows[-1][issued] == figures["totals"]["issued"]
    assert rows[-1][2] == "Toàn tỉnh"


def test_the_report_is_the_departments_with_its_letterhead(
    hub: LiveHub, reader: requests.Session
) -> None:
    change = {
        "governing_body": "Ủy ban nhân dân tỉnh Đồng Nai",
        "place": "Đồng Nai",
        "signer_name": "Trần Thị B",
        "issuer_name": "Sở Nội vụ tỉnh Đồng Nai",
    }
    response = reader.put(f"{hub.url}/api/hub/letterhead", json=change, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["symbol"] == "SNV"
    refused = reader.put(f"{hub.url}/api/hub/letterhead", json={"symbol": "snv x"}, timeout=10)
    assert refused.status_code == 400
    assert reader.get(f"{hub.url}/api/hub/letterhead", timeout=10).json()["symbol"] == "SNV"
    response = reader.get(
        f"{hub.url}/api/hub/province-report", params={**MONTH, "format": "docx"}, timeout=30
    )
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    for text in (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
        "SỞ NỘI VỤ",
        "/BC-SNV",
        "Trần Thị B",
        "Sở Nội vụ tỉnh Đồng Nai báo cáo",
        "Trung tâm xã Tốt",
        "tháng 11 năm 2026",
    ):
        assert text in xml, text  # fmt: skip
    wrong = reader.get(f"{hub.url}/api/hub/province-report", params={**MONTH, "format": "pdf"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid_format"


def test_a_center_page_is_that_centers_report_at_the_hub(
    hub: LiveHub, reader: requests.Session
) -> None:
    report = reader.get(f"{hub.url}/api/hub/centers/tot/report", params=MONTH, timeout=30)
    assert report.status_code == 200, report.text
    figures = report.json()
    page = reader.get(f"{hub.url}/trung-tam/tot", params=MONTH, timeout=30)
    assert page.status_code == 200
    html = page.text
    assert "Trung tâm xã Tốt" in html and "Báo cáo tháng 11 năm 2026" in html
    for indicator in figures["indicators"]:
        assert f'data-key="{indicator["key"]}"' in html
    fields_total = html.split('id="fields"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    assert f"<td>{number(figures['totals']['issued'])}</td>" in fields_total
    silent = text_of(reader.get(f"{hub.url}/trung-tam/lang", params=MONTH, timeout=30).text)
    assert "Chưa gửi số liệu 3 ngày 5 giờ." in silent
    never = text_of(reader.get(f"{hub.url}/trung-tam/moi", params=MONTH, timeout=30).text)
    assert "Chưa gửi số liệu lần nào." in never
    missing = reader.get(f"{hub.url}/trung-tam/khong-co", params=MONTH, timeout=30)
    assert missing.status_code == 404
