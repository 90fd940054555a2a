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
