"""Booked times: the slots each field offers, booking one with consent, a name and a phone,
the officers' list, checking in at the kiosk, and deleting the personal data after N days.

The clock stands on Thursday 26/11/2026 09:00; the demo center opens Monday to Friday,
07:00-11:30 and 13:30-17:00.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from server.cli import start_booking_purge
from server.line.bookings import purge_bookings
from server.line.dossiers import CODE_ALPHABET
from server.storage.db import open_database
from tests.conftest import TZ
from tests.live_server import LiveServer

COPY = "chung-thuc-ban-sao"  # field chung-thuc (A)
WILL = "chung-thuc-di-chuc"  # the same field: it shares the slots' places
BIRTH = "khai-sinh"  # field ho-tich: no booking unless the admin sets it
FRIDAY = "2026-11-27"
NAME, PHONE = "Nguyễn Thị Lan", "0912345678"


@pytest.fixture
def bookable(admin: Any) -> None:
    """Chứng thực takes two citizens per 30-minute slot."""
    response = admin.put(
        "/api/admin/remote",
        json={"fields": {"chung-thuc": {"booking_capacity": 2, "booking_slot_minutes": 30}}},
    )
    assert response.status_code == 200, response.json


def slots(client: Any, day: str = FRIDAY, procedure: str = COPY) -> Any:
    return client.get(f"/api/slots?date={day}&procedure_id={procedure}")


def book(client: Any, **body: Any) -> Any:
    payload = {
        "procedure_id": COPY,
        "date": FRIDAY,
        "start": "07:00",
        "name": NAME,
        "phone": PHONE,
        "consent": True,
    }
    return client.post("/api/bookings", json={**payload, **body})


def count(db: Any, sql: str = "SELECT count(*) FROM bookings") -> int:
    return db.execute(sql).fetchone()[0]


def at(clock: Any, day: str, hour: int, minute: int = 0) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=TZ))


def test_a_days_slots_cover_the_opening_sessions(bookable, client):
    friday = slots(client).json
    assert len(friday) == 9 + 7  # 07:00..11:00 and 13:30..16:30
    assert friday[0] == {"start": "07:00", "end": "07:30", "free": 2}
    assert friday[8] == {"start": "11:00", "end": "11:30", "free": 2}
    assert friday[9]["start"] == "13:30"
    assert friday[-1] == {"start": "16:30", "end": "17:00", "free": 2}


def test_today_offers_only_the_slots_not_yet_begun(bookable, client):
    today = slots(client, "2026-11-26").json  # 09:00 now: 09:00 has begun
    assert [slot["start"] for slot in today][:3] == ["09:30", "10:00", "10:30"]
    assert len(today) == 4 + 7


def test_a_longer_slot_ends_inside_its_session(admin, client):
    admin.put(
        "/api/admin/remote",
        json={"fields": {"chung-thuc": {"booking_capacity": 1, "booking_slot_minutes": 45}}},
    )
    morning = [s["start"] for s in slots(client).json if s["start"] < "12:00"]
    assert morning == ["07:00", "07:45", "08:30", "09:15", "10:00", "10:45"]


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2026-11-28", "a Saturday"),
        ("2026-11-25", "yesterday"),
        ("2026-12-04", "past the 5 working days ahead (27, 30, 1, 2, 3)"),
    ],
)
def test_days_without_slots(bookable, client, day, why):
    assert slots(client, day).json == [], why


def test_the_last_working_day_ahead_has_slots(bookable, client):
    assert len(slots(client, "2026-12-03").json) == 16


def test_a_holiday_has_no_slots_and_the_window_moves_past_it(bookable, admin, client):
    holiday = {"day": FRIDAY, "kind": "holiday", "name": "Nghỉ bù"}
    assert admin.post("/api/admin/calendar", json=holiday).status_code == 201
    assert slots(client).json == []
    assert len(slots(client, "2026-12-04").json) == 16  # now the fifth working day
    assert book(client).json["error"]["code"] == "slot_unavailable"
    days = client.get(f"/api/booking-days?procedure_id={COPY}").json
    assert [d["date"] for d in days["days"]] == [
        "2026-11-26", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04",
    ]  # fmt: skip
    assert days["days"][0]["free"] == 2 * 11
    assert "đặt lịch" in days["order_rule"]


def test_a_field_without_capacity_takes_no_booking(bookable, client, db):
    assert slots(client, procedure=BIRTH).json == []
    assert client.get(f"/api/booking-days?procedure_id={BIRTH}").json["days"] == []
    refused = book(client, procedure_id=BIRTH)
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "booking_off")
    assert count(db) == 0


@pytest.mark.parametrize(
    ("query", "status"),
    [
        (f"date=27/11/2026&procedure_id={COPY}", 400),
        (f"date=2026-02-30&procedure_id={COPY}", 400),
        (f"procedure_id={COPY}", 400),
        ("date=2026-11-27", 400),
        ("date=2026-11-27&procedure_id=khong-co", 404),
    ],
)
def test_a_bad_slots_query(bookable, client, query, status):
    response = client.get(f"/api/slots?{query}")
    assert response.status_code == status
    assert set(response.json["error"]) == {"code", "message"}


def test_a_booking_answers_its_code_and_slot_only(bookable, client, db):
    response = book(client)
    assert response.status_code == 201, response.json
    booking = response.json
    letters = f"[{CODE_ALPHABET}]"
    assert re.fullmatch(f"DL-{letters}{{4}}-{letters}{{2}}", booking["code"])
    assert {key: booking[key] for key in ("procedure_id", "date", "start", "end")} == {
        "procedure_id": COPY,
        "date": FRIDAY,
        "start": "07:00",
        "end": "07:30",
    }
    assert (booking["check_in_from"], booking["check_in_until"]) == ("06:30", "07:15")
    text = response.get_data(as_text=True)
    assert NAME not in text and PHONE not in text
    stored = db.execute("SELECT name, phone, status FROM bookings").fetchone()
    assert stored == (NAME, PHONE, "booked")


def test_places_are_the_fields_and_a_full_slot_is_refused(bookable, app, client, db):
    assert book(client, phone="0911111111").status_code == 201
    assert book(client, procedure_id=WILL, phone="0922222222").status_code == 201
    assert slots(client).json[0]["free"] == 0
    assert slots(client, procedure=WILL).json[0]["free"] == 0
    full = book(client, phone="0933333333")
    assert (full.status_code, full.json["error"]["code"]) == (409, "slot_full")
    assert count(db) == 2
    assert slots(client).json[1]["free"] == 2


@pytest.mark.parametrize("consent", [None, False, "true", 1, "có"])
def test_consent_must_be_exactly_true(bookable, client, db, consent):
    body = {"consent": consent} if consent is not None else {"consent": None}
    refused = book(client, **body)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "consent_required"
    assert "đồng ý" in refused.json["error"]["message"]
    assert count(db) == 0


def test_consent_absent_is_refused(bookable, client, db):
    body = {"procedure_id": COPY, "date": FRIDAY, "start": "07:00", "name": NAME, "phone": PHONE}
    refused = client.post("/api/bookings", json=body)
    assert refused.json["error"]["code"] == "consent_required"


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("912345678", None),
        ("09123456789", None),
        ("091234567", None),
        ("+8412345678", None),
        ("+1 212 555 0100", None),
        ("số điện thoại", None),
    ],
)
def test_the_phone_is_a_vietnamese_number(bookable, client, db, phone, stored):
    response = book(client, phone=phone)
    if stored is None:
        assert (response.status_code, response.json["error"]["code"]) == (400, "invalid_phone")
        assert count(db) == 0
    else:
        assert response.status_code == 201
        assert db.execute("SELECT phone FROM bookings").fetchone()[0] == stored


@pytest.mark.parametrize("name", ["A", " ", "x" * 101, "Lan\x00"])
def test_the_name_is_2_to_100_characters(bookable, client, db, name):
    response = book(client, name=name)
    assert response.status_code == 400
    assert count(db) == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"start": "07:10"}, "slot_unavailable"),  # not a slot's start
        ({"start": "12:00"}, "slot_unavailable"),  # lunch
        ({"date": "2026-11-26", "start": "08:00"}, "slot_unavailable"),  # begun today
        ({"date": "2026-11-28"}, "slot_unavailable"),  # Saturday
    ],
)
def test_only_a_slot_on_offer_is_booked(bookable, client, change, code, db):
    response = book(client, **change)
    assert (response.status_code, response.json["error"]["code"]) == (409, code)
    assert count(db) == 0


def test_at_most_two_bookings_per_phone_a_day(bookable, client, db):
    assert book(client, start="07:00").status_code == 201
    assert book(client, start="07:30", phone="+84912345678").status_code == 201
    third = book(client, start="08:00", phone="091 234 5678")
    assert (third.status_code, third.json["error"]["code"]) == (409, "booking_limit_reached")
    assert "27/11/2026" in third.json["error"]["message"]
    assert book(client, date="2026-11-30").status_code == 201  # another day
    assert book(client, start="08:00", phone="0987654321").status_code == 201  # another phone
    assert count(db) == 4


class TestBookingIsRateLimited:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "ticket_rate": 2}

    def test_per_address(self, bookable, client):
        statuses = [book(client, start=start).status_code for start in ("07:00", "07:30")]
        statuses.append(book(client, start="08:00", phone="0987654321").status_code)
        assert statuses == [201, 201, 429]


def test_officers_list_the_days_bookings_with_name_and_phone(bookable, client, officer, admin):
    code = book(client).json["code"]
    book(client, start="13:30", name="Trần Văn Bình", phone="0987654321")
    listed = officer.get(f"/api/bookings?date={FRIDAY}")
    assert listed.status_code == 200
    first = listed.json[0]
    assert (first["code"], first["name"], first["phone"], first["status"]) == (
        code, NAME, PHONE, "booked",
    )  # fmt: skip
    assert [b["start"] for b in listed.json] == ["07:00", "13:30"]
    assert listed.json[0]["ticket_number"] is None
    assert officer.get("/api/bookings").json == []  # today by default: none today
    assert client.get(f"/api/bookings?date={FRIDAY}").status_code == 401
    assert officer.get("/api/bookings?date=hom-nay").status_code == 400


def test_check_in_issues_the_booked_ticket_with_its_receipt(bookable, client, clock, db, officer):
    code = book(client).json["code"]
    at(clock, FRIDAY, 6, 45)
    response = client.post(f"/api/bookings/{code}/check-in")
    assert response.status_code == 201, response.json
    ticket = response.json
    assert ticket["channel"] == "booking"
    assert ticket["key"]
    assert ticket["procedure_id"] == COPY
    assert ticket["booked_start"] == "07:00"
    assert ticket["line_at"] == "2026-11-27T07:00:00+07:00"
    assert ticket["issued_at"] == "2026-11-27T06:45:00+07:00"
    assert count(db, "SELECT count(*) FROM print_jobs WHERE kind = 'ticket'") == 1
    listed = officer.get(f"/api/bookings?date={FRIDAY}").json[0]
    assert (listed["status"], listed["ticket_number"]) == ("checked_in", ticket["number"])
    assert listed["checked_in_at"] == "2026-11-27T06:45:00+07:00"
    twice = client.post(f"/api/bookings/{code}/check-in")
    assert (twice.status_code, twice.json["error"]["code"]) == (409, "booking_checked_in")
    assert count(db, "SELECT count(*) FROM tickets") == 1


def test_check_in_takes_the_kiosks_answers(bookable, client, clock):
    code = book(client).json["code"]
    at(clock, FRIDAY, 7, 0)
    body = {"documents_complete": True, "priority": "elderly"}
    ticket = client.post(f"/api/bookings/{code}/check-in", json=body).json
    assert (ticket["documents_complete"], ticket["priority"]) == (True, "elderly")


@pytest.mark.parametrize(
    ("moment", "status", "code"),
    [
        ((FRIDAY, 6, 29), 409, "booking_too_early"),
        ((FRIDAY, 6, 30), 201, None),  # 30 minutes before
        ((FRIDAY, 7, 15), 201, None),  # 15 minutes after
        ((FRIDAY, 7, 16), 409, "booking_too_late"),
        (("2026-11-26", 7, 0), 409, "booking_too_early"),  # the day before
        (("2026-11-30", 7, 0), 409, "booking_too_late"),  # the next working day
    ],
)
def test_the_check_in_window(bookable, client, clock, db, moment, status, code):
    booked = book(client).json["code"]
    at(clock, *moment)
    looked_up = client.get(f"/api/bookings/{booked}")  # what the kiosk asks before the checklist
    response = client.post(f"/api/bookings/{booked}/check-in")
    assert response.status_code == status, response.json
    assert looked_up.status_code == 200
    assert looked_up.json["check_in"] == (response.json["error"] if code else None)
    if code:
        assert response.json["error"]["code"] == code
        assert count(db, "SELECT count(*) FROM tickets") == 0
        assert count(db, "SELECT count(*) FROM bookings WHERE status = 'booked'") == 1


def test_the_code_is_read_in_any_case_with_or_without_dashes(bookable, client, clock):
    code = book(client).json["code"]
    at(clock, FRIDAY, 7, 0)
    typed = code.lower().replace("-", "")
    assert client.post(f"/api/bookings/{typed}/check-in").status_code == 201


@pytest.mark.parametrize("code", ["DL-AAAA-AA", "khong-co", "x" * 300])
def test_an_unknown_code_is_404(bookable, client, code):
    for response in (
        client.post(f"/api/bookings/{code}/check-in"),
        client.get(f"/api/bookings/{code}"),
    ):
        assert (response.status_code, response.json["error"]["code"]) == (404, "booking_not_found")


def test_the_kiosk_looks_a_booking_up_before_asking_its_checklist(bookable, client, clock):
    code = book(client).json["code"]
    at(clock, FRIDAY, 7, 0)
    booking = client.get(f"/api/bookings/{code.lower()}").json
    assert (booking["code"], booking["procedure_id"], booking["status"]) == (code, COPY, "booked")
    assert booking["documents"] and booking["check_in"] is None
    assert NAME not in json.dumps(booking, ensure_ascii=False)
    client.post(f"/api/bookings/{code}/check-in", json={"documents_complete": True})
    again = client.get(f"/api/bookings/{code}").json
    assert again["status"] == "checked_in"
    assert again["check_in"]["code"] == "booking_checked_in"


def test_name_and_phone_appear_in_no_public_answer_event_or_report(
    bookable, app, client, clock, admin, socket_client, db
):
    lobby, screen = socket_client("display"), socket_client("counter:1")
    code = book(client).json["code"]
    at(clock, FRIDAY, 7, 0)
    ticket = client.post(f"/api/bookings/{code}/check-in").json
    phone_page = socket_client(f"ticket:{ticket['key']}")
    officer = app.test_client()
    officer.post("/api/session", json={"username": "canbo", "password": "mat-khau-thu-nghiem"})
    called = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{called['id']}/finish", json={"outcome": "resolved"})
    seen: list[Any] = [ticket, called]
    for path in (
        f"/api/slots?date={FRIDAY}&procedure_id={COPY}",
        f"/api/booking-days?procedure_id={COPY}",
        f"/api/bookings/{code}",
        "/api/stats/today",
        f"/api/tickets/{ticket['key']}",
        "/api/procedures",
        f"/api/reports/summary?from={FRIDAY}&to={FRIDAY}",
        f"/api/reports/summary?from={FRIDAY}&to={FRIDAY}&format=csv",
    ):
        seen.append(admin.get(path).get_data(as_text=True))
    seen.append(officer.get("/api/counters/1/state").json)
    for connection in (lobby, screen, phone_page):
        seen += [event["args"] for event in connection.get_received()]
    seen += [row[0] for row in db.execute("SELECT payload FROM ticket_events")]
    seen += [row for row in db.execute("SELECT * FROM tickets")]
    text = json.dumps(seen, ensure_ascii=False, default=str)
    assert NAME not in text
    assert PHONE not in text and "912345678" not in text


def test_bookings_are_deleted_n_days_after_their_day(bookable, client, clock, db, admin):
    code = book(client).json["code"]
    at(clock, FRIDAY, 7, 0)
    ticket = client.post(f"/api/bookings/{code}/check-in").json
    book(client, date="2026-11-30", start="13:30")
    at(clock, "2026-12-27", 9)  # Friday + 30 days: still kept
    assert purge_bookings(db, clock, app_settings(client)) == 0
    at(clock, "2026-12-28", 9)  # + 31 days
    assert purge_bookings(db, clock, app_settings(client)) == 1
    assert [row[0] for row in db.execute("SELECT day FROM bookings")] == ["2026-11-30"]
    assert db.execute("SELECT 1 FROM tickets WHERE id = ?", [ticket["id"]]).fetchone()
    admin.put("/api/admin/remote", json={"booking_retention_days": 7})
    assert purge_bookings(db, clock, app_settings(client)) == 1
    assert count(db) == 0


def app_settings(client: Any) -> Any:
    return client.application.extensions["motcua"].settings


def test_the_server_purges_at_start_and_every_hour(bookable, app, client, clock, db):
    book(client)
    at(clock, "2027-01-05", 9)
    book(client, date="2027-01-05", start="13:30")
    clock.set(clock.now() + timedelta(days=40))
    realtime = app.extensions["motcua"].realtime
    tasks: list[Any] = []
    naps: list[float] = []

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) > 1:
            raise Stop

    socketio = SimpleNamespace(start_background_task=tasks.append, sleep=sleep)
    fake = SimpleNamespace(settings=realtime.settings, clock=clock, socketio=socketio)
    start_booking_purge(fake)
    assert count(db) == 0  # at start, before serving
    assert len(tasks) == 1
    book_directly(db, "2026-01-01")
    with pytest.raises(Stop):
        tasks[0]()
    assert naps == [3600, 3600]
    assert count(db) == 0  # the hourly pass


def book_directly(db: Any, day: str) -> None:
    db.execute(
        """INSERT INTO bookings (code, procedure_id, day, slot_start, slot_end, name, phone,
               booked_at) VALUES ('DL-AAAA-AA', ?, ?, '07:00', '07:30', ?, ?, ?)""",
        [COPY, day, NAME, PHONE, f"{day}T06:00:00+07:00"],
    )
    db.conn.commit()


def test_motcua_serve_purges_old_bookings_when_it_starts(tmp_path):
    server = LiveServer(tmp_path)
    db = open_database(tmp_path / "motcua.db")
    try:
        book_directly(db, "2020-01-01")
        server.start()
        assert count(db) == 0
    finally:
        server.stop()
        db.conn.close()


def test_field_slots_are_set_by_the_admin_and_audited(admin, db):
    setup = admin.get("/api/admin/remote").json
    assert setup["fields"][0] == {
        "id": "chung-thuc",
        "name": "Chứng thực",
        "booking_capacity": 0,
        "booking_slot_minutes": 30,
    }
    for fields, code in (
        ({"khong-co": {"booking_capacity": 1}}, "invalid_fields"),
        ({"chung-thuc": {"booking_capacity": -1}}, "invalid_booking_capacity"),
        ({"chung-thuc": {"booking_slot_minutes": 4}}, "invalid_booking_slot_minutes"),
        ({"chung-thuc": {"booking_slot_minutes": 241}}, "invalid_booking_slot_minutes"),
        ({"chung-thuc": {"seats": 3}}, "unknown_key"),
        ({"chung-thuc": 3}, "invalid_body"),
    ):
        refused = admin.put("/api/admin/remote", json={"fields": fields})
        assert refused.json["error"]["code"] == code, fields
    saved = admin.put(
        "/api/admin/remote", json={"fields": {"ho-tich": {"booking_capacity": 3}}}
    ).json
    assert next(f for f in saved["fields"] if f["id"] == "ho-tich")["booking_capacity"] == 3
    entry = admin.get("/api/admin/audit").json[0]
    assert entry["action"] == "remote.update"
    assert list(entry["after"]) == ["fields"]
