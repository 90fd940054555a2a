"""A first pass through the spine: issue, call, finish, rate."""


def test_a_ticket_goes_from_kiosk_to_counter_to_rating(client, officer, issue):
    ticket = issue()
    assert ticket["number"] == "A001"
    assert ticket["status"] == "waiting"

    called = officer.post("/api/counters/1/next")
    assert called.status_code == 200
    assert called.json["id"] == ticket["id"]
    assert called.json["status"] == "called"
    assert called.json["counter_id"] == 1

    finished = officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    assert finished.status_code == 200
    assert finished.json["outcome"] == "resolved"

    rated = client.post(f"/api/tickets/{ticket['key']}/rating", json={"rating": "satisfied"})
    assert rated.status_code == 200
    assert rated.json["rating"] == "satisfied"


def test_the_health_endpoint_answers_while_the_database_does(client, issue):
    issue()
    health = client.get("/api/health")
    assert health.status_code == 200
    assert health.json["status"] == "ok"
    assert health.json["last_seq"] == 1
    assert health.json["now"].startswith("2026-11-26T")


def test_the_health_endpoint_is_503_when_the_database_is_gone(app, client, db_path):
    for path in db_path.parent.glob("motcua.db*"):  # the file gone under a running server
        path.unlink()
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.json["error"]["code"] == "database_unavailable"
    assert "cơ sở dữ liệu" in health.json["error"]["message"]
