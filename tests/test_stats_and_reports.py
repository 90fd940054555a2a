"""Today's stats and the period report for a scripted day, and the wait estimate."""

import csv
import io
from datetime import datetime, timedelta

from openpyxl import load_workbook

from tests.conftest import TZ, logged_in

COPY = "chung-thuc-ban-sao"  # eligible, counters 1 and 2
WILL = "chung-thuc-di-chuc"  # not eligible, counter 1
BIRTH = "khai-sinh"  # eligible, counters 2 and 3


def scripted_day(issue, officer, clock):
    """Thursday: 4 tickets, served one after another at counter 1, 10 minutes each."""
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=TZ))
    tickets = [issue(COPY), issue(COPY), issue(WILL), issue(COPY, documents_complete=False)]
    outcomes = ["resolved", "appointment", "resolved", None]  # the last one does not come
    for minute, (ticket, outcome) in enumerate(zip(tickets, outcomes, strict=True)):
        clock.set(datetime(2026, 11, 26, 8, 5 + 10 * minute, tzinfo=TZ))
        assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
        clock.advance(minutes=8)
        if outcome is None:
            officer.post(f"/api/tickets/{ticket['id']}/no-show")
        else:
            body = {"outcome": outcome}
            if outcome == "appointment":
                body["due_date"] = "2026-11-30"
            officer.post(f"/api/tickets/{ticket['id']}/finish", json=body)
    return tickets


def test_stats_for_a_scripted_day(client, officer, issue, clock):
    tickets = scripted_day(issue, officer, clock)
    issue(BIRTH)  # still waiting
    stats = client.get("/api/stats/today").json
    assert stats["date"] == "2026-11-26"
    assert stats["no_appointment_day"] is True
    assert stats["center_name"] == "Trung tâm phục vụ Hành chính công xã Lai Khê"
    assert (stats["issued"], stats["waiting"], stats["called"]) == (5, 1, 0)
    assert (stats["finished"], stats["no_show"]) == (3, 1)
    # waits: 5, 15, 25, 35 minutes after 08:00 → 20 minutes on average
    assert stats["average_wait_seconds"] == 20 * 60
    # two complete copy requests and the birth registration qualify; two of them finished
    headline = {k: v for k, v in stats["no_appointment"].items() if k != "procedures"}
    assert headline == {"issued": 3, "finished": 2, "resolved": 1, "rate": 0.5}
    assert [call["number"] for call in stats["recent_calls"]] == ["A004", "A003", "A002", "A001"]
    assert stats["recent_calls"][0]["counter_name"].startswith("Quầy 1")
    counter_one = next(c for c in stats["counters"] if c["id"] == 1)
    assert counter_one["open"] is True
    assert counter_one["current"] is None
    copy = next(p for p in stats["procedures"] if p["id"] == COPY)
    assert copy == {"id": COPY, "issued": 3, "waiting": 0, "finished": 2, "resolved": 1}
    civil = next(f for f in stats["fields"] if f["letter"] == "B")
    assert civil["waiting"] == 1
    assert tickets[0]["no_appointment"] is True


def test_the_same_day_rows_add_up_to_the_headline(client, officer, issue, clock):
    """Per procedure, only the no_appointment tickets count: A004 (declared incomplete) is
    in the procedure's own row but not in its same-day row."""
    scripted_day(issue, officer, clock)
    incomplete = issue(COPY, documents_complete=False)
    assert officer.post("/api/counters/1/next").json["id"] == incomplete["id"]
    officer.post(f"/api/tickets/{incomplete['id']}/finish", json={"outcome": "resolved"})
    stats = client.get("/api/stats/today").json
    figures = stats["no_appointment"]
    rows = {row["id"]: row for row in figures["procedures"]}
    assert rows[COPY] == {"id": COPY, "finished": 2, "resolved": 1}
    assert next(p for p in stats["procedures"] if p["id"] == COPY)["finished"] == 3
    assert sum(row["finished"] for row in figures["procedures"]) == figures["finished"] == 2
    assert sum(row["resolved"] for row in figures["procedures"]) == figures["resolved"] == 1
    assert WILL not in rows  # not part of the no-appointment model
    assert rows[BIRTH] == {"id": BIRTH, "finished": 0, "resolved": 0}


