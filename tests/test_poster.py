"""The no-appointment poster (/khong-hen): rendered from the catalog and the center's calendar,
escaped, and telling the weekdays and the cut-off."""

import json
import re
from datetime import time
from html import unescape

import pytest

NO_APPOINTMENT = [
    "chung-thuc-ban-sao",
    "chung-thuc-chu-ky",
    "cap-ban-sao-so-goc",
    "khai-sinh",
    "khai-tu",
    "ban-sao-trich-luc-ho-tich",
    "cap-lai-gcn-ho-kinh-doanh",
]


def poster(client):
    response = client.get("/khong-hen")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def listed(page):
    return re.findall(r'data-procedure-id="([^"]+)"', page)


def text(page):
    """The page's words, without tags and with spaces collapsed."""
    inline = re.sub(r"</?(?:strong|span)\b[^>]*>", "", page)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def test_it_lists_exactly_the_no_appointment_procedures_with_their_facts(client):
    page = poster(client)
    procedures = client.get("/api/procedures").json
    eligible = [p for p in procedures if p["no_appointment"]]
    assert listed(page) == [p["id"] for p in eligible] == NO_APPOINTMENT
    words = text(page)
    assert "7 thủ tục áp dụng" in words
    for procedure in eligible:
        assert procedure["short_name"] in words
        for document in procedure["documents"]:
            assert document in words
        assert procedure["legal_time"] in words
        assert procedure["fee"] in words
    assert "Đăng ký kết hôn" not in words  # not a no-appointment procedure


def test_it_shows_the_center_the_day_the_cut_off_and_the_promise(client):
    words = text(poster(client))
    assert "Trung tâm phục vụ Hành chính công xã Lai Khê" in words
    assert "Ngày Thứ Năm không hẹn" in words
    assert "Thứ Năm hằng tuần, nhận hồ sơ đến 15:00" in words
    assert "Hồ sơ đầy đủ, hợp lệ — nhận kết quả ngay trong ngày" in words
    assert "Cập nhật ngày 26/11/2026" in words


def test_it_links_the_portal_for_the_qr_code(client):
    page = poster(client)
    assert 'data-url="https://dichvucong.gov.vn"' in page
    assert "dichvucong.gov.vn" in text(page)
    assert "<script>" not in page  # no inline script: poster.js draws the QR code


def test_it_follows_the_catalog(client, db):
    db.execute(
        """INSERT INTO procedures (id, code, field_id, name, short_name, legal_time,
               processing_days, service_minutes, no_appointment, fee, documents, position)
           VALUES ('thu-nghiem', NULL, 'ho-tich', ?, ?, 'Trong ngày', 0, 5, 1,
                   'Miễn phí', ?, 99)""",
        [
            "<script>alert('xss')</script> Thủ tục thử",
            "<b>Thủ tục thử</b>",
            json.dumps(["<img src=x onerror=alert(1)> Tờ khai"]),
        ],
    )
    db.execute("UPDATE procedures SET no_appointment = 0 WHERE id = 'khai-tu'")
    page = poster(client)
    assert "thu-nghiem" in listed(page)
    assert "khai-tu" not in listed(page)
    assert "<script>alert" not in page
    assert "<b>Thủ tục thử" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Thủ tục thử&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; Tờ khai" in page


class TestTwoDaysAnotherCutOff:
    @pytest.fixture
    def app_config(self, app_config):
        return {
            **app_config,
            "no_appointment_days": frozenset({1, 3}),
            "no_appointment_until": time(14, 30),
        }

    def test_it_names_every_day_and_the_cut_off(self, client):
        words = text(poster(client))
        assert "Thứ Ba và Thứ Năm hằng tuần, nhận hồ sơ đến 14:30" in words
        assert "Ngày không hẹn" in words
        assert "Hồ sơ nhận sau 14:30 được trả kết quả vào ngày làm việc tiếp theo" in words
