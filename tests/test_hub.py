"""The province hub: a real PostgreSQL (tests/conftest.py postgres_url), real `motcua hub`
processes, batches of facts over HTTP as a center's sender posts them; a center's report at
the hub against the report a real center computes from the same activity."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
import requests

from server.reporting.reports import metrics
from server.sync.facts import facts_for
from server.sync.log import next_batch
from server.vocabulary import CHANNELS, OUTCOMES, RATINGS
from tests.conftest import logged_in
from tests.live_server import LiveHub, fresh_database
from tests.test_reports_month import COUNTER_STAFF, FULL_NAMES, Activity, working_days

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HUB_PASSWORD = "so-lieu-cua-tinh-2026"
DAY = date(2026, 11, 26)
names = itertools.count(1)


@pytest.fixture(scope="module")
def hub_database(postgres_url: str) -> str:
    return fresh_database(postgres_url, f"hub_{next(names)}")


@pytest.fixture(scope="module")
def hub(hub_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    """One hub process for the module, with one account (made by `motcua hub user add`)."""
    live = LiveHub(tmp_path_factory.mktemp("hub"), hub_database)
    live.run("user", "add", "tinh", stdin=f"{HUB_PASSWORD}\n")
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def reader(hub: LiveHub) -> requests.Session:
    return hub.login("tinh", HUB_PASSWORD)


def center(hub: LiveHub, name: str = "Trung tâm Phục vụ hành chính công") -> tuple[str, str]:
    """A newly registered center of its own for a test: (id, token)."""
    center_id = f"tt-{next(names)}"
    return center_id, hub.add_center(center_id, name)


def at(hour: int, minute: int = 0, second: int = 0, day: date = DAY) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ).isoformat()


def ticket(ticket_id: str, **data: Any) -> dict[str, Any]:
    """A ticket fact, waiting unless told otherwise."""
    values = {
        "id": ticket_id, "day": DAY.isoformat(), "number": 1, "procedure_id": "chung-thuc",
        "status": "waiting", "priority": None, "no_appointment": False, "channel": "kiosk",
        "counter_id": None, "officer_id": None, "issued_at": at(8), "called_at": None,
        "finished_at": None, "outcome": None, "rating": None, "corrected_at": None,
        "missing_documents": None, "outcome_reason": None,
    }  # fmt: skip
    values.update(data)
    return {"kind": "ticket", "key": ticket_id, "data": values}


def send(
    hub: LiveHub, center_id: str, token: str, facts: list[dict], through: int = 1, **body: Any
) -> requests.Response:
    payload = {"center": {"id": center_id, "name": "Trung tâm xã"}, "through": through}
    payload.update(facts=facts, **body)
    return requests.post(
        f"{hub.url}/api/hub/facts",
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def center_totals(reader: requests.Session, hub: LiveHub, center_id: str) -> dict[str, Any]:
    response = reader.get(f"{hub.url}/api/hub/summary", params={"from": DAY, "to": DAY}, timeout=10)
    assert response.status_code == 200, response.text
    return next(row for row in response.json()["centers"] if row["id"] == center_id)["totals"]


def test_a_batch_sent_twice_counts_once(hub: LiveHub, reader: requests.Session) -> None:
    center_id, token = center(hub)
    facts = [ticket(f"t{n}", number=n) for n in range(1, 6)]
    first = send(hub, center_id, token, facts, through=5)
    assert first.status_code == 200, first.text
    assert first.json() == {"through": 5, "stored": 5}
    assert send(hub, center_id, token, facts, through=5).json() == {"through": 5, "stored": 5}
    assert center_totals(reader, hub, center_id)["issued"] == 5


def test_a_later_fact_replaces_and_null_deletes(hub: LiveHub, reader: requests.Session) -> None:
    center_id, token = center(hub)
    send(hub, center_id, token, [ticket("a"), ticket("b"), ticket("c")])
    finished = ticket("a", status="finished", outcome="resolved", called_at=at(8, 5),
                      finished_at=at(8, 15), counter_id=1, officer_id=2)  # fmt: skip
    gone = {"kind": "ticket", "key": "c", "data": None}
    assert send(hub, center_id, token, [finished, gone], through=2).status_code == 200
    totals = center_totals(reader, hub, center_id)
    assert (totals["issued"], totals["finished"], totals["resolved"]) == (2, 1, 1)
    assert totals["average_wait_seconds"] == 300
    assert totals["average_service_seconds"] == 600


def test_a_wrong_token_is_401_and_another_centers_is_403(hub: LiveHub) -> None:
    center_id, token = center(hub)
    other_id, _ = center(hub)
    for header in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": token}):
        response = requests.post(
            f"{hub.url}/api/hub/facts",
            json={"center": {"id": center_id, "name": "x"}, "through": 1, "facts": []},
            headers=header,
            timeout=5,
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_token"
    response = send(hub, other_id, token, [ticket("x")])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "wrong_center"


def test_a_malformed_batch_is_400_and_writes_nothing(
    hub: LiveHub, reader: requests.Session, hub_database: str
) -> None:
    center_id, token = center(hub)
    good = [ticket(f"g{n}") for n in range(3)]
    for broken in (
        {"kind": "ticket", "key": "x", "data": {"id": "x"}},  # most of a ticket missing
        ticket("y", status="lost"),
        ticket("z", issued_at="2026-11-26T08:00:00"),  # no offset
        {"kind": "secret", "key": "s", "data": {}},
        {"kind": "ticket", "key": "", "data": None},
    ):
        response = send(hub, center_id, token, [*good, broken])
        assert response.status_code == 400, broken
        assert response.json()["error"]["code"] == "invalid_facts"
        assert response.json()["error"]["message"]
    assert send(hub, center_id, token, good, through="1").status_code == 400
    assert send(hub, center_id, token, [ticket(str(n)) for n in range(1001)]).status_code == 400
    assert center_totals(reader, hub, center_id)["issued"] == 0
    with psycopg.connect(hub_database) as conn:
        row = conn.execute(
            "SELECT last_received_at FROM centers WHERE id = %s", [center_id]
        ).fetchone()
    assert row == (None,)


def test_a_body_over_4_mb_is_413(hub: LiveHub) -> None:
    center_id, token = center(hub)
    facts = [ticket(f"t{n}", outcome_reason="x" * 1500) for n in range(1000)]
    assert send(hub, center_id, token, facts[:500]).status_code == 200  # about 1 MB
    response = send(hub, center_id, token, facts, padding="p" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_the_summary_needs_a_hub_login(hub: LiveHub) -> None:
    response = requests.get(f"{hub.url}/api/hub/summary?from=2026-11-01&to=2026-11-30", timeout=5)
    assert response.status_code == 401
    wrong = requests.post(
        f"{hub.url}/api/session", json={"username": "tinh", "password": "sai-mat-khau"}, timeout=5
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_logging_out_ends_the_session(hub: LiveHub) -> None:
    session = hub.login("tinh", HUB_PASSWORD)
    copied = requests.Session()
    copied.cookies.update(session.cookies)
    assert session.get(f"{hub.url}/api/session", timeout=5).json() == {
        "username": "tinh",
        "role": "admin",
    }
    assert session.delete(f"{hub.url}/api/session", timeout=5).status_code == 204
    assert copied.get(f"{hub.url}/api/hub/summary?period=2026-11", timeout=5).status_code == 401


def test_add_center_prints_a_token_that_works_once_rotated_the_old_stops(
    hub: LiveHub, tmp_path: Path
) -> None:
    output = hub.run("add-center", "lai-khe", "--name", "Trung tâm xã Lai Khê")
    old = output.strip().splitlines()[-1]
    assert len(old) >= 40
    assert send(hub, "lai-khe", old, [ticket("1")]).status_code == 200
    new = hub.run("rotate-token", "lai-khe").strip().splitlines()[-1]
    assert new != old
    assert send(hub, "lai-khe", old, [ticket("2")]).status_code == 401
    assert send(hub, "lai-khe", new, [ticket("2")]).status_code == 200


def generated_facts(rng: random.Random, prefix: str, days: list[date]) -> list[dict[str, Any]]:
    """A center's worth of random facts: procedures (one with online help), tickets in every
    state over `days`, dossiers returned early, on time or late, apologies."""
    facts: list[dict[str, Any]] = [
        {"kind": "procedure", "key": procedure, "data": {
            "id": procedure, "short_name": procedure, "field_id": "f", "processing_days": 3,
            "no_appointment": True, "online_help": procedure == "ho-tich", "position": n}}
        for n, procedure in enumerate(("chung-thuc", "ho-tich"))
    ]  # fmt: skip
    for n in range(60):
        day = rng.choice(days)
        issued = datetime(day.year, day.month, day.day, 8, 0, tzinfo=TZ) + timedelta(
            seconds=rng.randrange(0, 6 * 3600)
        )
        status = rng.choice(["waiting", "called", "finished", "finished", "no_show"])
        called = issued + timedelta(seconds=rng.randrange(0, 3600)) if status != "waiting" else None
        finished = (
            called + timedelta(seconds=rng.randrange(1, 1800)) if status == "finished" else None
        )
        data = {
            "id": f"{prefix}{n}", "day": day.isoformat(), "number": n + 1,
            "procedure_id": rng.choice(["chung-thuc", "ho-tich"]), "status": status,
            "priority": rng.choice([None, "elderly"]), "no_appointment": rng.random() < 0.5,
            "channel": rng.choice(["kiosk", "remote", "booking"]),
            "counter_id": rng.choice([1, 2]) if called else None,
            "officer_id": rng.choice([7, 8]) if called else None,
            "issued_at": issued.isoformat(), "called_at": called and called.isoformat(),
            "finished_at": finished and finished.isoformat(),
            "outcome": rng.choice(["resolved", "appointment", "supplement", "refused", "advice"])
            if finished else None,
            "rating": rng.choice([None, "very_satisfied", "satisfied", "unsatisfied"])
            if finished else None,
            "corrected_at": finished.isoformat() if finished and rng.random() < 0.2 else None,
            "missing_documents": None, "outcome_reason": None,
        }  # fmt: skip
        facts.append({"kind": "ticket", "key": data["id"], "data": data})
        if data["outcome"] == "appointment":
            returned = finished + timedelta(days=rng.randrange(0, 3), hours=1)
            facts.append({"kind": "dossier", "key": f"HS-{prefix}{n}", "data": {
                "code": f"HS-{prefix}{n}", "ticket_id": data["id"],
                "procedure_id": data["procedure_id"], "received_at": finished.isoformat(),
                "due_date": (finished + timedelta(days=1)).date().isoformat(),
                "returned_at": returned.isoformat() if rng.random() < 0.8 else None,
                "timeliness": rng.choice(["early", "on_time", "late"])}})  # fmt: skip
            if facts[-1]["data"]["returned_at"] is None:
                facts[-1]["data"]["timeliness"] = None
            if rng.random() < 0.5:
                facts.append({"kind": "apology", "key": f"{n}", "data": {
                    "id": n, "dossier_code": f"HS-{prefix}{n}",
                    "apologized_at": (finished + timedelta(hours=2)).isoformat(),
                    "new_due_date": (finished + timedelta(days=4)).date().isoformat(),
                    "days_late": rng.randrange(1, 4)}})  # fmt: skip
    return facts


def expected_totals(facts: list[dict[str, Any]], first: date, last: date) -> dict[str, Any]:
    """The totals computed here, from the facts, with the definitions of docs/api.md
    ("Report"), written out independently of the hub's SQL."""
    online = {f["key"] for f in facts if f["kind"] == "procedure" and f["data"]["online_help"]}
    tickets = [f["data"] for f in facts if f["kind"] == "ticket"]
    tickets = [t for t in tickets if first <= date.fromisoformat(t["day"]) <= last]
    dossiers = [f["data"] for f in facts if f["kind"] == "dossier" and f["data"]["returned_at"]]
    dossiers = [
        d for d in dossiers if first.isoformat() <= d["returned_at"][:10] <= last.isoformat()
    ]
    apologies = [f["data"] for f in facts if f["kind"] == "apology"]
    apologies = [
        a for a in apologies if first.isoformat() <= a["apologized_at"][:10] <= last.isoformat()
    ]

    def seconds(start: str, end: str) -> float:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()

    def average(values: list[float]) -> int | None:
        return round(sum(values) / len(values)) if values else None

    finished = [t for t in tickets if t["status"] == "finished"]
    no_appointment = [t for t in tickets if t["no_appointment"]]
    na_finished = [t for t in no_appointment if t["status"] == "finished"]
    na_resolved = [t for t in no_appointment if t["outcome"] == "resolved"]
    return {
        "issued": len(tickets),
        "finished": len(finished),
        "resolved": sum(t["outcome"] == "resolved" for t in tickets),
        "no_show": sum(t["status"] == "no_show" for t in tickets),
        "no_appointment_issued": len(no_appointment),
        "no_appointment_finished": len(na_finished),
        "no_appointment_resolved": len(na_resolved),
        "no_appointment_rate": round(len(na_resolved) / len(na_finished), 4)
        if na_finished
        else None,
        "dossiers_early": sum(d["timeliness"] == "early" for d in dossiers),
        "dossiers_on_time": sum(d["timeliness"] == "on_time" for d in dossiers),
        "dossiers_late": sum(d["timeliness"] == "late" for d in dossiers),
        "apologies": len(apologies),
        "apology_days_late": sum(a["days_late"] for a in apologies),
        "average_wait_seconds": average(
            [seconds(t["issued_at"], t["called_at"]) for t in tickets if t["called_at"]]
        ),
        "average_service_seconds": average(
            [seconds(t["called_at"], t["finished_at"]) for t in finished]
        ),
        "ratings": {r: sum(t["rating"] == r for t in tickets) for r in RATINGS},
        "outcomes": {o: sum(t["outcome"] == o for t in tickets) for o in OUTCOMES},
        "online_help": sum(t["procedure_id"] in online for t in tickets),
        "corrected": sum(t["corrected_at"] is not None for t in tickets),
        "channels": {c: sum(t["channel"] == c for t in tickets) for c in CHANNELS},
    }


