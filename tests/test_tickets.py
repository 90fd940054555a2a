"""Issuing: numbers per field and day, the no-appointment rule, idempotency, bad input."""

from datetime import datetime, time

import pytest

from tests.conftest import TZ

NO_APPOINTMENT = "chung-thuc-ban-sao"  # Chứng thực (A), eligible on Thursdays
ORDINARY = "chung-thuc-di-chuc"  # Chứng thực (A), not eligible
CIVIL = "khai-tu"  # Hộ tịch (B), eligible


def count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_each_field_has_its_own_letter_and_sequence(issue):
    numbers = [issue(NO_APPOINTMENT)["number"], issue(CIVIL)["number"], issue(ORDINARY)["number"]]
    assert numbers == ["A001", "B001", "A002"]


def test_after_999_the_number_grows_a_digit(issue, db):
    issue()
    db.execute("UPDATE day_numbers SET last_number = 998 WHERE letter = 'A'")
    assert [issue()["number"], issue()["number"]] == ["A999", "A1000"]


def test_numbers_restart_at_local_midnight(issue, clock):
    clock.set(datetime(2026, 11, 26, 23, 58, tzinfo=TZ))
    assert [issue()["number"], issue()["number"]] == ["A001", "A002"]
    clock.set(datetime(2026, 11, 27, 0, 1, tzinfo=TZ))
    friday = issue()
    assert friday["number"] == "A001"
    assert friday["day"] == "2026-11-27"


def test_utc_midnight_is_not_a_new_day(issue, clock):
    """07:00 in Hà Nội is 00:00 UTC: the local day, and its numbering, go on."""
    clock.set(datetime(2026, 11, 26, 6, 59, tzinfo=TZ))
    assert issue()["number"] == "A001"
    clock.set(datetime(2026, 11, 26, 7, 1, tzinfo=TZ))
    second = issue()
    assert second["number"] == "A002"
    assert second["issued_at"] == "2026-11-26T07:01:00+07:00"


def test_ticket_ids_are_opaque(issue):
    first, second = issue(), issue()
    assert len(first["id"]) >= 16
    assert first["id"] != second["id"]
    assert "A001" not in first["id"]


@pytest.mark.parametrize(
    ("moment", "procedure", "complete", "expected"),
    [
        (datetime(2026, 11, 26, 9, 0), NO_APPOINTMENT, True, True),
        (datetime(2026, 11, 26, 14, 59), CIVIL, True, True),
        (datetime(2026, 11, 26, 9, 0), NO_APPOINTMENT, False, False),  # dossier incomplete
        (datetime(2026, 11, 26, 9, 0), ORDINARY, True, False),  # procedure not eligible
        (datetime(2026, 11, 26, 15, 0), NO_APPOINTMENT, True, False),  # after the cut-off
        (datetime(2026, 11, 25, 9, 0), NO_APPOINTMENT, True, False),  # a Wednesday
    ],
)
def test_the_no_appointment_rule(issue, clock, moment, procedure, complete, expected):
    clock.set(moment.replace(tzinfo=TZ))
    assert issue(procedure, documents_complete=complete)["no_appointment"] is expected


class TestOtherNoAppointmentDays:
    @pytest.fixture
    def app_config(self, app_config):
        return {
            **app_config,
            "no_appointment_days": frozenset({2}),
            "no_appointment_until": time(16, 0),
        }

    def test_settings_move_the_day_and_the_cut_off(self, issue, clock, client):
        clock.set(datetime(2026, 11, 25, 15, 30, tzinfo=TZ))  # Wednesday, before 16:00
        assert issue()["no_appointment"] is True
        assert client.get("/api/stats/today").json["no_appointment_day"] is True
        clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=TZ))  # Thursday is ordinary now
        assert issue()["no_appointment"] is False
        assert client.get("/api/stats/today").json["no_appointment_day"] is False


def test_a_repeated_idempotency_key_returns_the_same_ticket(client, db):
    body = {"procedure_id": NO_APPOINTMENT, "documents_complete": True, "priority": None}
    headers = {"Idempotency-Key": "kiosk-1-7f3a"}
    first = client.post("/api/tickets", json=body, headers=headers)
    again = client.post("/api/tickets", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert again.json["number"] == "A001"
    assert count(db, "tickets") == 1
    assert count(db, "ticket_events") == 1


def test_a_reused_key_with_another_request_is_refused(client, db):
    headers = {"Idempotency-Key": "kiosk-1-7f3a"}
    client.post(
        "/api/tickets",
        json={"procedure_id": NO_APPOINTMENT, "documents_complete": True},
        headers=headers,
    )
    other = client.post(
        "/api/tickets", json={"procedure_id": CIVIL, "documents_complete": True}, headers=headers
    )
    assert other.status_code == 409
    assert other.json["error"]["code"] == "idempotency_key_reused"
    assert count(db, "tickets") == 1


def test_the_same_key_the_next_day_is_a_new_ticket(client, clock):
    body = {"procedure_id": NO_APPOINTMENT, "documents_complete": True}
    headers = {"Idempotency-Key": "kiosk-1-0001"}
    first = client.post("/api/tickets", json=body, headers=headers)
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=TZ))
    second = client.post("/api/tickets", json=body, headers=headers)
    assert second.status_code == 201
    assert second.json["id"] != first.json["id"]


def test_priority_is_kept(issue):
    assert issue(priority="elderly")["priority"] == "elderly"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"procedure_id": "khong-co", "documents_complete": True}, 404, "procedure_not_found"),
        (
            {"procedure_id": NO_APPOINTMENT, "documents_complete": True, "priority": "vip"},
            400,
            "invalid_priority",
        ),
        ({"procedure_id": NO_APPOINTMENT}, 400, "missing_field"),
        ({"procedure_id": NO_APPOINTMENT, "documents_complete": "yes"}, 400, "invalid_field"),
        ({"procedure_id": 7, "documents_complete": True}, 400, "invalid_field"),
        ({"procedure_id": "x" * 5000, "documents_complete": True}, 400, "invalid_field"),
        ([1, 2], 400, "invalid_body"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(client, db, body, status, code):
    response = client.post("/api/tickets", json=body)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert count(db, "tickets") == 0
    assert count(db, "day_numbers") == 0


def test_a_body_that_is_not_json_is_refused(client, db):
    response = client.post("/api/tickets", data="procedure_id=a", content_type="text/plain")
    assert response.status_code == 400
    assert "JSON" in response.json["error"]["message"]
    assert count(db, "tickets") == 0


def test_a_huge_body_is_refused(client, db):
    body = '{"procedure_id": "' + "x" * 200_000 + '", "documents_complete": true}'
    response = client.post("/api/tickets", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["message"] == "Dữ liệu gửi lên quá lớn."
    assert count(db, "tickets") == 0


def test_an_unknown_ticket_is_404(client):
    response = client.get("/api/tickets/khong-co-phieu-nay")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "Không tìm thấy phiếu này."


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "ticket_rate": 3}

    def test_a_client_taking_too_many_tickets_is_slowed_down(self, client, db):
        body = {"procedure_id": NO_APPOINTMENT, "documents_complete": True}
        statuses = [client.post("/api/tickets", json=body).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        refused = client.post("/api/tickets", json=body)
        assert refused.json["error"]["code"] == "too_many_tickets"
        assert int(refused.headers["Retry-After"]) > 0
        assert count(db, "tickets") == 3
        other_kiosk = client.post(
            "/api/tickets", json=body, environ_base={"REMOTE_ADDR": "10.0.0.9"}
        )
        assert other_kiosk.status_code == 201
