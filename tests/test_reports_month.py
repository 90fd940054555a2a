"""A month of activity played through the HTTP API, and the report checked against the test's
own log of what it did: the JSON, the CSV and XLSX files, and the DOCX a leader signs.

`Activity` plays working days with a fixed seed and a fixed clock: tickets for a dozen
procedures (no-appointment ones on Thursdays, before and after the 15:00 cut-off; incomplete
dossiers; the online-help desk), calls, recalls, transfers, no-shows, every outcome,
appointments whose dossiers are returned early, on time, late or not at all (those to be late
get an apology with a new date on their due day), supplements listing the missing documents,
refusals with their reason, ratings, and three staff at different counters. It writes down
every step in `Visit`s; the expected figures are computed from those, never read back from the
database.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from docx import Document
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
REFUSAL_REASONS = (
    "Không thuộc thẩm quyền giải quyết của xã",
    "Giấy tờ không hợp lệ",
    "Người yêu cầu không đủ điều kiện",
)
APOLOGY_REASONS = ("Chưa có kết quả thẩm định", "Chờ cơ quan khác phối hợp")
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
    missing: list[str] = field(default_factory=list)  # a supplement's missing documents
    reason: str | None = None  # a refusal's
    # each apology: (the day it was made, the new date, working days after the due date)
    apologies: list[tuple[date, date, int]] = field(default_factory=list)

    @property
    def promised(self) -> date | None:
        """The date the citizen was last promised: the latest apology's, else the due date."""
        return self.apologies[-1][1] if self.apologies else self.due

    @property
    def day(self) -> date:
        return self.issued_at.date()

    @property
    def field_id(self) -> str:
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
        self.apologies: dict[date, list[tuple[Visit, date]]] = defaultdict(list)
        catalog = kiosk.get("/api/procedures").json
        self.documents = {p["id"]: p["documents"] for p in catalog}
        self.processing_days = {p["id"]: p["processing_days"] for p in catalog}

    def play(self, days: list[date]) -> Activity:
        for day in days:
            self.play_day(day)
        return self

    def play_day(self, day: date) -> None:
        self.apologize(day)
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
        elif outcome == "supplement":
            checklist = self.documents[visit.procedure]
            visit.missing = self.random.sample(
                checklist, min(len(checklist), self.random.randint(1, 2))
            )
            body["missing_documents"] = visit.missing
        elif outcome == "refused":
            visit.reason = self.random.choice(REFUSAL_REASONS)
            body["reason"] = visit.reason
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
            visit.missing, visit.reason = [], None  # a correction gives the whole new result

    def plan_return(self, visit: Visit) -> None:
        """Early (a day between reception and due date), on time, late, or never."""
        assert visit.due is not None
        fate = self.random.choices(["early", "on_time", "late", "never"], [35, 35, 20, 10])[0]
        between = working_days(visit.day + timedelta(days=1), visit.due - timedelta(days=1))
        if fate == "early" and between:
            self.returns[self.random.choice(between)].append(visit)
        elif fate in ("early", "on_time"):
            self.returns[visit.due].append(visit)
        elif fate == "late":  # the officer sees it coming: an apology on the due day
            returned = working_day_after(visit.due, self.random.randint(1, 3))
            self.returns[returned].append(visit)
            self.apologies[visit.due].append((visit, returned))
        else:  # never returned, though promised again
            self.apologies[visit.due].append((visit, working_day_after(visit.due, 1)))

    def apologize(self, day: date) -> None:
        """The apologies due today, each with its new date, before the returns at 07:05."""
        for index, (visit, new_date) in enumerate(self.apologies.pop(day, [])):
            self.clock.set(datetime.combine(day, time(7, 0), TZ) + timedelta(seconds=index))
            reason = self.random.choice(APOLOGY_REASONS)
            response = self.staff["canbo"].post(
                f"/api/dossiers/{visit.code}/apology",
                json={"new_due_date": new_date.isoformat(), "reason": reason},
            )
            assert response.status_code == 201, response.json
            assert visit.due is not None
            days_late = len(working_days(visit.due + timedelta(days=1), new_date))
            assert response.json["days_late"] == days_late
            visit.apologies.append((day, new_date, days_late))

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


def figures(
    tickets: list[Visit], dossiers: list[Visit], apologies: list[tuple[date, date, int]]
) -> dict[str, Any]:
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
        "channels": {"kiosk": len(tickets), "remote": 0, "booking": 0},  # all from the kiosk
        "apologies": len(apologies),
        "apology_days_late": sum(days_late for _, _, days_late in apologies),
    }


