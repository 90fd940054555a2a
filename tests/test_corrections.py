"""The officer's corrections: calling a particular number, putting a no-show back in line,
correcting how a service ended, what a supplement lacked and why a refusal, a note for the
next counter."""

from __future__ import annotations

import json

import pytest

from tests.conftest import logged_in

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
WILL = "chung-thuc-di-chuc"  # counter 1 only
BIRTH = "khai-sinh"  # counters 2 and 3


def snapshot(db) -> tuple:
    return (
        db.execute(
            """SELECT status, counter_id, outcome, missing_documents, outcome_reason, note,
                      corrected_at FROM tickets ORDER BY rowid"""
        ).fetchall(),
        db.execute("SELECT count(*) FROM ticket_events").fetchone()[0],
        db.execute("SELECT count(*) FROM dossiers").fetchone()[0],
        db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def refused(response, status: int, code: str) -> str:
    assert (response.status_code, response.json["error"]["code"]) == (status, code)
    return response.json["error"]["message"]


# --- Calling a particular number --------------------------------------------------------------


def test_a_particular_waiting_ticket_is_called_out_of_turn(officer, issue, client):
    first, second, third = issue(WILL), issue(WILL), issue(WILL)
    called = officer.post(f"/api/tickets/{third['id']}/call", json={"counter_id": 1})
    assert called.status_code == 200
    assert (called.json["number"], called.json["status"], called.json["counter_id"]) == (
        "A003",
        "called",
        1,
    )
    recent = client.get("/api/stats/today").json["recent_calls"][0]
    assert (recent["number"], recent["counter_id"]) == ("A003", 1)
    officer.post(f"/api/tickets/{third['id']}/finish", json={"outcome": "resolved"})
    assert officer.post("/api/counters/1/next").json["id"] == first["id"]  # the order resumes
    assert second["number"] == "A002"


def test_a_call_out_of_turn_respects_lines_and_states(officer, issue, db):
    birth = issue(BIRTH)
    before = snapshot(db)
    message = refused(
        officer.post(f"/api/tickets/{birth['id']}/call", json={"counter_id": 1}),
        409,
        "not_in_line",
    )
    assert "B001" in message and "Quầy 1" in message
    will, other = issue(WILL), issue(WILL)
    officer.post(f"/api/tickets/{will['id']}/call", json={"counter_id": 1})
    before = snapshot(db)
    busy = officer.post(f"/api/tickets/{other['id']}/call", json={"counter_id": 1})
    assert "A001" in refused(busy, 409, "counter_busy")
    again = officer.post(f"/api/tickets/{will['id']}/call", json={"counter_id": 1})
    assert "đang được phục vụ" in refused(again, 409, "wrong_state")
    assert snapshot(db) == before
    refused(
        officer.post("/api/tickets/khong-co/call", json={"counter_id": 1}), 404, "ticket_not_found"
    )
    refused(officer.post(f"/api/tickets/{other['id']}/call", json={}), 400, "missing_field")


# --- A no-show back in line ----------------------------------------------------------------------


def test_a_no_show_who_comes_back_is_called_next(officer, issue, client):
    absent, waiting = issue(WILL), issue(WILL)
    officer.post("/api/counters/1/next")
    officer.post(f"/api/tickets/{absent['id']}/no-show")
    back = officer.post(f"/api/tickets/{absent['id']}/reinstate")
    assert back.status_code == 200
    assert (back.json["status"], back.json["waiting_ahead"]) == ("waiting", 0)
    assert client.get(f"/api/tickets/{waiting['key']}").json["waiting_ahead"] == 1
    console = officer.get("/api/counters/1/state").json
    assert [t["number"] for t in console["waiting"]] == ["A001", "A002"]
    assert console["no_shows"] == []
    again = officer.post("/api/counters/1/next").json
    assert (again["id"], again["status"]) == (absent["id"], "called")


def test_only_a_no_show_of_today_goes_back(app, officer, issue, clock, db):
    ticket = issue(WILL)
    message = refused(officer.post(f"/api/tickets/{ticket['id']}/reinstate"), 409, "wrong_state")
    assert "A001" in message and "đang chờ gọi" in message
    officer.post("/api/counters/1/next")
    officer.post(f"/api/tickets/{ticket['id']}/no-show")
    stranger = logged_in(app, "canbo2").post(f"/api/tickets/{ticket['id']}/reinstate")
    refused(stranger, 403, "not_your_counter")
    clock.advance(days=1)
    before = snapshot(db)
    late = officer.post(f"/api/tickets/{ticket['id']}/reinstate")
    assert "26/11/2026" in refused(late, 409, "ticket_expired")
    assert snapshot(db) == before


# --- Correcting an outcome ---------------------------------------------------------------------


def served(officer, issue, procedure=WILL, **finish):
    ticket = issue(procedure)
    officer.post("/api/counters/1/next")
    body = {"outcome": "resolved", **finish}
    assert officer.post(f"/api/tickets/{ticket['id']}/finish", json=body).status_code == 200
    return ticket


def test_a_mis_pressed_outcome_is_corrected_and_audited(officer, admin, issue, db):
    ticket = served(officer, issue)
    corrected = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "advice"})
    assert corrected.status_code == 200
    assert corrected.json["outcome"] == "advice"
    assert corrected.json["corrected_at"] is not None
    report = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-26").json
    assert report["totals"]["outcomes"]["advice"] == 1
    assert report["totals"]["resolved"] == 0
    assert report["totals"]["corrected"] == 1
    action, user, before, after = db.execute(
        """SELECT a.action, u.username, a.before, a.after FROM audit_log a
           JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT 1"""
    ).fetchone()
    assert (action, user) == ("ticket.correct", "canbo")
    assert json.loads(before)["outcome"] == "resolved"
    assert json.loads(after)["outcome"] == "advice"
    console = officer.get("/api/counters/1/state").json
    assert [(t["number"], t["outcome"]) for t in console["finished_today"]] == [("A001", "advice")]