def test_every_total_of_the_summary_is_what_the_facts_say(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two centers of random facts on a hub of their own; the province's totals and each
    center's against the test's own count, key by key, and every key of a center's report.
    A second hub process over the same database answers the same, and logs in with the
    first one's cookie (the session key is in PostgreSQL)."""
    database = fresh_database(postgres_url, f"hub_{next(names)}")
    first, second = LiveHub(tmp_path, database), LiveHub(tmp_path, database)
    first.run("user", "add", "tinh", stdin=f"{HUB_PASSWORD}\n")
    first.start()
    second.start()
    try:
        rng = random.Random(18)
        days = [DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]
        facts = {}
        for prefix in ("a", "b"):
            center_id, token = center(first)
            facts[center_id] = generated_facts(rng, prefix, days)
            for start in range(0, len(facts[center_id]), 25):
                hub = (first, second)[start // 25 % 2]
                response = send(hub, center_id, token, facts[center_id][start : start + 25])
                assert response.status_code == 200, response.text
        session = first.login("tinh", HUB_PASSWORD)
        period = {"from": DAY.isoformat(), "to": (DAY + timedelta(days=1)).isoformat()}
        answers = []
        for hub in (first, second):
            response = session.get(f"{hub.url}/api/hub/summary", params=period, timeout=10)
            assert response.status_code == 200, response.text
            answers.append(response.json())
        assert answers[0] == answers[1]
        summary = answers[0]
        assert set(summary["totals"]) == set(metrics(None, None))
        end = DAY + timedelta(days=1)
        everything = [fact for center_facts in facts.values() for fact in center_facts]
        assert summary["totals"] == expected_totals(everything, DAY, end)
        assert summary["totals"]["issued"] > 50
        assert summary["totals"]["dossiers_early"] + summary["totals"]["dossiers_late"] > 0
        assert summary["totals"]["apologies"] > 0
        for row in summary["centers"]:
            assert row["totals"] == expected_totals(facts[row["id"]], DAY, end)
            assert row["last_received_at"].startswith(date.today().isoformat()[:4])
    finally:
        first.stop()
        second.stop()


class ClosingActivity(Activity):
    """The month test's activity, each day ending as officers end it: the counters that
    were open take a break at 17:00 and close at 17:20 (the hub does not know a center's
    opening hours, so it counts a counter left open until midnight: server/hub/center_report.py)."""

    def play_day(self, day: date) -> None:
        super().play_day(day)
        for minute, action, body in ((0, "pause", {"reason": "Họp giao ban"}), (20, "close", {})):
            self.clock.set(datetime.combine(day, time(17, minute), TZ))
            for counter in COUNTER_STAFF:
                response = self.staff["quantri"].post(
                    f"/api/counters/{counter}/{action}", json=body
                )
                closed = response.status_code == 409 and action == "pause"  # not open today
                assert response.status_code == 200 or closed, response.json


def send_everything(db: Any, hub: LiveHub, center_id: str, token: str) -> int:
    """What the center's sender sends: its log from the start, batch by batch, each row as
    it is now (server/sync/facts.py). The number of facts sent."""
    after, sent = 0, 0
    while True:
        through, pairs = next_batch(db, after)
        if not pairs:
            return sent
        response = send(hub, center_id, token, facts_for(db, pairs), through=through)
        assert response.status_code == 200, response.text
        after, sent = through, sent + len(pairs)


def test_a_centers_report_at_the_hub_is_the_centers_own(
    app, db, client, officer, admin, clock, hub: LiveHub
) -> None:
    """Three weeks played at a real center through its API, its log sent to the hub as the
    center's sender would, and the hub's report of that center compared with the center's
    own GET /api/reports/summary, figure by figure, for a range, a day and the month."""
    for username, full_name in FULL_NAMES.items():
        db.execute("UPDATE users SET full_name = ? WHERE username = ?", [full_name, username])
    staff = {"canbo": officer, "canbo2": logged_in(app, "canbo2"), "quantri": admin}
    ClosingActivity(client, staff, clock).play(working_days(date(2026, 11, 9), date(2026, 11, 27)))
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=TZ))
    center_id, token = center(hub, "Trung tâm Phục vụ hành chính công xã Lai Khê")
    assert send_everything(db, hub, center_id, token) > 300
    reader = hub.login("tinh", HUB_PASSWORD)  # its own: another test logs the account out

    reports = {}
    for query in ("from=2026-11-16&to=2026-11-27", "period=2026-11-26", "period=2026-11"):
        own = reports[query] = admin.get(f"/api/reports/summary?{query}").json
        response = reader.get(f"{hub.url}/api/hub/centers/{center_id}/report?{query}", timeout=30)
        assert response.status_code == 200, response.text
        at_hub = response.json()
        center_row = at_hub.pop("center")
        assert center_row["id"] == center_id
        assert center_row["name"] == "Trung tâm xã"  # the name the batches carried
        assert center_row["last_received_at"]
        assert set(at_hub) == set(own), query
        for key in own:
            assert at_hub[key] == own[key], (query, key)
    # The comparison means something: every part of the report has figures.
    own = reports["from=2026-11-16&to=2026-11-27"]
    assert own["totals"]["issued"] > 100 and own["totals"]["apologies"] > 0
    assert own["dossier_table_totals"]["carried_over"] > 0
    assert own["dossier_table_totals"]["in_progress_overdue"] > 0
    assert all(row["open_seconds"] > 0 for row in own["counters"])
    assert all(row["paused_seconds"] % (20 * 60) == 0 for row in own["counters"])
    assert sum(row["paused_seconds"] for row in own["counters"]) > 0
    assert own["missing_documents"] and own["refusal_reasons"]
    assert {row["name"] for row in own["officers"]} == {*FULL_NAMES.values(), "quantri"}


def test_a_report_of_an_unknown_center_is_404_and_needs_a_login(hub: LiveHub) -> None:
    reader = hub.login("tinh", HUB_PASSWORD)  # its own: another test logs the account out
    response = reader.get(f"{hub.url}/api/hub/centers/khong-co/report?period=2026-11", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_center"
    assert "khong-co" in response.json()["error"]["message"]
    center_id, _ = center(hub)
    path = f"/api/hub/centers/{center_id}/report?period=2026-11"
    assert requests.get(f"{hub.url}{path}", timeout=5).status_code == 401
    empty = reader.get(f"{hub.url}{path}", timeout=5).json()
    assert empty["totals"] == metrics(None, None)
    assert empty["center"]["last_received_at"] is None
    assert empty["procedures"] == empty["counters"] == empty["dossier_table"] == []
    bad = reader.get(f"{hub.url}/api/hub/centers/{center_id}/report?from=2026-11-30", timeout=5)
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_period"