def expected_rows(
    visits: list[Visit], first: date, last: date, key: Callable[[Visit], Any]
) -> dict[Any, dict[str, Any]]:
    """Figures per group: tickets by their day, dossiers by the day they were returned,
    apologies by the day they were made (each in the group of the ticket that received it)."""
    groups: dict[Any, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
    for visit in visits:
        if first <= visit.day <= last:
            groups[key(visit)][0].append(visit)
        if visit.returned_on and first <= visit.returned_on <= last:
            groups[key(visit)][1].append(visit)
        groups[key(visit)][2].extend(a for a in visit.apologies if first <= a[0] <= last)
    return {
        group: figures(*lists)
        for group, lists in groups.items()
        if group is not None and (lists[0] or lists[1] or lists[2])
    }


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
        ("fields", lambda v: v.field_id),
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
            empty = figures([], [], [])
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
    workbook = load_workbook(
        io.BytesIO(admin.get("/api/reports/summary?period=2026-11&format=xlsx").data)
    )
    # The legend says which JSON key each Vietnamese header stands for.
    legend = {row[0].value: row[2].value for row in workbook["Chú giải"].iter_rows(min_row=2)}
    as_csv = admin.get("/api/reports/summary?period=2026-11&format=csv")
    assert as_csv.headers["Content-Disposition"].endswith('"bao-cao-2026-11-01-2026-11-30.csv"')
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Nhóm", "Mã", "Tên"]
    assert set(header[1:]) == set(legend)
    keys = ["group", *(legend[column] for column in header[1:])]

    def shown(key: str, value: Any) -> str:
        """As the CSV writes it: nothing for none, a rate as 66,7%."""
        if value is None:
            return ""
        if key.endswith("_rate"):
            return f"{100 * value:.1f}".replace(".", ",") + "%"
        return str(value)

    def flat(row: dict[str, Any]) -> dict[str, Any]:
        values = dict(without_names(row))
        for nested in ("ratings", "outcomes", "channels"):
            values.update({f"{nested}_{k}": v for k, v in row[nested].items()})
            del values[nested]
        return values

    groups = {"Tổng hợp": "totals", "Thủ tục": "procedures", "Lĩnh vực": "fields"}
    groups |= {"Quầy": "counters", "Cán bộ": "officers"}
    read = {(groups[row[0]], row[1]): dict(zip(keys, row, strict=True)) for row in rows[1:]}
    assert len(read) == len(rows) - 1
    assert read[("totals", "")]["name"] == "Tổng cộng"
    expected_rows_read = {("totals", ""): report["totals"]}
    for group in ("procedures", "fields", "counters", "officers"):
        expected_rows_read.update({(group, str(row["id"])): row for row in report[group]})
    assert set(read) == set(expected_rows_read)
    for key, row in expected_rows_read.items():
        expected = {k: shown(k, v) for k, v in flat(row).items()}
        assert {k: read[key][k] for k in expected} == expected, key

    assert workbook.sheetnames[:5] == ["Tổng hợp", "Thủ tục", "Lĩnh vực", "Quầy", "Cán bộ"]
    totals_sheet = workbook["Tổng hợp"]
    assert "Tháng 11 năm 2026" in totals_sheet["A1"].value
    assert "01/11/2026" in totals_sheet["A1"].value
    sheet_header = [cell.value for cell in totals_sheet[2]]
    assert sheet_header == header[1:]
    cells = dict(zip(keys[1:], totals_sheet[3], strict=True))
    assert cells["name"].value == "Tổng cộng"
    for column, value in flat(report["totals"]).items():
        assert cells[column].value == value, column
    assert cells["no_appointment_rate"].number_format == "0.0%"
    officers = workbook["Cán bộ"]
    assert [row[1].value for row in officers.iter_rows(min_row=3)] == [
        row["name"] for row in report["officers"]
    ]
    meanings = {row[0].value: row[1].value for row in workbook["Chú giải"].iter_rows(min_row=2)}
    assert meanings["Hỗ trợ nộp trực tuyến"] == "Số phiếu hỗ trợ nộp hồ sơ trực tuyến"


def test_overdue_dossiers_are_those_not_returned_after_their_promised_date(month, officer):
    today = END_OF_PLAY.date()
    expected = sorted(
        (v for v in month.visits if v.code and v.returned_on is None and v.promised < today),
        key=lambda v: (v.promised, v.finished_at),
    )
    assert expected, "the month has overdue dossiers"
    assert any(v.apologies for v in expected), "and some were promised again, in vain"
    overdue = officer.get("/api/dossiers/overdue").json
    assert [row["code"] for row in overdue] == [v.code for v in expected]
    for row, visit in zip(overdue, expected, strict=True):
        assert row["due_date"] == visit.due.isoformat()
        assert row["promised_date"] == visit.promised.isoformat()
        assert row["apologies"] == len(visit.apologies)
        assert row["procedure_id"] == visit.procedure
        assert row["received_at"] == visit.finished_at.isoformat()
        assert row["calendar_days_overdue"] == (today - visit.promised).days
        assert row["days_overdue"] == len(working_days(visit.promised + timedelta(days=1), today))
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


# --- The province's table and indicators, the files and the report a leader signs -------------


def resolved_in(month: Activity, first: date, last: date) -> list[tuple[Visit, str]]:
    """The dossiers resolved in the period, each with its timeliness: appointments returned
    (against their original due date, apology or not) and tickets resolved on the spot
    (against the procedure's legal time: none is on time, some days is early)."""
    returned = [
        (v, timeliness(v.returned_on, v.due))  # type: ignore[arg-type]
        for v in month.visits
        if v.returned_on and first <= v.returned_on <= last
    ]
    on_the_spot = [
        (v, "early" if month.processing_days[v.procedure] > 0 else "on_time")
        for v in month.visits
        if first <= v.day <= last and v.outcome == "resolved"
    ]
    return returned + on_the_spot


def expected_dossier_table(month: Activity, first: date, last: date) -> dict[str, dict]:
    """Circular 01/2020's columns per field, from the test's own log."""
    table: dict[str, Counter] = defaultdict(Counter)
    for visit, kind in resolved_in(month, first, last):
        table[visit.field_id][f"resolved_{kind}"] += 1
    for v in month.visits:
        row = table[v.field_id]
        if first <= v.day <= last and v.outcome in ("resolved", "appointment"):
            row["received_in_person"] += 1
        if not v.code:
            continue
        received = v.finished_at.date()  # type: ignore[union-attr]
        if received < first and (v.returned_on is None or v.returned_on >= first):
            row["carried_over"] += 1
        if received <= last and (v.returned_on is None or v.returned_on > last):
            overdue = v.due < last  # type: ignore[operator]
            row["in_progress_overdue" if overdue else "in_progress_within_time"] += 1
    for row in table.values():
        row["received_total"] = row["received_in_person"] + row["carried_over"]
        row["resolved_total"] = sum(row[f"resolved_{k}"] for k in ("early", "on_time", "late"))
        row["in_progress_total"] = row["in_progress_within_time"] + row["in_progress_overdue"]
    return table


DOSSIER_COLUMNS = (
    "received_total", "received_in_person", "carried_over",
    "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
    "in_progress_total", "in_progress_within_time", "in_progress_overdue",
)  # fmt: skip


def expected_indicators(month: Activity, first: date, last: date) -> dict[str, tuple[int, int]]:
    """Each indicator's (numerator, denominator), from the test's own log."""
    resolved = resolved_in(month, first, last)
    kinds = Counter(kind for _, kind in resolved)
    faulted = sum(kind == "late" or v.rating == "unsatisfied" for v, kind in resolved)
    ratings = Counter(v.rating for v in month.visits if first <= v.day <= last)
    special = [v for v in month.visits if first <= v.day <= last and v.no_appointment]
    return {
        "on_time_rate": (kinds["early"] + kinds["on_time"], len(resolved)),
        "early_rate": (kinds["early"], len(resolved)),
        "late_rate": (kinds["late"], len(resolved)),
        "satisfaction_rate": (
            ratings["very_satisfied"] + ratings["satisfied"],
            sum(ratings[r] for r in RATINGS),
        ),
        "satisfaction_rate_766": (len(resolved) - faulted, len(resolved)),
        "no_appointment_rate": (
            sum(v.outcome == "resolved" for v in special),
            sum(v.status == "finished" for v in special),
        ),
    }


def test_the_dossier_table_and_the_indicators(month, admin):
    report = admin.get("/api/reports/summary?period=2026-11").json
    expected = expected_dossier_table(month, *NOVEMBER)
    for row in report["dossier_table"]:
        assert {c: row[c] for c in DOSSIER_COLUMNS} == {
            c: expected[row["id"]][c] for c in DOSSIER_COLUMNS
        }, row["id"]
        assert row["received_total"] == row["resolved_total"] + row["in_progress_total"]
    totals = {c: sum(expected[f][c] for f in expected) for c in DOSSIER_COLUMNS}
    assert report["dossier_table_totals"] == totals
    assert min(totals[c] for c in DOSSIER_COLUMNS) > 0, "every column means something"

    expected_shares = expected_indicators(month, *NOVEMBER)
    indicators = {i["key"]: i for i in report["indicators"]}
    assert list(indicators) == list(expected_shares)
    for key, (numerator, denominator) in expected_shares.items():
        indicator = indicators[key]
        assert (indicator["numerator"], indicator["denominator"]) == (numerator, denominator), key
        assert indicator["value"] == round(numerator / denominator, 4), key
        assert indicator["formula"]
    assert indicators["on_time_rate"]["source"].startswith("Quyết định số 766/QĐ-TTg")

    # What the officers wrote down at the counter, counted per procedure.
    november = [v for v in month.visits if NOVEMBER[0] <= v.day <= NOVEMBER[1]]
    missing = Counter(
        (v.procedure, document)
        for v in november
        if v.outcome == "supplement"
        for document in v.missing
    )
    reasons = Counter(
        (v.procedure, v.reason) for v in november if v.outcome == "refused" and v.reason
    )
    assert missing and reasons
    assert {
        (m["procedure_id"], m["document"]): m["count"] for m in report["missing_documents"]
    } == missing
    assert {
        (r["procedure_id"], r["reason"]): r["count"] for r in report["refusal_reasons"]
    } == reasons


def test_the_workbook_lays_the_dossiers_out_as_circular_01_does(month, admin):
    data = admin.get("/api/reports/summary?period=2026-11&format=xlsx").data
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Tình hình giải quyết hồ sơ"]
    assert sheet["A4"].value == "STT" and sheet["B4"].value == "Lĩnh vực"
    assert [sheet.cell(4, c).value for c in (3, 6, 10)] == [
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
    ]
    expected = expected_dossier_table(month, *NOVEMBER)
    fields = [
        (row["id"], row["name"])
        for row in admin.get("/api/reports/summary?period=2026-11").json["dossier_table"]
    ]
    body = list(sheet.iter_rows(min_row=7, values_only=True))
    assert len(body) == len(fields) + 1
    for index, ((field_id, name), values) in enumerate(zip(fields, body, strict=False), 1):
        assert values[:2] == (index, name)
        assert list(values[2:]) == [expected[field_id][c] for c in DOSSIER_COLUMNS], name
    assert body[-1][1] == "Tổng cộng"
    assert list(body[-1][2:]) == [sum(expected[f][c] for f in expected) for c in DOSSIER_COLUMNS]

    days = list(workbook["Ngày không hẹn"].iter_rows(min_row=3, values_only=True))
    thursdays = [date(2026, 11, day) for day in (5, 12, 19, 26)]
    for thursday, row in zip(thursdays, days, strict=False):
        special = [v for v in month.visits if v.day == thursday and v.no_appointment]
        finished = sum(v.status == "finished" for v in special)
        resolved = sum(v.outcome == "resolved" for v in special)
        assert row[0].date() == thursday
        assert row[2:5] == (len(special), finished, resolved)
        assert row[5] == pytest.approx(resolved / finished)
    assert days[len(thursdays)][0] == "Cộng 4 ngày"


def docx_text(document: Any) -> list[str]:
    """Every paragraph of the body and of its tables (and theirs), in order."""
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [paragraph.text for paragraph in cell.paragraphs]
    return texts


def test_the_report_a_leader_signs_carries_the_months_figures(month, admin):
    response = admin.get("/api/reports/summary?period=2026-11&format=docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    texts = docx_text(document)
    joined = "\n".join(texts)
    # The administrative format: issuing bodies and the national motto, number, place and date.
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined
    assert "Độc lập - Tự do - Hạnh phúc" in joined
    assert any(t.startswith("Số:") and t.endswith("/BC-TTPVHCC") for t in texts)
    assert any("ngày 30 tháng 11 năm 2026" in t for t in texts)
    assert any(
        "Kết quả thực hiện mô hình “Ngày Thứ năm không hẹn” tháng 11 năm 2026" in t for t in texts
    )
    assert any(t.startswith("Kính gửi:") for t in texts)
    assert any(t.startswith("Nơi nhận") for t in texts)

    # Circular 01's table with the test's own figures, the apologies, the indicators.
    expected = expected_dossier_table(month, *NOVEMBER)
    totals = [str(sum(expected[f][c] for f in expected)) for c in DOSSIER_COLUMNS]
    grids = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    total_rows = [
        [cell.text for cell in row.cells]
        for table in grids
        for row in table.rows
        if row.cells[1].text == "Tổng cộng"
    ]
    assert [row[2:] for row in total_rows] == [totals]
    apologies = [a for v in month.visits for a in v.apologies if NOVEMBER[0] <= a[0] <= NOVEMBER[1]]
    assert apologies
    days_late = sum(a[2] for a in apologies)
    assert f"đã lập trong kỳ: {len(apologies)} phiếu, tổng cộng {days_late} ngày làm việc" in joined
    shares = expected_indicators(month, *NOVEMBER)
    indicators = next(
        t for t in document.tables if t.rows[0].cells[0].text == "Chỉ tiêu và cách tính"
    )
    assert [(row.cells[1].text, row.cells[2].text) for row in indicators.rows[1:]] == [
        (str(numerator), str(denominator)) for numerator, denominator in shares.values()
    ]