def test_a_correction_to_an_appointment_files_the_dossier_and_back(officer, issue, db):
    ticket = served(officer, issue)
    appointment = officer.post(
        f"/api/tickets/{ticket['id']}/correct",
        json={"outcome": "appointment", "due_date": "2026-11-30"},
    ).json
    assert appointment["dossier_code"] and appointment["due_date"] == "2026-11-30"
    slips = db.execute("SELECT count(*) FROM print_jobs WHERE kind = 'slip'").fetchone()[0]
    assert slips == 1
    back = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "resolved"})
    assert (back.json["dossier_code"], back.json["due_date"]) == (None, None)
    assert db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0


def test_a_returned_dossier_cannot_be_corrected_away(officer, issue, db):
    ticket = served(officer, issue, outcome="appointment", due_date="2026-11-30")
    code = officer.get(f"/api/tickets/{ticket['id']}").json["dossier_code"]
    officer.post(f"/api/dossiers/{code}/return")
    before = snapshot(db)
    response = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "resolved"})
    assert code in refused(response, 409, "dossier_returned")
    assert snapshot(db) == before


def test_corrections_are_refused_when_they_should_be(app, officer, admin, issue, clock, db):
    ticket = served(officer, issue)
    waiting = issue(WILL)
    before = snapshot(db)
    message = refused(
        officer.post(f"/api/tickets/{waiting['id']}/correct", json={"outcome": "advice"}),
        409,
        "wrong_state",
    )
    assert "đang chờ gọi" in message
    same = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "resolved"})
    refused(same, 400, "unchanged")
    other = logged_in(app, "canbo2").post(
        f"/api/tickets/{ticket['id']}/correct", json={"outcome": "advice"}
    )
    refused(other, 403, "not_your_ticket")
    refused(
        officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "gone"}),
        400,
        "invalid_outcome",
    )
    assert snapshot(db) == before
    by_admin = admin.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "advice"})
    assert by_admin.status_code == 200
    clock.advance(days=1)
    later = officer.post(f"/api/tickets/{ticket['id']}/correct", json={"outcome": "refused"})
    assert "26/11/2026" in refused(later, 409, "wrong_state")


