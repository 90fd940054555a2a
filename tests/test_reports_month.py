"""A month of activity played through the HTTP API, and the report checked against the test's
own log of what it did.

`Activity` plays working days with a fixed seed and a fixed clock: tickets for a dozen
procedures (no-appointment ones on Thursdays, before and after the 15:00 cut-off; incomplete
dossiers; the online-help desk), calls, recalls, transfers, no-shows, every outcome,
appointments whose dossiers are returned early, on time, late or not at all, ratings, and
three staff at different counters. It writes down every step in `Visit`s; the expected figures
are computed from those, never read back from the database.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from server.reporting.evaluation import evaluate
from server.reporting.periods import parse_period
from tests.conftest import TZ, logged_in

# procedure → (field, no-appointment procedure, counters serving it, weight when drawn)
PROCEDURES = {
    "chung-thuc-ban-sao": ("chung-thuc", True, (1, 2), 20),
    "chung-thuc-chu-ky": ("chung-thuc", True, (1, 2), 12),
    "cap-ban-sao-so-goc": ("chung-thuc", True, (1, 2), 5),
    "chung-thuc-di-chuc": ("chung-thuc", False, (1,), 4),
    "khai-sinh": ("ho-tich", True, (2, 3), 10),
    "khai-tu": ("ho-tich", True, (2, 3), 4),
    "ban-sao-trich-luc-ho-tich": ("ho-tich", True, (2, 3), 6),
    "ket-hon": ("ho-tich", False, (2, 3), 4),
    "cap-lai-gcn-ho-kinh-doanh": ("ho-kinh-doanh", True, (4,), 4),
    "thanh-lap-ho-kinh-doanh": ("ho-kinh-doanh", False, (4,), 3),
    "tam-tru": ("cu-tru", False, (5,), 5),
    "ho-tro-truc-tuyen": ("ho-tro-truc-tuyen", False, (6,), 4),
}
ONLINE_HELP = "ho-tro-truc-tuyen"
# Counters that pass tickets to each other (1 → 2, 2 → 3) have different staff: an officer
# holds one counter at a time, and a transfer goes to a counter someone is at.
COUNTER_STAFF = {1: "canbo", 4: "canbo", 2: "canbo2", 5: "canbo2", 3: "quantri", 6: "quantri"}
FULL_NAMES = {"canbo": "Nguyễn Thị Lan", "canbo2": "Trần Văn Minh"}  # quantri has none
OUTCOMES = ("resolved", "appointment", "supplement", "refused", "advice")
RATINGS = ("very_satisfied", "satisfied", "unsatisfied")
THURSDAY = 3
CUT_OFF = time(15, 0)
SEED = 20261126


def working_day_after(day: date, count: int) -> date:
    """Monday to Friday (no holiday in October to December 2026 in the demo catalog)."""
    for _ in range(count):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def timeliness(returned: date, due: date) -> str:
    return "early" if returned < due else "on_time" if returned == due else "late"


@dataclass
class Visit:
    """One ticket as the test handled it: what it asked for and every step it took."""

    ticket_id: str
    procedure: str
    documents_complete: bool
    issued_at: datetime
    no_appointment: bool
    status: str = "waiting"
    counter: int | None = None
    staff: str | None = None
    called_at: datetime | None = None
    finished_at: datetime | None = None
    outcome: str | None = None
    rating: str | None = None
    code: str | None = None
    due: date | None = None
    returned_on: date | None = None
    recalled: bool = False
    transferred: bool = False
    corrected: bool = False
    key: str = ""  # what the citizen rates with

    @property
    def day(self) -> date:
        return self.issued_at.date()

    @property
    def field(self) -> str:
        return PROCEDURES[self.procedure][0]

    @property
    def officer_name(self) -> str | None:
        return FULL_NAMES.get(self.staff, self.staff) if self.staff else None


class Activity:
    """Plays days at the center through the API (kiosk: anonymous client; staff: username →
    logged-in client) and keeps the log in `visits`."""

    def __init__(self, kiosk: Any, staff: dict[str, Any], clock: Any, seed: int = SEED) -> None:
        self.kiosk, self.staff, self.clock = kiosk, staff, clock
        self.random = random.Random(seed)
        self.visits: list[Visit] = []
        self.returns: dict[date, list[Visit]] = defaultdict(list)

    def play(self, days: list[date]) -> Activity:
        for day in days:
            self.play_day(day)
        return self

    def play_day(self, day: date) -> None:
        self.return_dossiers(day)
        thursday = day.weekday() == THURSDAY
        moment = datetime.combine(day, time(7, 30), TZ)
        for _ in range(self.random.randint(20, 26) if thursday else self.random.randint(5, 8)):
            visit = self.issue(moment)
            moment = self.serve(visit) + timedelta(seconds=self.random.randint(0, 180))
        if thursday:  # a few come after the no-appointment cut-off
            moment = max(moment, datetime.combine(day, time(15, 5), TZ))
            for _ in range(self.random.randint(2, 3)):
                visit = self.issue(moment)
                moment = self.serve(visit) + timedelta(seconds=self.random.randint(0, 180))
        if self.random.random() < 0.4:
            self.issue(moment)  # still waiting when the center closes

    def issue(self, moment: datetime) -> Visit:
        names = list(PROCEDURES)
        procedure = self.random.choices(names, [PROCEDURES[n][3] for n in names])[0]
        complete = procedure == ONLINE_HELP or self.random.random() < 0.85
        priority = "elderly" if self.random.random() < 0.1 else None
        self.clock.set(moment)
        response = self.kiosk.post(
            "/api/tickets",
            json={"procedure_id": procedure, "documents_complete": complete, "priority": priority},
        )
        assert response.status_code == 201, response.json
        qualifies = (
            PROCEDURES[procedure][1]
            and complete
            and moment.weekday() == THURSDAY
            and moment.time() < CUT_OFF
        )
        assert response.json["no_appointment"] is qualifies
        visit = Visit(response.json["id"], procedure, complete, moment, qualifies)
        visit.key = response.json["key"]
        self.visits.append(visit)
        return visit

    def call(self, visit: Visit, counter: int, moment: datetime) -> None:
        self.clock.set(moment)
        staff = COUNTER_STAFF[counter]
        response = self.staff[staff].post(f"/api/counters/{counter}/next")
        assert response.status_code == 200, response.json
        assert response.json["id"] == visit.ticket_id
        visit.status, visit.counter, visit.staff, visit.called_at = "called", counter, staff, moment

    def act(self, visit: Visit, moment: datetime, action: str, body: Any = None) -> dict:
        self.clock.set(moment)
        client = self.staff[visit.staff or "canbo"]
        response = client.post(f"/api/tickets/{visit.ticket_id}/{action}", json=body)
        assert response.status_code == 200, response.json
        return response.json

    def serve(self, visit: Visit) -> datetime:
        """Call, perhaps recall, transfer or record a no-show, finish, perhaps rate; returns
        the moment the counter is free again."""
        counters = PROCEDURES[visit.procedure][2]
        counter = self.random.choice(counters)
        moment = visit.issued_at + timedelta(seconds=self.random.randint(60, 900))
        self.call(visit, counter, moment)
        if self.random.random() < 0.05:
            moment += timedelta(seconds=30)
            self.act(visit, moment, "recall")
            visit.recalled = True
        if self.random.random() < 0.08:
            moment += timedelta(seconds=60)
            self.act(visit, moment, "no-show")
            visit.status = "no_show"
            return moment
        if len(counters) > 1 and self.random.random() < 0.08:
            other = next(c for c in counters if c != counter)
            moment += timedelta(seconds=120)
            response = self.staff[COUNTER_STAFF[other]].post(f"/api/counters/{other}/resume")
            assert response.status_code == 200, response.json  # someone is at the other one
            self.act(visit, moment, "transfer", {"counter_id": other})
            visit.transferred = True
            moment += timedelta(seconds=60)
            self.call(visit, other, moment)
        moment += timedelta(seconds=self.random.randint(120, 600))
        self.finish(visit, moment)
        if self.random.random() < 0.6:
            moment += timedelta(seconds=20)
            visit.rating = self.random.choices(RATINGS, [55, 35, 10])[0]
            self.clock.set(moment)
            response = self.kiosk.post(
                f"/api/tickets/{visit.key}/rating", json={"rating": visit.rating}
            )
            assert response.status_code == 200, response.json
        return moment

    def outcome(self, visit: Visit) -> str:
        draw = self.random.choices
        if visit.procedure == ONLINE_HELP:
            return draw(["advice", "resolved"], [85, 15])[0]
        if visit.no_appointment:
            return draw(["resolved", "appointment", "supplement"], [84, 9, 7])[0]
        if not visit.documents_complete:
            return draw(["supplement", "advice", "refused"], [60, 30, 10])[0]
        return draw(list(OUTCOMES), [30, 40, 10, 5, 15])[0]

    def finish(self, visit: Visit, moment: datetime) -> None:
        outcome = self.outcome(visit)
        body: dict[str, Any] = {"outcome": outcome}
        if outcome == "appointment":
            visit.due = working_day_after(visit.day, self.random.randint(1, 5))
            body["due_date"] = visit.due.isoformat()
        ticket = self.act(visit, moment, "finish", body)
        visit.status, visit.outcome, visit.finished_at = "finished", outcome, moment
        if visit.due is not None:
            visit.code = ticket["dossier_code"]
            self.plan_return(visit)
        elif self.random.random() < 0.05:  # a mis-pressed key, corrected a moment later
            others = [o for o in OUTCOMES if o not in (outcome, "appointment")]
            visit.outcome = self.random.choice(others)
            self.act(visit, moment + timedelta(seconds=15), "correct", {"outcome": visit.outcome})
            visit.corrected = True

    def plan_return(self, visit: Visit) -> None:
        """Early (a day between reception and due date), on time, late, or never."""
        assert visit.due is not None
        fate = self.random.choices(["early", "on_time", "late", "never"], [35, 35, 20, 10])[0]
        between = working_days(visit.day + timedelta(days=1), visit.due - timedelta(days=1))
        if fate == "early" and between:
            self.returns[self.random.choice(between)].append(visit)
        elif fate in ("early", "on_time"):
            self.returns[visit.due].append(visit)
        elif fate == "late":
            self.returns[working_day_after(visit.due, self.random.randint(1, 3))].append(visit)

    def return_dossiers(self, day: date) -> None:
        for index, visit in enumerate(self.returns.pop(day, [])):
            assert visit.due is not None
            self.clock.set(datetime.combine(day, time(7, 5), TZ) + timedelta(minutes=index))
            response = self.staff["canbo"].post(f"/api/dossiers/{visit.code}/return")
            assert response.status_code == 200, response.json
            assert response.json["timeliness"] == timeliness(day, visit.due)
            visit.returned_on = day


# --- The expected figures, from the log alone -----------------------------------------------


def mean_seconds(durations: list[timedelta]) -> int | None:
    if not durations:
        return None
    return round(sum(d.total_seconds() for d in durations) / len(durations))


def figures(tickets: list[Visit], dossiers: list[Visit]) -> dict[str, Any]:
    finished = [t for t in tickets if t.status == "finished"]
    special = [t for t in tickets if t.no_appointment]
    special_finished = [t for t in special if t.status == "finished"]
    special_resolved = [t for t in special if t.outcome == "resolved"]
    returned = Counter(timeliness(d.returned_on, d.due) for d in dossiers)  # type: ignore[arg-type]
    return {
        "issued": len(tickets),
        "finished": len(finished),
        "resolved": sum(t.outcome == "resolved" for t in tickets),
        "no_show": sum(t.status == "no_show" for t in tickets),
        "no_appointment_issued": len(special),
        "no_appointment_finished": len(special_finished),
        "no_appointment_resolved": len(special_resolved),
        "no_appointment_rate": (
            round(len(special_resolved) / len(special_finished), 4) if special_finished else None
        ),
        "dossiers_early": returned["early"],
        "dossiers_on_time": returned["on_time"],
        "dossiers_late": returned["late"],
        "average_wait_seconds": mean_seconds(
            [t.called_at - t.issued_at for t in tickets if t.called_at]
        ),
        "average_service_seconds": mean_seconds(
            [t.finished_at - t.called_at for t in finished]  # type: ignore[operator]
        ),
        "ratings": {r: sum(t.rating == r for t in tickets) for r in RATINGS},
        "outcomes": {o: sum(t.outcome == o for t in tickets) for o in OUTCOMES},
        "online_help": sum(t.procedure == ONLINE_HELP for t in tickets),
        "corrected": sum(t.corrected for t in tickets),
        "apologies": 0,  # the generated month makes no apology: tests/test_apologies.py does
        "apology_days_late": 0,
    }


def expected_rows(
    visits: list[Visit], first: date, last: date, key: Callable[[Visit], Any]
) -> dict[Any, dict[str, Any]]:
    """Figures per group: tickets by their day, dossiers by the day they were returned."""
    groups: dict[Any, tuple[list[Visit], list[Visit]]] = defaultdict(lambda: ([], []))
    for visit in visits:
        if first <= visit.day <= last:
            groups[key(visit)][0].append(visit)
        if visit.returned_on and first <= visit.returned_on <= last:
            groups[key(visit)][1].append(visit)
    return {group: figures(*lists) for group, lists in groups.items() if group is not None}


def without_names(row: dict[str, Any]) -> dict[str, Any]:
    """A row's figures (a counter's open and paused time are checked in test_counter_time)."""
    skipped = ("id", "name", "open_seconds", "paused_seconds")
    return {key: value for key, value in row.items() if key not in skipped}


NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
PLAYED = working_days(date(2026, 10, 26), date(2026, 11, 30))
END_OF_PLAY = datetime(2026, 11, 30, 17, 45, tzinfo=TZ)


@pytest.fixture
def month(app, db, client, officer, admin, clock) -> Activity:
    """November 2026 (and the last October week) played through the API."""
    for username, full_name in FULL_NAMES.items():
        db.execute("UPDATE users SET full_name = ? WHERE username = ?", [full_name, username])
    staff = {"canbo": officer, "canbo2": logged_in(app, "canbo2"), "quantri": admin}
    activity = Activity(client, staff, clock).play(PLAYED)
    clock.set(END_OF_PLAY)
    return activity


def test_the_month_report_matches_what_was_done(month, admin):
    visits = month.visits
    report = admin.get("/api/reports/summary?period=2026-11").json
    assert (report["from"], report["to"]) == ("2026-11-01", "2026-11-30")
    assert report["period"] == {"kind": "month", "key": "2026-11", "label": "Tháng 11 năm 2026"}

    totals = expected_rows(visits, *NOVEMBER, lambda v: "all")["all"]
    assert report["totals"] == totals
    # The month is rich enough to mean something.
    assert totals["issued"] > 150
    assert totals["no_appointment_issued"] > 40
    assert 0 < totals["no_appointment_resolved"] < totals["no_appointment_finished"]
    assert min(totals["dossiers_early"], totals["dossiers_on_time"], totals["dossiers_late"]) > 0
    assert min(totals["outcomes"].values()) > 0
    assert min(totals["ratings"].values()) > 0
    assert totals["online_help"] > 0
    assert totals["no_show"] > 0
    assert any(v.transferred for v in visits) and any(v.recalled for v in visits)
    assert totals["corrected"] > 0  # and the outcomes above are the corrected ones
    assert any(v.status == "waiting" for v in visits)
    late_on_thursday = [
        v
        for v in visits
        if v.day.weekday() == THURSDAY and v.issued_at.time() >= CUT_OFF and v.documents_complete
    ]
    assert any(PROCEDURES[v.procedure][1] for v in late_on_thursday)  # eligible, but too late
    assert any(v.code and v.returned_on is None for v in visits)

    for group, key in [
        ("procedures", lambda v: v.procedure),
        ("fields", lambda v: v.field),
        ("counters", lambda v: v.counter),
        ("officers", lambda v: v.officer_name),
    ]:
        expected = expected_rows(visits, *NOVEMBER, key)
        rows = report[group]
        by_key = {row["name"] if group == "officers" else row["id"]: row for row in rows}
        for name, figures_of_group in expected.items():
            assert without_names(by_key[name]) == figures_of_group, (group, name)
        if group in ("counters", "officers"):
            assert set(by_key) == set(expected), group  # only the active ones
        else:
            empty = figures([], [])
            assert all(without_names(by_key[k]) == empty for k in set(by_key) - set(expected))
    officer_names = [row["name"] for row in report["officers"]]
    assert officer_names == sorted(["Nguyễn Thị Lan", "Trần Văn Minh", "quantri"])


def test_the_same_month_asked_by_dates_and_october_apart(month, admin):
    by_period = admin.get("/api/reports/summary?period=2026-11").json
    by_dates = admin.get("/api/reports/summary?from=2026-11-01&to=2026-11-30").json
    assert by_dates == by_period
    october = admin.get("/api/reports/summary?period=2026-10").json
    expected = expected_rows(month.visits, date(2026, 10, 1), date(2026, 10, 31), lambda v: "all")[
        "all"
    ]
    assert october["totals"] == expected
    thursday = admin.get("/api/reports/summary?period=2026-11-26").json
    expected = expected_rows(month.visits, date(2026, 11, 26), date(2026, 11, 26), lambda v: 1)
    assert thursday["totals"] == expected[1]
    assert thursday["period"]["label"] == "Ngày 26/11/2026"


def test_the_files_carry_the_same_numbers(month, admin):
    report = admin.get("/api/reports/summary?period=2026-11").json
    as_csv = admin.get("/api/reports/summary?period=2026-11&format=csv")
    assert as_csv.headers["Content-Disposition"].endswith('"bao-cao-2026-11-01-2026-11-30.csv"')
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    header = rows[0]

    def as_text(value: Any) -> str:
        return "" if value is None else str(value)

    def flat(row: dict[str, Any]) -> dict[str, str]:
        values = {key: as_text(value) for key, value in without_names(row).items()}
        for nested in ("ratings", "outcomes"):
            values.update({f"{nested}_{k}": str(v) for k, v in row[nested].items()})
            del values[nested]
        return values

    read = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert len(read) == len(rows) - 1
    assert read[("totals", "")]["tên"] == "Tổng cộng"
    expected_rows_read = {("totals", ""): report["totals"]}
    for group in ("procedures", "fields", "counters", "officers"):
        expected_rows_read.update({(group, str(row["id"])): row for row in report[group]})
    assert set(read) == set(expected_rows_read)
    for key, row in expected_rows_read.items():
        in_file = {column: value for column, value in read[key].items()}
        assert {c: in_file[c] for c in flat(row)} == flat(row), key

    workbook = load_workbook(
        io.BytesIO(admin.get("/api/reports/summary?period=2026-11&format=xlsx").data)
    )
    assert workbook.sheetnames == ["Tổng hợp", "Thủ tục", "Lĩnh vực", "Quầy", "Cán bộ", "Chú giải"]
    totals_sheet = workbook["Tổng hợp"]
    assert "Tháng 11 năm 2026" in totals_sheet["A1"].value
    assert "01/11/2026" in totals_sheet["A1"].value
    sheet_header = [cell.value for cell in totals_sheet[2]]
    assert sheet_header == header[1:]
    values = dict(zip(sheet_header, [cell.value for cell in totals_sheet[3]], strict=True))
    assert values["tên"] == "Tổng cộng"
    for column, value in flat(report["totals"]).items():
        assert as_text(values[column]) == value, column
    officers = workbook["Cán bộ"]
    assert [row[1].value for row in officers.iter_rows(min_row=3)] == [
        row["name"] for row in report["officers"]
    ]
    legend = {row[0].value: row[1].value for row in workbook["Chú giải"].iter_rows(min_row=2)}
    assert set(legend) == set(sheet_header)
    assert legend["online_help"] == "Số phiếu hỗ trợ nộp hồ sơ trực tuyến"


def test_overdue_dossiers_are_those_not_returned_after_their_due_date(month, officer):
    today = END_OF_PLAY.date()
    expected = sorted(
        (v for v in month.visits if v.code and v.returned_on is None and v.due < today),
        key=lambda v: (v.due, v.finished_at),
    )
    assert expected, "the month has overdue dossiers"
    overdue = officer.get("/api/dossiers/overdue").json
    assert [row["code"] for row in overdue] == [v.code for v in expected]
    for row, visit in zip(overdue, expected, strict=True):
        assert row["due_date"] == visit.due.isoformat()
        assert row["procedure_id"] == visit.procedure
        assert row["received_at"] == visit.finished_at.isoformat()
        assert row["calendar_days_overdue"] == (today - visit.due).days
        assert row["days_overdue"] == len(working_days(visit.due + timedelta(days=1), today))
        assert row["officer_name"] == visit.officer_name


def test_the_evaluation_of_the_month(month, app, db):
    settings = app.extensions["motcua"].settings
    evaluation = evaluate(db, settings, parse_period(None, None, "2026-11"), END_OF_PLAY)
    thursdays = [date(2026, 11, day) for day in (5, 12, 19, 26)]
    assert [row["day"] for row in evaluation.days] == thursdays
    for row in evaluation.days:
        special = [v for v in month.visits if v.day == row["day"] and v.no_appointment]
        assert row["issued"] == len(special)
        assert row["resolved"] == sum(v.outcome == "resolved" for v in special)
        assert row["weekday"] == "Thứ Năm"
    assert evaluation.previous.label == "Tháng 10 năm 2026"
    headlines = {h.key: h for h in evaluation.headlines}
    october = expected_rows(month.visits, date(2026, 10, 1), date(2026, 10, 31), lambda v: 1)[1]
    november = expected_rows(month.visits, *NOVEMBER, lambda v: 1)[1]
    assert headlines["no_appointment_issued"].value == november["no_appointment_issued"]
    assert headlines["no_appointment_issued"].previous == october["no_appointment_issued"]
    assert headlines["online_help"].change == november["online_help"] - october["online_help"]
    # Ranked: the officers with at least 20 finished tickets in the month.
    finished = Counter(
        v.officer_name
        for v in month.visits
        if v.status == "finished" and NOVEMBER[0] <= v.day <= NOVEMBER[1]
    )
    assert {s.name for s in evaluation.ranked} == {n for n, c in finished.items() if c >= 20}
    assert {s.name for s in evaluation.unranked} == {n for n, c in finished.items() if c < 20}