def test_a_recent_call_names_the_counter_of_that_call(app, client, officer, issue):
    """After a transfer the ticket waits at counter 2, but its call was at counter 1."""
    ticket = issue(COPY)
    assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
    colleague = logged_in(app, "canbo2")
    assert colleague.post("/api/counters/2/resume").status_code == 200  # someone is at 2
    response = officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 2})
    assert response.status_code == 200, response.json
    call = client.get("/api/stats/today").json["recent_calls"][0]
    assert call["number"] == ticket["number"]
    assert call["counter_id"] == 1
    assert call["counter_name"].startswith("Quầy 1")
    assert call["status"] == "waiting"
    assert isinstance(call["seq"], int)


def test_a_called_ticket_shows_at_its_counter(client, officer, issue):
    ticket = issue(BIRTH)
    officer.post("/api/counters/3/next")
    stats = client.get("/api/stats/today").json
    counter = next(c for c in stats["counters"] if c["id"] == 3)
    assert counter["current"]["number"] == ticket["number"]
    assert "id" not in counter["current"]  # the lobby sees a number, nothing to act on
    assert stats["called"] == 1


def test_the_estimate_uses_the_catalog_time_until_the_day_has_data(client, officer, issue, clock):
    assert officer.post("/api/counters/1/resume").status_code == 200  # its one counter opens
    will = next(p for p in client.get("/api/procedures").json if p["id"] == WILL)
    # nobody waits, one counter serves it, 15 catalog minutes: [0, ⌈1 × 15 × 1.25⌉]
    assert will["waiting"] == 0
    assert will["estimated_wait_minutes"] == [0, 19]
    for _ in range(3):
        issue(WILL)
    fourth = issue(WILL)
    assert fourth["waiting_ahead"] == 3
    assert fourth["estimated_wait_minutes"] == [33, 75]  # ⌊3×15×0.75⌋, ⌈4×15×1.25⌉
    for _ in range(3):  # three services of 4 minutes each: today's data takes over
        current = officer.post("/api/counters/1/next").json
        clock.advance(minutes=4)
        officer.post(f"/api/tickets/{current['id']}/finish", json={"outcome": "resolved"})
    again = client.get(f"/api/tickets/{fourth['key']}").json
    assert again["waiting_ahead"] == 0
    assert again["estimated_wait_minutes"] == [0, 5]  # ⌈1 × 4 × 1.25⌉


def test_an_open_second_counter_halves_the_estimate(app, client, officer, issue):
    for _ in range(4):
        issue(COPY)
    officer.post("/api/counters/1/next")
    one_counter = next(p for p in client.get("/api/procedures").json if p["id"] == COPY)
    logged_in(app, "canbo2").post("/api/counters/2/next")
    two_counters = next(p for p in client.get("/api/procedures").json if p["id"] == COPY)
    assert one_counter["waiting"] == 3
    assert two_counters["waiting"] == 2
    assert two_counters["estimated_wait_minutes"][1] < one_counter["estimated_wait_minutes"][1]


def test_only_open_counters_promise_minutes(app, client, officer, issue):
    """Before anyone opens a counter for it, while its counters are on a break, and after
    they close, a procedure's line promises no time and says why."""

    def copy_line() -> tuple[str, list[int] | None]:
        copy = next(p for p in client.get("/api/procedures").json if p["id"] == COPY)
        return copy["line_state"], copy["estimated_wait_minutes"]

    ticket = issue(COPY)
    assert copy_line() == ("closed", None)
    assert officer.post("/api/counters/1/resume").json["state"] == "open"
    state, estimate = copy_line()
    assert state == "open" and estimate is not None
    assert client.get(f"/api/tickets/{ticket['key']}").json["estimated_wait_minutes"] is not None
    officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"})
    assert copy_line() == ("paused", None)
    waiting = client.get(f"/api/tickets/{ticket['key']}").json
    assert (waiting["line_state"], waiting["estimated_wait_minutes"]) == ("paused", None)
    logged_in(app, "canbo2").post("/api/counters/2/resume")  # the other counter serving it
    assert copy_line()[0] == "open"
    officer.post("/api/counters/1/close")
    logged_in(app, "canbo2").delete("/api/session")  # logging out closes counter 2
    assert copy_line() == ("closed", None)


