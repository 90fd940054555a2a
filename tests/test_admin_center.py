"""The admin's center and calendar: name, hours, no-appointment weekdays and cut-off, holidays
and swapped working days — and what the kiosk is told right after."""

import pytest


def page_changes(admin):
    """The audit log, newest first, without the entries of the test accounts themselves
    (added the one way accounts are, audited as made from the command line)."""
    return [entry for entry in admin.get("/api/admin/audit").json if entry["username"]]


def test_the_center_as_in_force(admin):
    assert admin.get("/api/admin/center").json == {
        "name": "Trung tâm phục vụ Hành chính công xã Lai Khê",
        "portal_url": "https://dichvucong.gov.vn",
        "opening_hours": {
            day: ["07:00-11:30", "13:30-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")
        },
        "no_appointment_days": ["thu"],
        "no_appointment_until": "15:00",
    }


def test_saved_choices_override_the_environment_and_reach_the_kiosk(admin, client, db):
    saved = admin.put(
        "/api/admin/center",
        json={
            "name": "  Trung tâm phục vụ Hành chính công phường Tân Hưng ",
            "opening_hours": {"sat": ["07:30-11:30"], "mon": ["13:30-17:00", "07:00-11:30"]},
            "no_appointment_days": ["fri", "tue"],
            "no_appointment_until": "14:30",
        },
    )
    assert saved.status_code == 200
    center = client.get("/api/center").json
    assert center["name"] == "Trung tâm phục vụ Hành chính công phường Tân Hưng"
    assert center["opening_hours"] == {
        "mon": ["07:00-11:30", "13:30-17:00"],
        "sat": ["07:30-11:30"],
    }
    assert (center["no_appointment_days"], center["no_appointment_day"]) == (["tue", "fri"], False)
    assert center["no_appointment_until"] == "14:30"
    assert center["open_now"] is False  # a Thursday, closed now
    entry = page_changes(admin)[0]
    assert entry["action"] == "center.update"
    assert entry["before"]["no_appointment_days"] == ["thu"]
    assert entry["after"]["no_appointment_days"] == ["tue", "fri"]
    assert set(entry["after"]) == {
        "name",
        "opening_hours",
        "no_appointment_days",
        "no_appointment_until",
    }


@pytest.mark.parametrize(
    ("body", "code", "named"),
    [
        ({"no_appointment_until": "25:00"}, "invalid_no_appointment_until", "25:00"),
        ({"no_appointment_until": "3pm"}, "invalid_no_appointment_until", "3pm"),
        ({"no_appointment_days": ["thursday"]}, "invalid_no_appointment_days", "thursday"),
        ({"opening_hours": {"mon": ["7h-11h"]}}, "invalid_opening_hours", "7h-11h"),
        ({"opening_hours": {"mon": ["11:30-07:00"]}}, "invalid_opening_hours", "11:30-07:00"),
        ({"opening_hours": {"mon": ["07:00-12:00", "11:00-17:00"]}}, "invalid_opening_hours",
         "11:00-17:00"),
        ({"opening_hours": {"mon-fri": ["07:00-11:30"]}}, "invalid_opening_hours", "mon-fri"),
        ({"portal_url": "dichvucong.gov.vn"}, "invalid_portal_url", "dichvucong.gov.vn"),
        ({"name": ""}, "invalid_name", "Tên trung tâm"),
    ],
)  # fmt: skip
def test_bad_center_values_are_refused_whole(admin, client, body, code, named):
    refused = admin.put("/api/admin/center", json={"portal_url": "https://example.vn", **body})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == code
    assert named in refused.json["error"]["message"]
    assert client.get("/api/center").json["portal_url"] == "https://dichvucong.gov.vn"
    assert page_changes(admin) == []


def test_a_holiday_turns_todays_session_off_and_moves_due_dates(admin, client):
    center = client.get("/api/center").json
    assert (center["no_appointment_day"], center["no_appointment_open"]) == (True, True)
    due = {p["id"]: p["default_due_date"] for p in client.get("/api/procedures").json}
    assert due["giam-ho"] == "2026-12-01"  # 3 working days after Thursday 26/11
    for day, name in (("2026-11-26", "Nghỉ bù"), ("2026-11-27", "Nghỉ lễ")):
        added = admin.post(
            "/api/admin/calendar", json={"day": day, "kind": "holiday", "name": name}
        )
        assert added.status_code == 201
    center = client.get("/api/center").json
    assert center["holiday"] == "Nghỉ bù"
    assert (center["no_appointment_day"], center["no_appointment_open"]) == (False, False)
    assert center["open_now"] is False
    moved = {p["id"]: p["default_due_date"] for p in client.get("/api/procedures").json}
    assert moved["giam-ho"] == "2026-12-02"
    assert moved["chung-thuc-ban-sao"] == "2026-11-30"  # same-day: the next working day


def test_a_swapped_working_day_counts_for_due_dates(admin, client):
    admin.post(
        "/api/admin/calendar", json={"day": "2026-11-28", "kind": "working", "name": "Làm bù"}
    )
    due = {p["id"]: p["default_due_date"] for p in client.get("/api/procedures").json}
    assert due["chung-thuc-ban-sao"] == "2026-11-27"
    assert due["giam-ho"] == "2026-11-30"  # Fri, Sat (worked), Mon


@pytest.mark.parametrize(
    ("body", "status", "code", "named"),
    [
        ({"day": "2027-01-01", "kind": "holiday", "name": "Tết"}, 409, "day_taken", "01/01/2027"),
        ({"day": "2026-02-30", "kind": "holiday", "name": "Tết"}, 400, "invalid_day", "2026-02-30"),
        ({"day": "30/4/2026", "kind": "holiday", "name": "Lễ"}, 400, "invalid_day", "30/4/2026"),
        ({"day": "2026-04-30", "kind": "nghi", "name": "Lễ"}, 400, "invalid_kind", "nghi"),
        ({"day": "2026-04-30", "kind": "holiday"}, 400, "invalid_name", "Tên ngày"),
    ],
)  # fmt: skip
def test_calendar_days_are_real_unique_dates(admin, body, status, code, named):
    refused = admin.post("/api/admin/calendar", json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (status, code)
    assert named in refused.json["error"]["message"]
    assert [entry["day"] for entry in admin.get("/api/admin/calendar").json] == ["2027-01-01"]


def test_a_calendar_day_is_changed_and_removed_with_its_audit(admin):
    changed = admin.put("/api/admin/calendar/2027-01-01", json={"name": "Tết Dương lịch 2027"})
    assert changed.json == {"day": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch 2027"}
    assert admin.delete("/api/admin/calendar/2027-01-01").status_code == 204
    assert admin.delete("/api/admin/calendar/2027-01-01").status_code == 404
    actions = [entry["action"] for entry in page_changes(admin)]
    assert actions == ["calendar.delete", "calendar.update"]


def test_the_center_change_is_announced(admin, socket_client):
    screen = socket_client("display")
    screen.get_received()
    admin.put("/api/admin/center", json={"name": "Trung tâm mới"})
    received = screen.get_received()
    assert {"name": "setup_changed", "args": [{"what": "center"}], "namespace": "/"} in received
