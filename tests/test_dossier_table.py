"""The report's dossier table (Circular 01/2020/TT-VPCP) and indicators (Decision
766/QĐ-TTg), against a generated list of tickets and dossiers over two months: the test
plays it through the API (fixed seed and clock) and computes every cell from its own list."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import TZ, logged_in
from tests.test_reports_month import working_days

# procedure → the counter that serves it here (counter 1: certifications, 3: civil status)
PROCEDURES = {
    "chung-thuc-ban-sao": 1,  # legal time 0: same day
    "chung-thuc-di-chuc": 1,  # 2 working days
    "khai-sinh": 3,  # 0
    "xac-nhan-tinh-trang-hon-nhan": 3,  # 3
}
OUTCOMES = ("resolved", "appointment", "appointment", "advice", "refused")
RATINGS = (None, None, "very_satisfied", "satisfied", "unsatisfied")
FIRST, LAST = date(2026, 10, 19), date(2026, 12, 4)
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
TODAY = date(2026, 12, 4)


@dataclass
class Visit:
    """One ticket as the test made it, and its dossier when it got an appointment."""

    day: date
    procedure: str
    outcome: str
    rating: str | None
    due: date | None = None
    returned_on: date | None = None
    field: str = ""  # the procedure's field, read from the catalog


@pytest.fixture
def played(app, client, officer, clock) -> list[Visit]:
    """Six weeks of tickets: outcomes, appointments with their due dates, returns early, on
    time, late or never, and ratings, all chosen by a seeded random."""
    staff = {1: officer, 3: logged_in(app, "canbo2")}
    chooser = random.Random(16)
    days = working_days(FIRST, LAST)
    visits: list[Visit] = []
    waiting_returns: dict[date, list[tuple[Visit, str]]] = {}
    for day in days:
        clock.set(datetime.combine(day, datetime.min.time(), TZ).replace(hour=8))
        for visit, code in waiting_returns.pop(day, []):
            answer = staff[PROCEDURES[visit.procedure]].post(f"/api/dossiers/{code}/return")
            assert answer.status_code == 200, answer.json
            visit.returned_on = day
        for _ in range(chooser.randint(2, 5)):
            clock.advance(minutes=10)
            procedure = chooser.choice(list(PROCEDURES))
            counter = PROCEDURES[procedure]
            taken = client.post(
                "/api/tickets", json={"procedure_id": procedure, "documents_complete": True}
            ).json
            called = staff[counter].post(
                f"/api/tickets/{taken['id']}/call", json={"counter_id": counter}
            )
            assert called.status_code == 200, called.json
            clock.advance(minutes=3)
            visit = Visit(day, procedure, chooser.choice(OUTCOMES), chooser.choice(RATINGS))
            body: dict = {"outcome": visit.outcome}
            if visit.outcome == "appointment":
                visit.due = day + timedelta(days=chooser.randint(0, 8))
                body["due_date"] = visit.due.isoformat()
            elif visit.outcome == "refused":
                body["reason"] = "Không thuộc thẩm quyền"
            done = staff[counter].post(f"/api/tickets/{taken['id']}/finish", json=body)
            assert done.status_code == 200, done.json
            if visit.rating:
                rated = client.post(
                    f"/api/tickets/{taken['key']}/rating", json={"rating": visit.rating}
                )
                assert rated.status_code == 200, rated.json
            if visit.due is not None and chooser.random() < 0.8:  # some are never returned
                offset = chooser.randint(-3, 4)
                later = [d for d in days if d > day and d >= visit.due + timedelta(days=offset)]
                if later:
                    waiting_returns.setdefault(later[0], []).append(
                        (visit, done.json["dossier_code"])
                    )
            visits.append(visit)
    clock.set(datetime.combine(TODAY, datetime.min.time(), TZ).replace(hour=17))
    return visits


ONE_DAY = timedelta(days=1)


def returned_before(dossier: Visit, day: date) -> bool:
    return dossier.returned_on is not None and dossier.returned_on < day


def expected_table(visits, fields, legal_days, first, last, today) -> dict[str, dict]:
    """Each field's cells, computed from the test's own visits."""
    cut = min(last, today)
    table = {}
    for field in fields:
        mine = [v for v in visits if v.field == field]
        dossiers = [v for v in mine if v.due is not None]
        in_period = [v for v in mine if first <= v.day <= last]
        in_person = [v for v in in_period if v.outcome in ("resolved", "appointment")]
        carried = [d for d in dossiers if d.day < first and not returned_before(d, first)]
        returned = [d for d in dossiers if d.returned_on and first <= d.returned_on <= last]
        on_spot = [v for v in in_period if v.outcome == "resolved"]
        early = sum(d.returned_on < d.due for d in returned)
        early += sum(legal_days[v.procedure] > 0 for v in on_spot)
        on_time = sum(d.returned_on == d.due for d in returned)
        on_time += sum(legal_days[v.procedure] == 0 for v in on_spot)
        late = sum(d.returned_on > d.due for d in returned)
        open_ = [d for d in dossiers if d.day <= last and not returned_before(d, last + ONE_DAY)]
        within = sum(d.due >= cut for d in open_)
        table[field] = {
            "received_total": len(carried) + len(in_person),
            "received_in_person": len(in_person),
            "carried_over": len(carried),
            "resolved_total": early + on_time + late,
            "resolved_early": early,
            "resolved_on_time": on_time,
            "resolved_late": late,
            "in_progress_total": len(open_),
            "in_progress_within_time": within,
            "in_progress_overdue": len(open_) - within,
        }
    return table


def legal_days_and_fields(client, visits: list[Visit]) -> dict[str, int]:
    """Each procedure's legal time in working days, from the catalog; each visit's field."""
    procedures = {p["id"]: p for p in client.get("/api/procedures").json}
    for visit in visits:
        visit.field = procedures[visit.procedure]["field"]
    return {pid: p["processing_days"] for pid, p in procedures.items()}


def test_the_dossier_table_and_the_indicators_match_what_was_done(played, admin, client):
    legal_days = legal_days_and_fields(client, played)
    report = admin.get("/api/reports/summary?period=2026-11").json
    rows = report["dossier_table"]
    field_ids = [row["id"] for row in report["fields"]]
    assert [row["id"] for row in rows] == field_ids  # every field, catalog order
    expected = expected_table(played, field_ids, legal_days, *NOVEMBER, TODAY)
    for row in rows:
        cells = {key: value for key, value in row.items() if key not in ("id", "name")}
        assert cells == expected[row["id"]], row["id"]
        assert row["received_total"] == row["resolved_total"] + row["in_progress_total"]
    totals = report["dossier_table_totals"]
    for column, value in totals.items():
        assert value == sum(expected[field][column] for field in expected), column
    # The generated months mean something: every kind of cell is reached.
    for column in ("carried_over", "resolved_early", "resolved_on_time", "resolved_late",
                   "in_progress_within_time", "in_progress_overdue"):  # fmt: skip
        assert totals[column] > 0, column

    # Indicators, from the same resolved dossiers.
    indicators = {i["key"]: i for i in report["indicators"]}
    assert list(indicators) == [
        "on_time_rate", "early_rate", "late_rate", "satisfaction_rate",
        "satisfaction_rate_766", "no_appointment_rate",
    ]  # fmt: skip
    resolved = totals["resolved_total"]
    on_time = indicators["on_time_rate"]
    assert (on_time["numerator"], on_time["denominator"]) == (
        totals["resolved_early"] + totals["resolved_on_time"],
        resolved,
    )
    assert on_time["value"] == round(on_time["numerator"] / resolved, 4)
    assert on_time["source"] == "Quyết định số 766/QĐ-TTg"
    assert indicators["late_rate"]["numerator"] == totals["resolved_late"]
    first, last = NOVEMBER
    faulted = [
        v
        for v in played
        if (v.due is not None and v.returned_on and first <= v.returned_on <= last
            and (v.returned_on > v.due or v.rating == "unsatisfied"))
        or (v.outcome == "resolved" and first <= v.day <= last and v.rating == "unsatisfied")
    ]  # fmt: skip
    satisfaction_766 = indicators["satisfaction_rate_766"]
    assert satisfaction_766["numerator"] == resolved - len(faulted)
    assert satisfaction_766["denominator"] == resolved
    assert 0 < len(faulted) < resolved
    rated = [v for v in played if first <= v.day <= last and v.rating]
    satisfaction = indicators["satisfaction_rate"]
    assert satisfaction["denominator"] == len(rated)
    assert satisfaction["numerator"] == sum(v.rating != "unsatisfied" for v in rated)
    assert satisfaction["source"] == ""
    for indicator in indicators.values():
        assert indicator["label"] and "/" in indicator["formula"]


def test_a_period_not_over_yet_counts_overdue_until_today(played, admin, client):
    legal_days = legal_days_and_fields(client, played)
    report = admin.get("/api/reports/summary?period=2026-12").json  # today is 04/12
    field_ids = [row["id"] for row in report["dossier_table"]]
    expected = expected_table(
        played, field_ids, legal_days, date(2026, 12, 1), date(2026, 12, 31), TODAY
    )
    for row in report["dossier_table"]:
        cells = {key: value for key, value in row.items() if key not in ("id", "name")}
        assert cells == expected[row["id"]], row["id"]
    totals = report["dossier_table_totals"]
    assert totals["in_progress_within_time"] > 0  # due after today: not overdue yet


def test_an_empty_period_has_every_field_and_no_rate(admin):
    report = admin.get("/api/reports/summary?period=2026-06").json
    assert len(report["dossier_table"]) == len(report["fields"])
    assert set(report["dossier_table_totals"].values()) == {0}
    assert all(i["value"] is None and i["denominator"] == 0 for i in report["indicators"])