def test_the_report_counts_the_scripted_day(admin, officer, issue, clock):
    scripted_day(issue, officer, clock)
    report = admin.get("/api/reports/summary?from=2026-11-01&to=2026-11-30").json
    totals = report["totals"]
    assert (totals["issued"], totals["finished"], totals["resolved"], totals["no_show"]) == (
        4, 3, 2, 1,
    )  # fmt: skip
    assert totals["no_appointment_issued"] == 2
    assert totals["no_appointment_resolved"] == 1
    assert totals["no_appointment_rate"] == 0.5
    assert totals["average_wait_seconds"] == 20 * 60
    assert totals["average_service_seconds"] == 8 * 60
    canbo = next(row for row in report["officers"] if row["name"] == "canbo")
    assert canbo["finished"] == 3
    assert [row["id"] for row in report["counters"]] == [1]


def test_a_returned_dossier_counts_in_the_month_it_was_returned(admin, officer, issue, clock):
    appointment = scripted_day(issue, officer, clock)[1]
    code = officer.get(f"/api/tickets/{appointment['id']}").json["dossier_code"]
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    assert officer.post(f"/api/dossiers/{code}/return").json["timeliness"] == "late"
    november = admin.get("/api/reports/summary?from=2026-11-01&to=2026-11-30").json
    december = admin.get("/api/reports/summary?from=2026-12-01&to=2026-12-31").json
    assert november["totals"]["dossiers_late"] == 0
    assert december["totals"]["dossiers_late"] == 1
    assert december["totals"]["issued"] == 0


def test_the_report_as_csv_and_xlsx(admin, officer, issue, clock):
    scripted_day(issue, officer, clock)
    period = "from=2026-11-01&to=2026-11-30"
    as_csv = admin.get(f"/api/reports/summary?{period}&format=csv")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Nhóm", "Mã", "Tên", "Phiếu đã cấp"]
    assert rows[1][:4] == ["Tổng hợp", "", "Tổng cộng", "4"]
    as_xlsx = admin.get(f"/api/reports/summary?{period}&format=xlsx")
    workbook = load_workbook(io.BytesIO(as_xlsx.data))
    assert workbook.sheetnames[:5] == ["Tổng hợp", "Thủ tục", "Lĩnh vực", "Quầy", "Cán bộ"]
    assert workbook.sheetnames[-1] == "Chú giải"
    totals = workbook["Tổng hợp"]
    assert totals["A2"].value == "Mã"
    assert totals["C3"].value == 4


def test_bad_report_periods_are_400(admin):
    for query in [
        "",
        "from=2026-11-30&to=2026-11-01",
        "from=30/11/2026&to=2026-12-01",
        "from=2020-01-01&to=2026-01-01",
        "from=2026-11-01&to=2026-11-30&format=pdf",
    ]:
        response = admin.get(f"/api/reports/summary?{query}")
        assert response.status_code == 400, query
        assert response.json["error"]["message"]


def test_a_day_with_nothing(client, clock):
    clock.set(clock.now() + timedelta(days=1))
    stats = client.get("/api/stats/today").json
    assert stats["issued"] == 0
    assert stats["average_wait_seconds"] is None
    assert stats["no_appointment"]["rate"] is None
    assert stats["recent_calls"] == []
    assert all(row["finished"] == 0 for row in stats["no_appointment"]["procedures"])
    assert stats["no_appointment_day"] is False
