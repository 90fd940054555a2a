"""The evaluation of the model: periods and their labels, the previous period, the
no-appointment days of a period, and the officers' emulation ranking."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from server.errors import InvalidInput
from server.reporting.evaluation import evaluate
from server.reporting.periods import Period, parse_period
from server.reporting.ranking import MAXIMUM_PENALTY, MINIMUM_FINISHED, rank_officers, score_officer
from tests.conftest import TZ, logged_in

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=TZ)  # when the evaluations are asked for

COPY = "chung-thuc-ban-sao"  # a no-appointment procedure, counters 1 and 2
WILL = "chung-thuc-di-chuc"  # not one, counter 1


@pytest.mark.parametrize(
    ("query", "first", "last", "kind", "label"),
    [
        ("period=2026-11", "2026-11-01", "2026-11-30", "month", "Tháng 11 năm 2026"),
        ("period=2026-02", "2026-02-01", "2026-02-28", "month", "Tháng 2 năm 2026"),
        ("period=2026-Q4", "2026-10-01", "2026-12-31", "quarter", "Quý IV năm 2026"),
        ("period=2026-q1", "2026-01-01", "2026-03-31", "quarter", "Quý I năm 2026"),
        ("period=2026-11-26", "2026-11-26", "2026-11-26", "day", "Ngày 26/11/2026"),
        ("period=2026", "2026-01-01", "2026-12-31", "year", "Năm 2026"),
        (
            "from=2026-07-01&to=2026-09-30",
            "2026-07-01",
            "2026-09-30",
            "quarter",
            "Quý III năm 2026",
        ),
        ("from=2026-11-01&to=2026-11-30", "2026-11-01", "2026-11-30", "month", "Tháng 11 năm 2026"),
        (
            "from=2026-11-02&to=2026-11-15",
            "2026-11-02",
            "2026-11-15",
            "range",
            "Từ ngày 02/11/2026 đến ngày 15/11/2026",
        ),
    ],
)
def test_report_periods(admin, query, first, last, kind, label):
    report = admin.get(f"/api/reports/summary?{query}").json
    assert (report["from"], report["to"]) == (first, last)
    assert report["period"]["kind"] == kind
    assert report["period"]["label"] == label


@pytest.mark.parametrize(
    "query",
    [
        "period=2026-13",
        "period=2026-Q5",
        "period=2026-11-31",
        "period=26-11",
        "period=th%C3%A1ng-11",
        "period=2026-11&from=2026-11-01&to=2026-11-30",
        "from=2026-11-01",
        "from=2026-11-30&to=2026-11-01",
    ],
)
def test_bad_periods_are_400_in_vietnamese(admin, query):
    response = admin.get(f"/api/reports/summary?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_period"
    assert any(word in response.json["error"]["message"] for word in ("Kỳ", "from", "Ngày"))


@pytest.mark.parametrize(
    ("period", "previous", "label"),
    [
        ("2026-11", ("2026-10-01", "2026-10-31"), "Tháng 10 năm 2026"),
        ("2026-01", ("2025-12-01", "2025-12-31"), "Tháng 12 năm 2025"),
        ("2026-03", ("2026-02-01", "2026-02-28"), "Tháng 2 năm 2026"),
        ("2026-Q4", ("2026-07-01", "2026-09-30"), "Quý III năm 2026"),
        ("2026-Q1", ("2025-10-01", "2025-12-31"), "Quý IV năm 2025"),
        ("2026-11-26", ("2026-11-25", "2026-11-25"), "Ngày 25/11/2026"),
        ("2026", ("2025-01-01", "2025-12-31"), "Năm 2025"),
    ],
)
def test_the_previous_period_is_of_the_same_kind(period, previous, label):
    before = parse_period(None, None, period).previous()
    assert (before.start.isoformat(), before.end.isoformat()) == previous
    assert before.label == label


def test_the_previous_range_is_as_many_days_just_before():
    period = parse_period("2026-11-10", "2026-11-23")
    assert period.kind == "range"
    assert period.previous() == Period(date(2026, 10, 27), date(2026, 11, 9), "range")
    with pytest.raises(InvalidInput):
        parse_period("2025-01-01", "2026-03-01")  # more than 400 days


def serve(officer, issue, clock, moment, procedure=COPY, counter=1, outcome="resolved", **extra):
    """Issue a ticket at `moment`, call it 10 minutes later, finish it 5 minutes after."""
    clock.set(moment)
    ticket = issue(procedure)
    clock.set(moment.replace(minute=moment.minute + 10))
    called = officer.post(f"/api/counters/{counter}/next").json
    assert called["id"] == ticket["id"]
    clock.set(moment.replace(minute=moment.minute + 15))
    body = {"outcome": outcome, **extra}
    finished = officer.post(f"/api/tickets/{ticket['id']}/finish", json=body).json
    return {**finished, "key": ticket["key"]}  # the citizen's key, to rate it


def test_the_headlines_compare_with_the_previous_month(app, db, officer, issue, client, clock):
    # October: one Thursday, 2 no-appointment tickets, 1 resolved.
    serve(officer, issue, clock, datetime(2026, 10, 29, 8, 0, tzinfo=TZ))
    serve(officer, issue, clock, datetime(2026, 10, 29, 9, 0, tzinfo=TZ), outcome="supplement")
    # November: 3 no-appointment tickets all resolved, one rated unsatisfied; 1 online help.
    for hour in (8, 9, 10):
        ticket = serve(officer, issue, clock, datetime(2026, 11, 26, hour, 0, tzinfo=TZ))
    client.post(f"/api/tickets/{ticket['key']}/rating", json={"rating": "unsatisfied"})
    serve(
        officer,
        issue,
        clock,
        datetime(2026, 11, 26, 11, 0, tzinfo=TZ),
        procedure="ho-tro-truc-tuyen",
        counter=6,
        outcome="advice",
    )
    settings = app.extensions["motcua"].settings
    evaluation = evaluate(db, settings, parse_period(None, None, "2026-11"), NOON)
    headlines = {h.key: h for h in evaluation.headlines}

    issued = headlines["no_appointment_issued"]
    assert (issued.value, issued.previous, issued.change, issued.trend) == (3, 2, 1, "up")
    assert issued.improved is True
    rate = headlines["no_appointment_rate"]
    assert (rate.value, rate.previous, rate.trend, rate.improved) == (1.0, 0.5, "up", True)
    wait = headlines["average_wait_seconds"]
    assert (wait.value, wait.previous, wait.trend) == (600, 600, "same")
    satisfaction = headlines["satisfaction_share"]
    assert (satisfaction.value, satisfaction.previous, satisfaction.trend) == (0.0, None, None)
    online = headlines["online_help"]
    assert (online.value, online.previous, online.change) == (1, 0, 1)
    late = headlines["dossiers_late"]
    assert (late.value, late.previous, late.trend, late.higher_is_better) == (0, 0, "same", False)


def test_a_quarter_compares_with_the_quarter_before(app, db, officer, issue, clock):
    serve(officer, issue, clock, datetime(2026, 9, 24, 8, 0, tzinfo=TZ))  # Q3, a Thursday
    serve(officer, issue, clock, datetime(2026, 10, 1, 8, 0, tzinfo=TZ))  # Q4
    serve(officer, issue, clock, datetime(2026, 11, 5, 8, 0, tzinfo=TZ))
    settings = app.extensions["motcua"].settings
    evaluation = evaluate(db, settings, parse_period(None, None, "2026-Q4"), NOON)
    issued = next(h for h in evaluation.headlines if h.key == "no_appointment_issued")
    assert (issued.value, issued.previous) == (2, 1)
    assert evaluation.previous.label == "Quý III năm 2026"


def test_the_no_appointment_days_follow_the_calendar(app, db, officer, issue, clock):
    db.execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES ('2026-11-19', 'holiday', 'Nghỉ')"
    )
    clock.set(datetime(2026, 11, 19, 9, 0, tzinfo=TZ))
    assert issue(COPY)["no_appointment"] is False  # a holiday Thursday has no session
    serve(officer, issue, clock, datetime(2026, 11, 12, 8, 0, tzinfo=TZ))
    serve(officer, issue, clock, datetime(2026, 11, 12, 9, 0, tzinfo=TZ), outcome="appointment",
          due_date="2026-11-16")  # fmt: skip
    settings = app.extensions["motcua"].settings
    today = NOON
    november = evaluate(db, settings, parse_period(None, None, "2026-11"), today)
    assert [row["day"] for row in november.days] == [
        date(2026, 11, 5), date(2026, 11, 12), date(2026, 11, 26),
    ]  # fmt: skip
    twelfth = november.days[1]
    assert (twelfth["issued"], twelfth["finished"], twelfth["resolved"]) == (2, 2, 1)
    assert twelfth["rate"] == 0.5
    assert november.days[0]["rate"] is None  # a Thursday nobody came
    # The quarter, seen on 26/11: every Thursday up to today, not those to come.
    quarter = evaluate(db, settings, parse_period(None, None, "2026-Q4"), today)
    assert [row["day"].isoformat() for row in quarter.days] == [
        "2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22", "2026-10-29",
        "2026-11-05", "2026-11-12", "2026-11-26",
    ]  # fmt: skip


def officer_row(officer_id, name, finished, *, spot=(0, 0), early=0, late=0, ratings=(0, 0)):
    """A report row: spot = (resolved, finished) no-appointment tickets, `early` and `late`
    returned dossiers, ratings = (very satisfied, unsatisfied)."""
    return {
        "id": officer_id,
        "name": name,
        "finished": finished,
        "no_appointment_resolved": spot[0],
        "no_appointment_finished": spot[1],
        "dossiers_early": early,
        "dossiers_on_time": 0,
        "dossiers_late": late,
        "ratings": {"very_satisfied": ratings[0], "satisfied": 0, "unsatisfied": ratings[1]},
    }


def test_the_ranking_formula_on_known_figures():
    # 40 × 18/20 + 30 × 8/10 + 30 × 45/50 − 2 × 2 = 36 + 24 + 27 − 4 = 83
    lan = score_officer(officer_row(1, "Lan", 60, spot=(18, 20), early=8, late=2,
                                    ratings=(45, 5)))  # fmt: skip
    assert lan.score == 83.0
    assert lan.criteria == {"on_the_spot": 0.9, "on_time": 0.8, "satisfaction": 0.9}
    assert lan.penalty == 4
    # Only 3 rated services: satisfaction is not counted, its weight goes to the others:
    # (40 × 1 + 30 × 0.5) / 70 × 100 = 78.57… → 78.6
    minh = score_officer(officer_row(2, "Minh", 30, spot=(10, 10), early=5, late=5,
                                     ratings=(3, 0)))  # fmt: skip
    assert minh.criteria["satisfaction"] is None
    assert minh.score == round(5500 / 70 - 10, 1)
    # Late dossiers cost at most MAXIMUM_PENALTY points.
    slow = score_officer(officer_row(3, "Chậm", 40, early=20, late=20, ratings=(10, 0)))
    assert slow.penalty == MAXIMUM_PENALTY
    assert slow.score == round(100 * (30 * 0.5 + 30 * 1) / 60 - MAXIMUM_PENALTY, 1)


def test_few_services_are_not_ranked_however_perfect():
    rows = [
        officer_row(1, "Ít lượt", 2, spot=(2, 2), ratings=(2, 0)),
        officer_row(2, "Bình", MINIMUM_FINISHED, spot=(15, 20), ratings=(15, 5)),
        officer_row(3, "An", 50, spot=(40, 50), ratings=(20, 0)),
        officer_row(4, "Không dữ liệu", 30),  # 30 services, but no criterion with 5 cases
        officer_row(5, "Cùng điểm", 60, spot=(40, 50), ratings=(20, 0)),
    ]
    ranked, unranked = rank_officers(rows)
    # An and Cùng điểm: 40 × 0.8 + 30 × 1 over 70 → 88.6 each; more services first.
    assert [(s.rank, s.name, s.score) for s in ranked] == [
        (1, "Cùng điểm", 88.6), (2, "An", 88.6), (3, "Bình", 75.0),
    ]  # fmt: skip
    assert [(s.name, s.reason) for s in unranked] == [
        ("Không dữ liệu", "Chưa tiêu chí nào đủ 5 lượt"),
        ("Ít lượt", f"Dưới {MINIMUM_FINISHED} lượt phục vụ xong"),
    ]


def test_the_page_ranks_through_the_api(app, admin, officer, issue, clock):
    """canbo2 serves 20 tickets (one supplement), canbo 2 perfect ones: canbo2 is first,
    canbo is listed apart."""
    second = logged_in(app, "canbo2")
    for minute in range(0, 40, 2):
        clock.set(datetime(2026, 11, 26, 8, minute, tzinfo=TZ))
        ticket = issue(COPY)
        second.post("/api/counters/2/next")
        outcome = "supplement" if minute == 0 else "resolved"
        second.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome})
    for hour in (10, 11):
        serve(officer, issue, clock, datetime(2026, 11, 26, hour, 0, tzinfo=TZ))
    page = admin.get("/reports?period=2026-11").data.decode()
    ranking = page[page.index('id="ranking"') : page.index('id="ranking-formula"')]
    assert "canbo2" in ranking
    assert ">canbo<" not in ranking
    assert "19/20 · 95,0\u00a0%" in ranking
    assert ">95,0<" in ranking  # the score
    unranked = page[page.index('id="unranked"') :]
    assert ">canbo<" in unranked
    assert f"Dưới {MINIMUM_FINISHED} lượt phục vụ xong" in unranked
    assert "Điểm thi đua (thang 100) = 40 × tỷ lệ giải quyết ngay phiếu không hẹn" in page
