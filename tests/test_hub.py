"""The province hub: a real PostgreSQL (tests/conftest.py postgres_url), real `motcua hub`
processes, batches of facts over HTTP as a center's sender posts them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
import requests

from tests.live_server import LiveHub, fresh_database

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
