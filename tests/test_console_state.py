"""What a counter's console is told: current ticket, its line in call order, the tally."""

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
WILL = "chung-thuc-di-chuc"  # counter 1
BIRTH = "khai-sinh"  # counters 2 and 3


def test_the_line_is_in_the_order_the_counter_will_call(officer, issue):
    issue(WILL)
    issue(COPY)
    issue(WILL, priority="elderly")
    issue(BIRTH)  # not counter 1's
    state = officer.get("/api/counters/1/state").json
    assert [t["number"] for t in state["waiting"]] == ["A003", "A001", "A002"]
    assert [t["position"] for t in state["waiting"]] == [0, 1, 2]
    assert state["waiting_count"] == 3
    assert state["current"] is None
    assert state["open"] is False
    assert state["officer"] is None

    first = officer.post("/api/counters/1/next").json
    assert first["number"] == "A003"
    state = officer.get("/api/counters/1/state").json
    assert state["current"]["id"] == first["id"]
    assert state["open"] is True
    assert state["officer"] == "canbo"
    assert [t["number"] for t in state["waiting"]] == ["A001", "A002"]


def test_the_tally_counts_the_officers_day(officer, issue):
    for _ in range(3):
        issue(WILL)
    for outcome in ("resolved", "appointment"):
        ticket = officer.post("/api/counters/1/next").json
        body = {"outcome": outcome}
        if outcome == "appointment":
            body["due_date"] = "2026-11-30"
        officer.post(f"/api/tickets/{ticket['id']}/finish", json=body)
    ticket = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{ticket['id']}/no-show")
    tally = officer.get("/api/counters/1/state").json["tally"]
    assert tally == {"called": 3, "finished": 2, "resolved": 1, "appointment": 1, "no_show": 1}


def test_an_unknown_counter_state_is_404(officer):
    assert officer.get("/api/counters/42/state").status_code == 404
