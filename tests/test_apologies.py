"""POST /api/dossiers/CODE/apology: an apology with a new date for a dossier due or overdue,
every refusal with nothing written, the audit entry, the timeliness that stays late, and the
report that counts apologies where the dossier was received."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import logged_in
from tests.test_due_watch import appointment, at, holiday

REASON = "Chưa có kết quả thẩm định"


@pytest.fixture
def overdue(officer, issue, clock, db) -> dict:
    """A dossier received Monday 23/11 and due Tuesday 24/11; today is Thursday 26/11 at 10:00,
    with Wednesday 25/11 a holiday."""
    ticket = appointment(officer, issue, clock, date(2026, 11, 23), "2026-11-24")
    holiday(db, "2026-11-25")
    at(clock, date(2026, 11, 26), hour=10)
    return ticket


def apologize(client, code: str, new_due_date, reason=REASON):
    return client.post(
        f"/api/dossiers/{code}/apology", json={"new_due_date": new_due_date, "reason": reason}
    )


def written(db) -> tuple[int, int]:
    """How many apologies and audit entries the database holds."""
    apologies = db.execute("SELECT count(*) FROM dossier_apologies").fetchone()[0]
    audited = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return apologies, audited


def test_an_overdue_dossier_gets_an_apology_with_a_new_date(officer, overdue, clock, db):
    code = overdue["dossier_code"]
    response = apologize(officer, code.lower(), "2026-11-30")  # the code as typed
    assert response.status_code == 201, response.json
    apology = response.json
    assert apology["code"] == code
    assert apology["number"] == overdue["number"]
    assert apology["procedure_id"] == "chung-thuc-ban-sao"
    assert apology["procedure_name"] == "Chứng thực bản sao từ bản chính"
    assert (apology["due_date"], apology["previous_date"], apology["new_due_date"]) == (
        "2026-11-24",
        "2026-11-24",
        "2026-11-30",
    )
    # Working days after Tuesday 24 up to Monday 30: Thu 26, Fri 27, Mon 30 (25 a holiday).
    assert apology["days_late"] == 3
    assert apology["apologies"] == 1
    assert apology["apologized_at"] == "2026-11-26T10:00:00+07:00"
    assert apology["reason"] == REASON
    assert apology["officer_name"] == "canbo"
    entry = db.execute(
        "SELECT action, target, before, after FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert entry[0] == "dossier.apology" and entry[1] == f"dossier:{code}"
    assert "2026-11-24" in entry[2] and "2026-11-30" in entry[3] and REASON in entry[3]

    # On Friday the new promise (Monday) is the next working day: a second apology starts
    # from it, and is counted.
    at(clock, date(2026, 11, 27), hour=16)
    second = apologize(officer, code, "2026-12-02", "Chờ cơ quan khác phối hợp")
    assert second.status_code == 201, second.json
    assert second.json["previous_date"] == "2026-11-30"
    assert second.json["apologies"] == 2
    assert second.json["days_late"] == 5  # 26, 27, 30, 1, 2


@pytest.mark.parametrize(
    ("new_due_date", "why"),
    [
        ("2026-11-26", "today"),
        ("2026-11-28", "a Saturday"),
        ("2026-11-25", "a holiday, and past"),
        ("2026-11-20", "before the promised date"),
        ("2026-13-01", "no such day"),
        ("27/11/2026", "not YYYY-MM-DD"),
        (None, "missing"),
        (20261127, "not a text"),
    ],
)
def test_a_new_date_that_is_no_working_day_after_today_is_refused(
    officer, overdue, db, new_due_date, why
):
    before = written(db)
    response = apologize(officer, overdue["dossier_code"], new_due_date)
    assert response.status_code == 400, why
    assert response.json["error"]["code"] == "invalid_new_due_date"
    assert response.json["error"]["message"]
    assert written(db) == before


def test_the_new_date_must_come_after_the_last_promise(officer, overdue, clock):
    code = overdue["dossier_code"]
    assert apologize(officer, code, "2026-12-03").status_code == 201
    at(clock, date(2026, 12, 3), hour=8)  # the new promise is today: a second one may follow
    refused = apologize(officer, code, "2026-12-03")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "invalid_new_due_date"
    assert "03/12/2026" in refused.json["error"]["message"]


@pytest.mark.parametrize(
    ("reason", "code"),
    [(None, "reason_required"), ("   ", "reason_required"), ("x" * 501, "invalid_text")],
)
def test_a_reason_is_required_and_short(officer, overdue, db, reason, code):
    before = written(db)
    response = apologize(officer, overdue["dossier_code"], "2026-11-30", reason)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert written(db) == before


def test_an_unknown_dossier_is_404(officer, overdue, db):
    before = written(db)
    response = apologize(officer, "HS-000000-KHONG", "2026-11-30")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "dossier_not_found"
    assert written(db) == before


def test_a_returned_dossier_needs_no_apology(officer, overdue, db):
    code = overdue["dossier_code"]
    assert officer.post(f"/api/dossiers/{code}/return").status_code == 200
    before = written(db)
    response = apologize(officer, code, "2026-11-30")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "dossier_returned"
    assert written(db) == before


def test_a_dossier_not_due_yet_gets_no_apology(officer, issue, clock, db):
    # Received Thursday 26/11: due Monday 30/11 is not the next working day (Friday 27).
    code = appointment(officer, issue, clock, date(2026, 11, 26), "2026-11-30")["dossier_code"]
    before = written(db)
    response = apologize(officer, code, "2026-12-01")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_due_yet"
    assert "30/11/2026" in response.json["error"]["message"]
    assert written(db) == before
    # On Friday it is due on the next working day (Monday): the apology is made in time.
    at(clock, date(2026, 11, 27), hour=15)
    assert apologize(officer, code, "2026-12-01").status_code == 201


def test_only_staff_apologize(client, overdue, db):
    before = written(db)
    assert apologize(client, overdue["dossier_code"], "2026-11-30").status_code == 401
    assert written(db) == before


def test_an_apologized_dossier_stays_late_and_its_ticket_keeps_its_outcome(
    officer, issue, clock, db
):
    # Received today, due tomorrow (the next working day): an apology may come at once.
    ticket = appointment(officer, issue, clock, date(2026, 11, 26), "2026-11-27")
    code = ticket["dossier_code"]
    assert apologize(officer, code, "2026-12-01").status_code == 201
    corrected = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "advice"})
    assert corrected.status_code == 409
    assert corrected.json["error"]["code"] == "dossier_apologized"
    # Returned on the new date, the dossier is still late against its due date.
    at(clock, date(2026, 12, 1), hour=9)
    returned = officer.post(f"/api/dossiers/{code}/return").json
    assert returned["timeliness"] == "late"


def test_the_report_counts_apologies_where_the_dossier_was_received(
    app, officer, overdue, admin, clock, db
):
    other = logged_in(app, "canbo2")  # another officer apologizes for canbo's dossier
    code = overdue["dossier_code"]
    first = apologize(other, code, "2026-11-27").json
    at(clock, date(2026, 11, 27), hour=16)
    second = apologize(officer, code, "2026-12-01").json
    at(clock, date(2026, 12, 2), hour=9)
    third = apologize(officer, code, "2026-12-03").json  # counted in December

    november = admin.get("/api/reports/summary?period=2026-11").json
    december = admin.get("/api/reports/summary?period=2026-12").json
    in_november = [first, second]
    totals = november["totals"]
    assert totals["apologies"] == len(in_november)
    assert totals["apology_days_late"] == sum(a["days_late"] for a in in_november)
    assert december["totals"]["apologies"] == 1
    assert december["totals"]["apology_days_late"] == third["days_late"]

    def row(group: str, row_id) -> dict:
        return next(r for r in november[group] if r["id"] == row_id)

    canbo = db.execute("SELECT id FROM users WHERE username = 'canbo'").fetchone()[0]
    canbo2 = db.execute("SELECT id FROM users WHERE username = 'canbo2'").fetchone()[0]
    assert row("procedures", "chung-thuc-ban-sao")["apologies"] == 2
    assert row("fields", "chung-thuc")["apologies"] == 2
    assert row("counters", 1)["apologies"] == 2
    assert row("officers", canbo)["apologies"] == 2  # who received it, not who apologized
    assert all(r["apologies"] == 0 for r in november["officers"] if r["id"] == canbo2)
    assert row("procedures", "khai-sinh")["apologies"] == 0
