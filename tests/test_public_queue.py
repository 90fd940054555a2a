"""The public queue (/hang-cho, GET /api/queue): what a citizen at home sees of today's line.

Per field: the numbers being served, how many wait, the wait a new ticket would have, and
whether a counter serves it at all; today's hours and no-appointment session; the checklists.
Public, so it carries ticket numbers only: never a ticket's id or key.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

FIELD = "chung-thuc"  # Chứng thực, letter A: counters 1 and 2
PROCEDURE = "chung-thuc-ban-sao"


def field_of(queue: dict, field_id: str = FIELD) -> dict:
    return next(field for field in queue["fields"] if field["id"] == field_id)


def test_each_field_shows_who_is_served_who_waits_and_how_long(client, officer, issue):
    tickets = [issue(PROCEDURE) for _ in range(3)]
    before = field_of(client.get("/api/queue").json)
    assert before["waiting"] == 3
    assert before["serving"] == [] and before["last_called"] is None
    assert before["line_state"] == "closed"  # nobody at a counter yet: no minutes promised
    assert before["estimated_wait_minutes"] is None

    called = officer.post("/api/counters/1/next").json
    assert called["number"] == tickets[0]["number"]
    after = field_of(client.get("/api/queue").json)
    assert after["serving"] == [tickets[0]["number"]]
    assert after["waiting"] == 2
    assert after["line_state"] == "open"
    low, high = after["estimated_wait_minutes"]
    assert 0 <= low < high

    officer.post(f"/api/tickets/{called['id']}/finish", json={"outcome": "resolved"})
    officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"})
    paused = field_of(client.get("/api/queue").json)
    assert paused["serving"] == [] and paused["last_called"] == tickets[0]["number"]
    assert paused["line_state"] == "paused" and paused["estimated_wait_minutes"] is None
    other = field_of(client.get("/api/queue").json, "ho-tich")
    assert other["waiting"] == 0 and other["line_state"] == "closed"


def test_the_page_is_rendered_whole_on_the_server(client, officer, issue):
    first = issue(PROCEDURE)
    officer.post("/api/counters/1/next")
    issue(PROCEDURE)
    page = client.get("/hang-cho").get_data(as_text=True)
    assert "Hàng chờ hôm nay" in page
    assert f'<dd class="serving">{first["number"]}</dd>' in page
    assert '<dd class="waiting">1 người</dd>' in page
    assert "Giờ làm việc hôm nay: 07:00–11:30, 13:30–17:00." in page
    # Thursday 09:00: the no-appointment session is open
    assert "Hôm nay là ngày “không hẹn”." in page and "trước 15:00" in page
    # the checklists, with the no-appointment tag
    assert "Thủ tục và giấy tờ cần mang" in page and "Không hẹn" in page
    assert "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao" in page
    # no font download, no Socket.IO client: the page stays light on a phone
    assert "socket.io" not in page and ".ttf" not in page


def test_a_holiday_says_so(client, db):
    db.execute("INSERT INTO calendar_days VALUES ('2026-11-26', 'holiday', 'Nghỉ bù')")
    page = client.get("/hang-cho").get_data(as_text=True)
    assert "Hôm nay nghỉ lễ: Nghỉ bù." in page
    assert "không hẹn" not in page.split("<main")[0]
    assert client.get("/api/queue").json["hours_today"] == []


def test_after_the_cut_off_the_page_says_the_promise_is_over(client, clock):
    clock.set(clock.now().replace(hour=15, minute=30))
    page = client.get("/hang-cho").get_data(as_text=True)
    assert "Đã quá 15:00: hồ sơ nhận từ bây giờ được hẹn trả như ngày thường." in page


def test_it_carries_numbers_only_never_a_ticket_id_or_key(client, officer, issue):
    tickets = [issue(PROCEDURE) for _ in range(2)]
    officer.post("/api/counters/1/next")
    answers = [
        client.get("/api/queue").get_data(as_text=True),
        client.get("/hang-cho").get_data(as_text=True),
        client.get("/hang-cho/nhung").get_data(as_text=True),
    ]
    for ticket in tickets:
        for answer in answers:
            assert ticket["id"] not in answer and ticket["key"] not in answer


def test_an_unchanged_line_is_a_304(client, issue, clock):
    first = client.get("/api/queue")
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    clock.set(clock.now() + timedelta(seconds=20))  # time passes, the line does not change
    again = client.get("/api/queue", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    issue(PROCEDURE)
    changed = client.get("/api/queue", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and field_of(changed.json)["waiting"] == 1


def test_only_the_embedded_view_may_be_framed_by_another_site(client):
    page = client.get("/hang-cho")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    embedded = client.get("/hang-cho/nhung")
    assert embedded.status_code == 200
    assert "frame-ancestors *" in embedded.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded.headers
    text = embedded.get_data(as_text=True)
    assert "Xem chi tiết thủ tục và giấy tờ cần mang" in text
    assert "<details" not in text  # compact: the checklists stay on the full page


@pytest.mark.parametrize(("asked", "used"), [("5", 5), ("1", 15), ("9999", 15), ("x", 15)])
def test_the_refresh_period_can_be_changed_within_bounds(client, asked, used):
    page = client.get(f"/hang-cho?refresh={asked}").get_data(as_text=True)
    assert f'data-refresh="{used}"' in page