# --- What a supplement lacked, why a refusal -------------------------------------------------


def test_a_supplement_keeps_the_missing_documents_and_a_refusal_its_reason(officer, admin, issue):
    missing = ["Bản chính giấy tờ", "  Bản sao   cần chứng thực "]
    supplement = served(officer, issue, outcome="supplement", missing_documents=missing)
    assert officer.get(f"/api/tickets/{supplement['id']}").json["missing_documents"] == [
        "Bản chính giấy tờ",
        "Bản sao cần chứng thực",
    ]
    served(officer, issue, outcome="supplement", missing_documents=["Bản chính giấy tờ"])
    served(officer, issue, outcome="refused", reason="Không thuộc thẩm quyền của xã")
    report = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-26").json
    assert report["missing_documents"] == [
        {"procedure_id": WILL, "document": "Bản chính giấy tờ", "count": 2},
        {"procedure_id": WILL, "document": "Bản sao cần chứng thực", "count": 1},
    ]
    assert report["refusal_reasons"] == [
        {"procedure_id": WILL, "reason": "Không thuộc thẩm quyền của xã", "count": 1}
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"outcome": "resolved", "missing_documents": ["Tờ khai"]}, "unexpected_missing_documents"),
        ({"outcome": "supplement", "missing_documents": []}, "invalid_missing_documents"),
        ({"outcome": "supplement", "missing_documents": [""]}, "invalid_missing_documents"),
        ({"outcome": "supplement", "missing_documents": [7]}, "invalid_missing_documents"),
        ({"outcome": "supplement", "missing_documents": ["x"] * 21}, "invalid_missing_documents"),
        ({"outcome": "supplement", "missing_documents": "Tờ khai"}, "invalid_field"),
        ({"outcome": "advice", "reason": "Không rõ"}, "unexpected_reason"),
        ({"outcome": "refused", "reason": "x" * 501}, "invalid_text"),
        ({"outcome": "refused", "reason": 5}, "invalid_text"),
    ],
)
def test_a_finish_with_the_wrong_details_writes_nothing(officer, issue, db, body, code):
    ticket = issue(WILL)
    officer.post("/api/counters/1/next")
    before = snapshot(db)
    refused(officer.post(f"/api/tickets/{ticket['id']}/finish", json=body), 400, code)
    assert snapshot(db) == before


# --- A note for the next counter ---------------------------------------------------------------


def test_a_note_follows_the_ticket_to_the_next_counter_and_stays_with_staff(
    app, officer, issue, client
):
    ticket = issue(COPY)
    officer.post("/api/counters/1/next")
    noted = officer.post(f"/api/tickets/{ticket['id']}/note", json={"note": "Đã kiểm tra CCCD"})
    assert noted.json["note"] == "Đã kiểm tra CCCD"
    colleague = logged_in(app, "canbo2")
    colleague.post("/api/counters/2/resume")
    officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 2})
    console = colleague.get("/api/counters/2/state").json
    assert console["waiting"][0]["note"] == "Đã kiểm tra CCCD"
    mine = client.get(f"/api/tickets/{ticket['key']}").json
    assert "note" not in mine and "officer_id" not in mine  # the citizen's page
    stats = json.dumps(client.get("/api/stats/today").json, ensure_ascii=False)
    assert "Đã kiểm tra CCCD" not in stats
    late = officer.post(f"/api/tickets/{ticket['id']}/note", json={"note": "Thêm"})
    refused(late, 409, "wrong_state")  # no longer served here: it waits at counter 2
    called = colleague.post("/api/counters/2/next").json
    refused(
        colleague.post(f"/api/tickets/{called['id']}/note", json={"note": "x" * 501}),
        400,
        "invalid_text",
    )
    cleared = colleague.post(f"/api/tickets/{called['id']}/note", json={"note": ""})
    assert cleared.json["note"] is None
