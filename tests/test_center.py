"""The center's hours, today's no-appointment session and default appointment dates."""

from datetime import date, datetime

import pytest

from server.catalog import parse_catalog
from server.center import due_date_after
from server.errors import CatalogError
from tests.conftest import TZ

WEEKDAYS_ONLY = {day: ["07:00-11:30", "13:30-17:00"] for day in range(5)}


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
    assert due_date_after(day, working_days, WEEKDAYS_ONLY) == expected


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
