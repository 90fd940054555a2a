"""The center sends what happened to the province hub (server/sync/): against a fake hub that
records every byte (tests/fake_hub.py). The log and its seed, one fact per row read as it is
now, batches of at most 1000, at-least-once (a refused or unanswered batch is sent again
and the repeat changes nothing), the backoff, the throttled journal, one sender per file,
no personal data on the wire, the admin's view; then real server processes: a restart
mid-send, the hub away and back, and a lobby that never waits on a hub that hangs.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from server.printing.error_log import ErrorLog
from server.settings import Settings, SettingsError, settings_from_env
from server.setup.center import setting
from server.storage.db import connection, migrate
from server.storage.migrations import migrations
from server.sync import log
from server.sync.sender import MAX_BACKOFF, HubSender, describe
from tests.conftest import TZ
from tests.fake_hub import TOKEN, FakeHub
from tests.live_server import LiveServer

COPY = "chung-thuc-ban-sao"


@pytest.fixture
def hub() -> Any:
    fake = FakeHub()
    yield fake
    fake.close()


def make_sender(db_path: Path, clock: Any, hub: FakeHub, **options: Any) -> HubSender:
    settings = Settings(database=db_path, hub_url=hub.url, hub_token=TOKEN, hub_center="lai-khe")
    return HubSender(settings, clock, spawn=lambda *a: None, sleep=lambda s: None, **options)


def send_all(sender: HubSender, turns: int = 20) -> None:
    """Turn until nothing is pending (each turn: one batch)."""
    for _ in range(turns):
        if sender.turn() != 0.0:
            return
    raise AssertionError(f"still sending after {turns} turns")


def pending(db_path: Path) -> int:
    with connection(db_path) as db:
        return log.pending_facts(db)


def serve_one(issue: Any, officer: Any, outcome: str = "resolved", **finish: Any) -> dict:
    ticket = issue(COPY)
    called = officer.post("/api/counters/1/next")
    assert called.status_code == 200, called.json
    done = officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome, **finish})
    assert done.status_code == 200, done.json
    return {**ticket, **done.json}


# --- the log -------------------------------------------------------------------------------


def test_the_migration_logs_every_row_that_exists_then(tmp_path):
    """A center upgraded with a history: its rows are logged once, so they reach the hub."""
    path = tmp_path / "old.db"
    with connection(path) as db:
        migrations.apply(db, stop_before="m018_sync_log")
        db.execute("INSERT INTO fields (id, name, letter, position) VALUES ('f', 'F', 'F', 1)")
        db.execute("INSERT INTO counters (id, name) VALUES (7, 'Quầy 7')")
        db.execute(
            """INSERT INTO users (id, username, password_hash, role, created_at)
               VALUES (3, 'a', 'x', 'admin', '2026-01-01T00:00:00+07:00')"""
        )
    migrate(path)
    with connection(path) as db:
        rows = db.execute("SELECT kind, key FROM sync_log ORDER BY seq").fetchall()
        assert rows == [("field", "f"), ("counter", "7"), ("officer", "3")]
        db.execute("UPDATE counters SET name = 'Quầy bảy' WHERE id = 7")
        db.execute("DELETE FROM counters WHERE id = 7")
        rows = db.execute("SELECT kind, key FROM sync_log ORDER BY seq").fetchall()
    assert rows[-2:] == [("counter", "7"), ("counter", "7")]  # the triggers from now on


def test_the_first_batch_carries_the_catalog_and_the_accounts(app, db_path, clock, hub):
    send_all(make_sender(db_path, clock, hub))
    field = hub.of_kind("field")["chung-thuc"]
    assert set(field) == {"id", "name", "letter", "position"} and field["letter"] == "A"
    procedure = hub.of_kind("procedure")[COPY]
    assert set(procedure) == {
        "id", "short_name", "field_id", "processing_days", "no_appointment", "online_help",
        "position",
    }  # fmt: skip
    assert isinstance(procedure["no_appointment"], bool)
    counter = hub.of_kind("counter")["1"]
    assert set(counter) == {"id", "name"} and counter["id"] == 1
    officers = hub.of_kind("officer")
    assert {data["name"] for data in officers.values()} >= {"canbo", "quantri"}
    assert all(set(data) == {"id", "name"} for data in officers.values())
    assert pending(db_path) == 0
    batch = hub.batches()[0]
    assert batch["center"]["id"] == "lai-khe"
    assert batch["center"]["name"]
    assert hub.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_a_ticket_changed_many_times_is_one_fact_in_its_latest_state(
    app, db_path, clock, hub, issue, officer
):
    sender = make_sender(db_path, clock, hub)
    send_all(sender)
    ticket = serve_one(issue, officer)
    officer.post(f"/api/tickets/{ticket['id']}/note", json={"note": "Ghi chú"})
    assert pending(db_path) == 3  # the ticket, the counter opened by the call, its change
    send_all(sender)
    batch = hub.batches()[-1]
    assert sorted(f["kind"] for f in batch["facts"]) == ["counter", "counter_change", "ticket"]
    [data] = [f["data"] for f in batch["facts"] if f["key"] == ticket["id"]]
    assert data["status"] == "finished" and data["outcome"] == "resolved"
    assert data["counter_id"] == 1 and data["called_at"] and data["finished_at"]
    assert set(data) == {
        "id", "day", "number", "procedure_id", "status", "priority", "no_appointment",
        "channel", "counter_id", "officer_id", "issued_at", "called_at", "finished_at",
        "outcome", "rating", "corrected_at", "missing_documents", "outcome_reason",
    }  # fmt: skip
    with connection(db_path) as db:
        assert log.acknowledged(db) == batch["through"]
        assert db.execute("SELECT count(*) FROM sync_log").fetchone()[0] == 0  # pruned


def test_dossiers_apologies_counter_changes_and_deletions_become_facts(
    app, db_path, clock, hub, issue, officer, admin, db
):
    sender = make_sender(db_path, clock, hub)
    ticket = serve_one(issue, officer, "supplement", missing_documents=["Bản sao CCCD"])
    appointment = serve_one(issue, officer, "appointment", due_date="2026-11-27")
    code = appointment["dossier"]["code"] if "dossier" in appointment else None
    if code is None:
        code = db.execute("SELECT code FROM dossiers").fetchone()[0]
    apology = officer.post(
        f"/api/dossiers/{code}/apology",
        json={"new_due_date": "2026-12-01", "reason": "Chờ xác minh"},
    )
    assert apology.status_code in (200, 201), apology.json
    officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"})
    officer.post("/api/counters/1/resume")
    added = admin.post(
        "/api/admin/fields", json={"id": "thu-nghiem", "name": "Thử nghiệm", "letter": "Z"}
    )
    assert added.status_code == 201, added.json
    send_all(sender)
    assert hub.of_kind("ticket")[ticket["id"]]["missing_documents"] == ["Bản sao CCCD"]
    dossiers = hub.of_kind("dossier")
    assert [d["ticket_id"] for d in dossiers.values()] == [appointment["id"]]
    [sent_apology] = hub.of_kind("apology").values()
    assert sent_apology["dossier_code"] == code and sent_apology["new_due_date"] == "2026-12-01"
    assert set(sent_apology) == {"id", "dossier_code", "apologized_at", "new_due_date", "days_late"}
    changes = hub.of_kind("counter_change")
    assert [c["state"] for c in changes.values()][-2:] == ["paused", "open"]
    assert "thu-nghiem" in hub.of_kind("field")
    assert admin.delete("/api/admin/fields/thu-nghiem").status_code == 204
    send_all(sender)
    assert hub.batches()[-1]["facts"][-1] == {"kind": "field", "key": "thu-nghiem", "data": None}
    assert "thu-nghiem" not in hub.of_kind("field")


def test_batches_hold_at_most_1000_facts_and_cover_everything(app, db_path, clock, hub, db):
    for number in range(1500):
        db.execute(
            "INSERT INTO counter_state_changes (counter_id, day, at, state) VALUES (1, ?, ?, ?)",
            ["2026-11-26", f"2026-11-26T09:00:{number % 60:02d}+07:00", "open"],
        )
    send_all(make_sender(db_path, clock, hub))
    sizes = [len(batch["facts"]) for batch in hub.batches()]
    assert max(sizes) == 1000
    assert len(hub.of_kind("counter_change")) == 1500
    throughs = [batch["through"] for batch in hub.batches()]
    assert throughs == sorted(throughs)
    assert pending(db_path) == 0


def test_next_batch_keeps_each_pair_once_and_stops_before_the_limit(app, db):
    db.execute("DELETE FROM sync_log")
    for kind, key in [("a", "1"), ("b", "1"), ("a", "1"), ("c", "1"), ("a", "2"), ("b", "1")]:
        db.execute("INSERT INTO sync_log (kind, key) VALUES (?, ?)", [kind, key])
    seqs = [row[0] for row in db.execute("SELECT seq FROM sync_log ORDER BY seq")]
    through, pairs = log.next_batch(db, 0, limit=2)
    assert pairs == [("a", "1"), ("b", "1")]
    assert through == seqs[2]  # the repeat of (a, 1) rides along; (c, 1) waits
    through, pairs = log.next_batch(db, through, limit=2)
    assert pairs == [("c", "1"), ("a", "2")] and through == seqs[4]
    assert log.next_batch(db, through, limit=2) == (seqs[5], [("b", "1")])
    assert log.next_batch(db, seqs[5]) == (seqs[5], [])


# --- at-least-once, backoff, the journal ---------------------------------------------------


def test_a_refused_batch_is_sent_again_and_counted_once(app, db_path, clock, hub, issue):
    sender = make_sender(db_path, clock, hub, jitter=lambda: 1.0)
    issue(COPY)
    hub.answers = [500, 503]
    assert sender.turn() == 1.0
    assert sender.turn() == 2.0
    before = pending(db_path)
    assert before > 0
    assert sender.turn() == 0.0
    bodies = [request.body for request in hub.requests]
    assert bodies[0] == bodies[1] == bodies[2]  # the same batch, whole, each time
    send_all(sender)
    assert pending(db_path) == 0
    assert len(hub.of_kind("ticket")) == 1


def test_an_answer_without_the_same_through_acknowledges_nothing(app, db_path, clock, hub):
    from server.sync.sender import Answer

    sender = make_sender(db_path, clock, hub, post=lambda body: Answer(200, {"through": 1}))
    with connection(db_path) as db:
        before = log.acknowledged(db)
    assert sender.turn() > 0
    with connection(db_path) as db:
        assert log.acknowledged(db) == before
        state = log.sync_state(db, sender.settings)
    assert state["last_error"] == "HTTP 200" and state["last_success_at"] is None


def test_the_backoff_doubles_from_1_to_60_seconds_with_jitter(app, db_path, clock, hub):
    hub.answers = [500] * 10
    low = make_sender(db_path, clock, hub, jitter=lambda: 0.0)
    assert [low.turn() for _ in range(9)] == [0.75 * d for d in (1, 2, 4, 8, 16, 32, 60, 60, 60)]
    high = make_sender(db_path, clock, hub, jitter=lambda: 1.0)
    hub.answers = [500]
    assert high.turn() == 1.0
    assert high.turn() == 0.0  # success: the next one at once
    hub.answers = [500]
    assert high.turn() == 1.0  # and the backoff starts over
    assert MAX_BACKOFF == 60.0


def test_a_wrong_token_is_logged_once_then_at_most_once_a_minute(app, db_path, clock, hub, caplog):
    logger = logging.getLogger("test.sync")
    seconds = [0.0]
    errors = ErrorLog(logger, clock=lambda: seconds[0], describe=describe)
    sender = make_sender(db_path, clock, hub, errors=errors)
    sender.post.token = "sai"  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="test.sync"):
        for _ in range(5):
            sender.turn()
            seconds[0] += 5
        seconds[0] += 60
        sender.turn()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert "Gửi số liệu về tỉnh" in lines[0] and "HTTP 401 invalid_token" in lines[0]
    assert "vẫn lỗi" in lines[1] and "thêm 5 lần" in lines[1]


def test_a_hub_that_cannot_be_reached_is_one_stable_line(app, db_path, clock, hub, caplog):
    hub.close()
    sender = make_sender(db_path, clock, hub)
    with caplog.at_level(logging.ERROR, logger="server.sync.sender"):
        sender.turn()
        sender.turn()
    assert len(caplog.records) == 1
    assert "không kết nối được máy chủ tỉnh" in caplog.records[0].getMessage()
    with connection(db_path) as db:
        assert "Connection refused" in log.sync_state(db, sender.settings)["last_error"]


# --- one sender per file ------------------------------------------------------------------


def test_one_sender_per_database_file(app, db_path, clock, hub):
    first = make_sender(db_path, clock, hub)
    first.owner = "may-khac:4242:abcd"  # a process of another machine: left to its lease
    second = make_sender(db_path, clock, hub)
    assert first.hold_lease()
    assert not second.hold_lease()
    assert second.turn() > 0 and hub.requests == []
    with connection(db_path) as db:
        log.release_sender_lease(db, first.owner)
    assert second.hold_lease()
    with connection(db_path) as db:
        assert json.loads(setting(db, log.SENDER))["owner"] == second.owner


def test_the_lease_of_a_dead_process_on_this_machine_is_taken_at_once(app, db_path, clock, hub):
    sender = make_sender(db_path, clock, hub)
    dead = f"{sender.owner.split(':')[0]}:999999999:abcd"
    with connection(db_path) as db:
        assert log.hold_sender_lease(db, dead, time.time(), 90, lambda owner: False)
    assert sender.hold_lease()


# --- no personal data ---------------------------------------------------------------------


def test_no_personal_data_leaves_the_center(
    app, db_path, clock, hub, client, issue, officer, admin
):
    admin.put(
        "/api/admin/remote",
        json={"fields": {"chung-thuc": {"booking_capacity": 2, "booking_slot_minutes": 30}}},
    )
    name, phone = "Nguyễn Thị Lan", "0912345678"
    booked = client.post(
        "/api/bookings",
        json={"procedure_id": COPY, "date": "2026-11-27", "start": "07:00", "name": name,
              "phone": phone, "consent": True},
    )  # fmt: skip
    assert booked.status_code == 201, booked.json
    clock.set(datetime(2026, 11, 27, 6, 45, tzinfo=TZ))
    checked_in = client.post(f"/api/bookings/{booked.json['code']}/check-in")
    assert checked_in.status_code == 201, checked_in.json
    walk_in = issue(COPY)
    served = officer.post("/api/counters/1/next").json
    note = "Công dân mang thiếu giấy tờ"
    officer.post(f"/api/tickets/{served['id']}/note", json={"note": note})
    send_all(make_sender(db_path, clock, hub))
    wire = b"".join(request.body for request in hub.requests)
    text = wire.decode()
    for secret in (name, phone, checked_in.json["key"], walk_in["key"], note):
        assert secret not in text and json.dumps(secret)[1:-1] not in text, secret
    assert checked_in.json["id"] in text  # the ticket itself did go
    with connection(db_path) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    assert not any(value in text for value in hashes)
    assert '"role"' not in text and '"username"' not in text


# --- the admin's view and the settings ----------------------------------------------------


def test_the_admin_sees_the_sync_state(app, db_path, clock, hub, admin, officer):
    state = admin.get("/api/admin/hub").json
    assert state["configured"] is False and state["url"] is None
    assert state["pending"] > 0 and state["last_success_at"] is None
    assert officer.get("/api/admin/hub").status_code == 403
    assert app.test_client().get("/api/admin/hub").status_code == 401
    send_all(make_sender(db_path, clock, hub))
    state = admin.get("/api/admin/hub").json
    assert state["pending"] == 0 and state["last_success_at"] == "2026-11-26T09:00:00+07:00"
    assert TOKEN not in json.dumps(state)


def test_the_hub_settings_come_all_three_or_none():
    assert not settings_from_env({}).sends_to_hub()
    full = {
        "MOTCUA_HUB_URL": "https://hub.tinh.gov.vn/",
        "MOTCUA_HUB_TOKEN": "abc",
        "MOTCUA_HUB_CENTER": "lai-khe",
    }
    settings = settings_from_env(full)
    assert settings.sends_to_hub() and settings.hub_url == "https://hub.tinh.gov.vn"
    with pytest.raises(SettingsError, match="MOTCUA_HUB_CENTER"):
        settings_from_env({**full, "MOTCUA_HUB_CENTER": ""})
    with pytest.raises(SettingsError, match="MOTCUA_HUB_URL"):
        settings_from_env({**full, "MOTCUA_HUB_URL": "hub.tinh.gov.vn"})
    with pytest.raises(SettingsError, match="MOTCUA_HUB_CENTER"):
        settings_from_env({**full, "MOTCUA_HUB_CENTER": "Lai Khê"})


# --- real server processes ----------------------------------------------------------------


def live_center(tmp_path: Path, hub: FakeHub) -> LiveServer:
    return LiveServer(
        tmp_path,
        MOTCUA_HUB_URL=hub.url,
        MOTCUA_HUB_TOKEN=TOKEN,
        MOTCUA_HUB_CENTER="lai-khe",
        MOTCUA_ASYNC_MODE="eventlet",
    )


def take_and_serve(center: LiveServer, officer: requests.Session, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        taken = requests.post(
            f"{center.url}/api/tickets",
            json={"procedure_id": COPY, "documents_complete": True, "priority": None},
            timeout=5,
        )
        assert taken.status_code == 201, taken.text
        called = officer.post(f"{center.url}/api/counters/1/next", timeout=5)
        assert called.status_code == 200, called.text
        finished = officer.post(
            f"{center.url}/api/tickets/{called.json()['id']}/finish",
            json={"outcome": "resolved"},
            timeout=5,
        )
        assert finished.status_code == 200, finished.text
        ids.append(called.json()["id"])
    return ids


def wait_until_sent(center: LiveServer, admin: requests.Session, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if admin.get(f"{center.url}/api/admin/hub", timeout=5).json()["pending"] == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the center still has facts to send")


def finished_tickets(hub: FakeHub) -> set[str]:
    return {key for key, data in hub.of_kind("ticket").items() if data["status"] == "finished"}


def test_a_center_killed_between_the_hubs_commit_and_the_ack_loses_and_doubles_nothing(
    tmp_path, hub
):
    center = live_center(tmp_path, hub).start()
    try:
        officer, admin = center.login("canbo"), center.login("quantri")
        wait_until_sent(center, admin)
        hub.commit_then_hang.set()
        ids = take_and_serve(center, officer, 3)
        hub.wait_for(2)
        deadline = time.monotonic() + 10
        while set(ids) - finished_tickets(hub) and time.monotonic() < deadline:
            time.sleep(0.1)  # the hub committed them (the answer never comes)
        assert center.process is not None
        center.process.kill()  # no goodbye: between the hub's commit and the ack
        center.process.wait(10)
        center.process = None
        hub.released.set()  # the hanging request ends without an answer
        before = len(hub.requests)
        center.start()
        admin = center.login("quantri")
        wait_until_sent(center, admin)
        resent = [request.batch() for request in hub.requests[before:]]
        assert any(
            {f["key"] for f in batch["facts"] if f["kind"] == "ticket"} >= set(ids)
            for batch in resent
        ), "the unacknowledged batch is sent again"
        assert set(ids) <= finished_tickets(hub)
        assert len(hub.of_kind("ticket")) == 3  # the repeat counted nothing twice
    finally:
        hub.released.set()
        center.stop()


def test_a_hub_away_then_back_gets_everything(tmp_path, hub):
    port = hub.port
    center = live_center(tmp_path, hub).start()
    try:
        officer, admin = center.login("canbo"), center.login("quantri")
        wait_until_sent(center, admin)
        hub.close()
        ids = take_and_serve(center, officer, 4)
        time.sleep(2.5)  # a few failed tries
        state = admin.get(f"{center.url}/api/admin/hub", timeout=5).json()
        assert state["pending"] >= 4 and "không kết nối được" in state["last_error"]
        back = FakeHub(port)
        try:
            wait_until_sent(center, admin, timeout=90)
            assert finished_tickets(back) == set(ids)
        finally:
            back.close()
    finally:
        center.stop()


def test_the_lobby_never_waits_on_a_hub_that_hangs(tmp_path, hub):
    from tests.live_events import Listener

    hub.hang.set()
    center = live_center(tmp_path, hub).start()
    try:
        officer = center.login("canbo")
        hub.wait_for(1)  # the sender's request hangs from now on
        listener = Listener(center.url, {"channel": "display"})
        try:
            for _ in range(5):
                started = time.monotonic()
                take_and_serve(center, officer, 1)
                assert time.monotonic() - started < 2.0
            listener.wait_for(
                lambda events: sum(name == "ticket_called" for name, _ in events) >= 5,
                "five calls announced",
            )
        finally:
            listener.close()
    finally:
        hub.released.set()
        center.stop()
