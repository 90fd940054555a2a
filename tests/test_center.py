"""The center's hours, today's no-appointment session and default appointment dates."""

from datetime import date, datetime

import pytest

from server.errors import CatalogError
from server.setup.catalog import parse_catalog
from server.setup.workdays import CenterCalendar
from tests.conftest import TZ

WEEKDAYS_ONLY = {day: ["07:00-11:30", "13:30-17:00"] for day in range(5)}


def calendar(holidays=(), working_days=()) -> CenterCalendar:
    return CenterCalendar(
        WEEKDAYS_ONLY,
        frozenset({3}),
        datetime(2026, 1, 1, 15, 0).time(),
        {day: "Nghỉ lễ" for day in holidays},
        {day: "Làm bù" for day in working_days},
    )


@pytest.mark.parametrize(
    ("moment", "open_now", "no_appointment_open"),
    [
        (datetime(2026, 11, 26, 9, 0), True, True),  # Thursday morning
        (datetime(2026, 11, 26, 12, 0), False, True),  # lunch break, before the cut-off
        (datetime(2026, 11, 26, 15, 30), True, False),  # open, but after 15:00
        (datetime(2026, 11, 28, 9, 0), False, False),  # Saturday
        (datetime(2026, 11, 27, 6, 59), False, False),  # Friday before opening
    ],
)
def test_what_the_kiosk_is_told(client, clock, moment, open_now, no_appointment_open):
    clock.set(moment.replace(tzinfo=TZ))
    center = client.get("/api/center").json
    assert center["name"] == "Trung tâm phục vụ Hành chính công xã Lai Khê"
    assert center["open_now"] is open_now
    assert center["no_appointment_open"] is no_appointment_open
    assert center["opening_hours"]["mon"] == ["07:00-11:30", "13:30-17:00"]
    assert "sat" not in center["opening_hours"]


def test_thursday_is_named(client):
    center = client.get("/api/center").json
    assert (center["weekday"], center["no_appointment_day"]) == ("Thứ Năm", True)
    assert center["no_appointment_until"] == "15:00"
    assert center["priorities"][0]["name"] == "Người cao tuổi (từ 60 tuổi)"


@pytest.mark.parametrize(
    ("day", "working_days", "expected"),
    [
        (date(2026, 11, 26), 0, date(2026, 11, 27)),  # same-day procedure: next working day
        (date(2026, 11, 26), 2, date(2026, 11, 30)),  # Thu + 2 working days skips the weekend
        (date(2026, 11, 27), 7, date(2026, 12, 8)),
    ],
)
def test_due_dates_count_working_days(day, working_days, expected):
    assert calendar().due_date_after(day, working_days) == expected


def test_holidays_are_skipped_and_swapped_working_days_count():
    friday, saturday, monday = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)
    assert calendar([friday]).due_date_after(date(2026, 11, 26), 1) == monday
    assert calendar([friday], [saturday]).due_date_after(date(2026, 11, 26), 1) == saturday
    assert calendar([], [saturday]).is_working_day(saturday)
    assert not calendar([friday]).is_working_day(friday)


def test_a_thursday_holiday_has_no_no_appointment_session():
    thursday = date(2026, 11, 26)
    assert calendar().is_no_appointment_day(thursday)
    holiday = calendar([thursday])
    assert not holiday.is_no_appointment_day(thursday)
    assert not holiday.is_open(datetime(2026, 11, 26, 9, 0))
    assert not holiday.no_appointment_open(datetime(2026, 11, 26, 9, 0))


def test_a_holiday_in_the_database_closes_the_kiosk_and_takes_no_appointment_away(client, db):
    db.execute("INSERT INTO calendar_days VALUES ('2026-11-26', 'holiday', 'Nghỉ bù')")
    center = client.get("/api/center").json
    assert (center["open_now"], center["no_appointment_day"]) == (False, False)
    assert center["holiday"] == "Nghỉ bù"
    procedures = {p["id"]: p for p in client.get("/api/procedures").json}
    assert procedures["chung-thuc-di-chuc"]["default_due_date"] == "2026-11-30"
    ticket = client.post(
        "/api/tickets", json={"procedure_id": "chung-thuc-ban-sao", "documents_complete": True}
    ).json
    assert ticket["no_appointment"] is False


def test_the_admins_no_appointment_choice_overrides_the_environment(client, db):
    db.execute("INSERT INTO settings VALUES ('no_appointment_days', 'tue')")
    db.execute("INSERT INTO settings VALUES ('no_appointment_until', '10:00')")
    center = client.get("/api/center").json
    assert center["no_appointment_days"] == ["tue"]
    assert center["no_appointment_day"] is False
    assert center["no_appointment_until"] == "10:00"


def test_catalog_holidays_are_checked():
    import yaml

    from server.settings import DEFAULT_CATALOG

    data = yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    assert parse_catalog(data).calendar_days[0].name == "Tết Dương lịch"
    data["center"]["holidays"] = [{"date": "01/01/2027", "name": "Tết"}]
    with pytest.raises(CatalogError, match="YYYY-MM-DD"):
        parse_catalog(data)


def test_procedures_carry_their_default_due_date(client):
    procedures = {p["id"]: p for p in client.get("/api/procedures").json}
    assert procedures["chung-thuc-di-chuc"]["default_due_date"] == "2026-11-30"


@pytest.mark.parametrize(
    "hours", [{"thursday": ["07:00-11:30"]}, {"mon": ["7h-11h"]}, {"mon": "07:00-11:30"}]
)
def test_bad_opening_hours_are_refused(hours):
    import yaml

    from server.settings import DEFAULT_CATALOG

    data = yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    data["center"]["opening_hours"] = hours
    with pytest.raises(CatalogError, match="opening_hours"):
        parse_catalog(data)
