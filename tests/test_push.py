"""Web Push: the center's VAPID key, a citizen's subscription and its checks, the messages
queued in the call's transaction, and the worker that sends them to a fake push service on
127.0.0.1, which decrypts them and checks their VAPID signature (tests/fake_push_service.py).
"""

from __future__ import annotations

import base64
import logging
import os
import stat
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from server import create_app
from server.push.keys import KEY_FILE
from server.push.subscriptions import origin_allowed
from server.push.worker import PushWorker
from server.settings import SettingsError, settings_from_env
from tests.fake_push_service import FakePushService, Subscriber, b64url, vapid_claims
from tests.live_server import LiveServer

PROCEDURE = "chung-thuc-ban-sao"  # served by counters 1 and 2


@pytest.fixture
def fake() -> Iterator[FakePushService]:
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def other_fake() -> Iterator[FakePushService]:
    """A second service, never listed: nothing may ever reach it."""
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def app_config(app_config: dict[str, Any], fake: FakePushService) -> dict[str, Any]:
    return {**app_config, "push_services": (fake.origin, "https://*.notify.windows.com")}


def subscribe(client: Any, ticket: dict[str, Any], subscriber: Subscriber) -> Any:
    return client.post(f"/api/tickets/{ticket['key']}/push", json=subscriber.to_json())


def worker_for(app: Any, clock: Any, **options: Any) -> PushWorker:
    """The app's push worker, run by hand: tasks run at once, time is the test's."""
    options.setdefault("now", lambda: clock.now().timestamp())
    return PushWorker(
        app.extensions["motcua"].settings,
        clock,
        spawn=lambda function, *args: function(*args),
        sleep=lambda seconds: None,
        **options,
    )


def drain(worker: PushWorker) -> None:
    """Turns until nothing is due (one message per subscription goes at each turn)."""
    for _ in range(20):
        if not worker.turn():
            return
    raise AssertionError("the outbox never drained")


def outbox(db: Any) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.execute("SELECT kind, status FROM push_outbox ORDER BY id")]


# The key


def test_the_vapid_key_is_made_once_private_and_served_as_a_p256_point(app, client, db_path):
    path = db_path.parent / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public_key = client.get("/api/push/key").json["public_key"]
    point = base64.urlsafe_b64decode(public_key + "=" * (-len(public_key) % 4))
    assert len(point) == 65 and point[0] == 4 and "=" not in public_key
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    again = create_app({"database": db_path, "async_mode": "threading", "TESTING": True})
    assert again.test_client().get("/api/push/key").json["public_key"] == public_key


# Subscribing


def test_a_subscription_by_the_key_is_stored(client, issue, fake, db):
    ticket = issue(PROCEDURE)
    response = subscribe(client, ticket, Subscriber(f"{fake.origin}/push/1"))
    assert response.status_code == 201
    assert response.json == {"number": ticket["number"], "push_ahead": 3}
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 1


def test_the_id_subscribes_nothing(client, officer, issue, fake, db):
    ticket = issue(PROCEDURE)
    for who in (client, officer):
        response = who.post(
            f"/api/tickets/{ticket['id']}/push", json=Subscriber(fake.origin).to_json()
        )
        assert response.status_code == 404
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def endpoint_cases(fake_origin: str) -> list[str]:
    port = fake_origin.rsplit(":", 1)[1]
    return [
        "https://evil.example/push",
        f"http://127.0.0.2:{port}/push",
        f"http://127.0.0.1:{int(port) + 1}/push",
        f"https://127.0.0.1:{port}/push",
        f"http://localhost:{port}/push",
        f"http://user@127.0.0.1:{port}/push",
        f"{fake_origin}@evil.example/push",
        "https://notify.windows.com/w/",
        "https://evil.example/x.notify.windows.com",
        "https://x.notify.windows.com.evil.example/w/",
        "https://fcm.googleapis.com/fcm/send/abc",  # a major service, but not listed here
        "ftp://x.notify.windows.com/w/",
        "javascript:alert(1)",
        "https://x.notify.windows.com\\@evil.example/",
        "https://x.notify.windows.com /w/",
    ]


def test_an_endpoint_outside_the_listed_services_is_refused(client, issue, fake, db):
    ticket = issue(PROCEDURE)
    for endpoint in endpoint_cases(fake.origin):
        response = subscribe(client, ticket, Subscriber(endpoint))
        assert response.status_code == 400, endpoint
        assert response.json["error"]["code"] == "push_endpoint_not_allowed", endpoint
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0
    wildcard = subscribe(
        client, ticket, Subscriber("https://wns2-par02p.notify.windows.com/w/?t=1")
    )
    assert wildcard.status_code == 201


def good_keys() -> dict[str, str]:
    return Subscriber("x").to_json()["keys"]


@pytest.mark.parametrize(
    "change",
    [
        {"keys": None},
        {"keys": "abc"},
        {"keys": {"auth": good_keys()["auth"]}},
        {"keys": {"p256dh": good_keys()["p256dh"]}},
        {"keys": {**good_keys(), "auth": b64url(os.urandom(15))}},
        {"keys": {**good_keys(), "auth": b64url(os.urandom(32))}},
        {"keys": {**good_keys(), "p256dh": b64url(os.urandom(65))}},  # not on the curve
        {"keys": {**good_keys(), "p256dh": b64url(b"\x04" + bytes(64))}},
        {"keys": {**good_keys(), "p256dh": b64url(os.urandom(33))}},  # compressed size
        {"keys": {**good_keys(), "p256dh": "!!!!"}},
        {"keys": {**good_keys(), "p256dh": 12}},
        {"endpoint": None},
        {"endpoint": 5},
        {"endpoint": ""},
    ],
)
def test_a_forged_subscription_is_refused_and_nothing_is_stored(client, issue, fake, db, change):
    ticket = issue(PROCEDURE)
    body = {**Subscriber(f"{fake.origin}/push").to_json(), **change}
    response = client.post(f"/api/tickets/{ticket['key']}/push", json=body)
    assert response.status_code == 400
    assert response.json["error"]["code"] in ("invalid_subscription", "invalid_body")
    assert response.json["error"]["message"]
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def test_a_huge_body_is_refused(client, issue, fake, db):
    ticket = issue(PROCEDURE)
    body = {**Subscriber(f"{fake.origin}/push").to_json(), "padding": "x" * 5000}
    response = client.post(f"/api/tickets/{ticket['key']}/push", json=body)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def test_a_ticket_that_is_over_takes_no_subscription(client, officer, issue, fake, db):
    ticket = issue(PROCEDURE)
    officer.post("/api/counters/1/next")
    officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    response = subscribe(client, ticket, Subscriber(f"{fake.origin}/push"))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "ticket_over"
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def test_a_fourth_subscription_replaces_the_oldest_and_a_repeat_refreshes(
    client, issue, fake, db, clock
):
    ticket = issue(PROCEDURE)
    for index in range(4):
        clock.advance(seconds=1)
        assert (
            subscribe(client, ticket, Subscriber(f"{fake.origin}/push/{index}")).status_code == 201
        )
    endpoints = [
        row[0] for row in db.execute("SELECT endpoint FROM push_subscriptions ORDER BY id")
    ]
    assert endpoints == [f"{fake.origin}/push/{index}" for index in (1, 2, 3)]
    clock.advance(seconds=1)
    assert subscribe(client, ticket, Subscriber(f"{fake.origin}/push/1")).status_code == 201
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 3


# Settings


def test_push_services_setting_takes_origins_and_refuses_loose_ones():
    env = {"MOTCUA_PUSH_SERVICES": "https://fcm.googleapis.com, https://*.notify.windows.com"}
    assert settings_from_env(env).push_services == (
        "https://fcm.googleapis.com",
        "https://*.notify.windows.com",
    )
    assert settings_from_env({}).push_services[0] == "https://fcm.googleapis.com"
    assert settings_from_env({"MOTCUA_PUSH_SERVICES": ""}).push_services == ()
    for wrong in (
        "http://fcm.googleapis.com",
        "https://*",
        "https://*.com.*",
        "https://fcm.googleapis.com/path",
        "http://10.0.0.5:8080",
        "http://127.0.0.1",
        "fcm.googleapis.com",
    ):
        with pytest.raises(SettingsError, match="MOTCUA_PUSH_SERVICES"):
            settings_from_env({"MOTCUA_PUSH_SERVICES": wrong})
    with pytest.raises(SettingsError, match="MOTCUA_PUSH_SUBJECT"):
        settings_from_env({"MOTCUA_PUSH_SUBJECT": "admin@center"})
    assert settings_from_env({}).vapid_subject() == "mailto:admin@localhost"
    public = settings_from_env({"MOTCUA_PUBLIC_URL": "https://motcua.laikhe.gov.vn"})
    assert public.vapid_subject() == "https://motcua.laikhe.gov.vn"


def test_a_wildcard_stands_for_one_or_more_labels_only():
    allowed = ("https://*.notify.windows.com",)
    assert origin_allowed("https://a.notify.windows.com", allowed)
    assert origin_allowed("https://a.b.notify.windows.com", allowed)
    assert not origin_allowed("https://notify.windows.com", allowed)
    assert not origin_allowed("https://anotify.windows.com", allowed)
    assert not origin_allowed("https://a.notify.windows.com:8443", allowed)
    assert not origin_allowed("http://a.notify.windows.com", allowed)


# What is pushed, and how


def serve_next(officer: Any, counter_id: int = 1) -> dict[str, Any]:
    """Finish whatever the counter serves, then call the next ticket."""
    state = officer.get(f"/api/counters/{counter_id}/state").json
    current = state.get("current")
    if current:
        officer.post(f"/api/tickets/{current['id']}/finish", json={"outcome": "resolved"})
    response = officer.post(f"/api/counters/{counter_id}/next")
    assert response.status_code == 200, response.json
    return response.json


def test_ahead_once_then_each_call_encrypted_for_the_subscriber_and_signed(
    app, client, officer, issue, fake, other_fake, db, clock
):
    tickets = [issue(PROCEDURE) for _ in range(6)]
    mine = tickets[4]
    subscriber = Subscriber(f"{fake.origin}/push/abc")
    assert subscribe(client, mine, subscriber).status_code == 201
    stray = Subscriber(f"{other_fake.origin}/push/abc")
    assert subscribe(client, mine, stray).json["error"]["code"] == "push_endpoint_not_allowed"
    worker = worker_for(app, clock)

    serve_next(officer)  # 1st called: 3 ahead of mine
    worker.turn()
    serve_next(officer)  # 2nd: 2 ahead, told already
    serve_next(officer)
    serve_next(officer)  # 4th: nobody ahead
    worker.turn()
    called = serve_next(officer)
    assert called["id"] == mine["id"]
    officer.post(f"/api/tickets/{mine['id']}/recall")
    drain(worker)

    messages = fake.wait_for(3)
    number = mine["number"]
    assert [subscriber.decrypt(message) for message in messages] == [
        {
            "title": f"Sắp đến lượt số {number}",
            "body": f"Còn 3 người nữa là đến lượt số {number}. Quý vị vui lòng quay lại trung tâm.",
            "number": number,
            "counter_id": None,
        },
        {
            "title": f"Đến lượt số {number}",
            "body": f"Mời số {number} đến Quầy 1 — Chứng thực",
            "number": number,
            "counter_id": 1,
        },
        {
            "title": f"Mời lại số {number}",
            "body": f"Mời số {number} đến Quầy 1 — Chứng thực",
            "number": number,
            "counter_id": 1,
        },
    ]
    public_key = client.get("/api/push/key").json["public_key"]
    for message in messages:
        assert message.path == "/push/abc"
        claims = vapid_claims(message, public_key)
        assert claims["aud"] == fake.origin
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600
        assert claims["sub"] == "mailto:admin@localhost"
        assert 0 < int(message.headers["ttl"]) <= 600
        assert mine["key"].encode() not in message.body  # and the key is nowhere in clear
    assert outbox(db) == [("ahead", "sent"), ("called", "sent"), ("called", "sent")]
    payloads = " ".join(row[0] for row in db.execute("SELECT payload FROM push_outbox"))
    assert mine["key"] not in payloads and mine["id"] not in payloads
    assert other_fake.received == []
    worker.turn()
    assert len(fake.received) == 3


def test_a_ticket_subscribed_within_n_is_told_at_the_next_call(
    app, client, officer, issue, fake, db, clock
):
    tickets = [issue(PROCEDURE) for _ in range(3)]
    subscriber = Subscriber(f"{fake.origin}/push/1")
    subscribe(client, tickets[2], subscriber)
    serve_next(officer)
    worker_for(app, clock).turn()
    [message] = fake.wait_for(1)
    assert subscriber.decrypt(message)["body"] == (
        f"Còn 1 người nữa là đến lượt số {tickets[2]['number']}. "
        "Quý vị vui lòng quay lại trung tâm."
    )


def test_a_subscription_the_push_service_forgot_is_deleted(
    app, client, officer, issue, fake, db, clock
):
    ticket = issue(PROCEDURE)
    subscribe(client, ticket, Subscriber(f"{fake.origin}/push/gone"))
    fake.answers = [410]
    serve_next(officer)
    worker_for(app, clock).turn()
    fake.wait_for(1)
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0
    assert outbox(db) == []
    officer.post(f"/api/tickets/{ticket['id']}/recall")
    worker_for(app, clock).turn()
    assert len(fake.received) == 1


@pytest.mark.parametrize("trouble", ["down", 503, 429])
def test_a_message_is_delivered_once_after_the_service_comes_back(
    app, client, officer, issue, fake, db, clock, trouble
):
    ticket = issue(PROCEDURE)
    subscriber = Subscriber(f"{fake.origin}/push/1")
    subscribe(client, ticket, subscriber)
    service = fake
    if trouble == "down":
        fake.close()
    else:
        fake.answers = [trouble]
    worker = worker_for(app, clock)
    serve_next(officer)
    worker.turn()
    assert outbox(db) == [("called", "pending")]
    assert worker.turn() == 0  # backing off
    if trouble == "down":
        service = FakePushService(port=fake.port)
    try:
        clock.advance(seconds=3)
        assert worker.turn() == 1
        for _ in range(3):
            clock.advance(seconds=60)
            worker.turn()
        delivered = [m for m in service.received if m.headers.get("content-encoding")]
        assert len(delivered) == (1 if trouble == "down" else 2)
        assert subscriber.decrypt(delivered[-1])["counter_id"] == 1
        assert outbox(db) == [("called", "sent")]
    finally:
        if service is not fake:
            service.close()


def test_without_internet_one_log_line_and_calls_go_on(
    app, client, officer, issue, fake, db, clock, caplog
):
    for _ in range(3):
        subscribe(client, issue(PROCEDURE), Subscriber(f"{fake.origin}/push/x"))
    fake.close()
    worker = worker_for(app, clock)
    with caplog.at_level(logging.ERROR, logger="server.push.worker"):
        for _ in range(3):
            serve_next(officer)
            worker.turn()
            clock.advance(seconds=20)
            worker.turn()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Thông báo đẩy ({fake.origin}): PushUnreachable: không kết nối")
    assert "Connection refused" in lines[0]
    assert ("called", "pending") in outbox(db)  # kept for when the network is back
    assert {status for _, status in outbox(db)} <= {"pending", "expired"}  # superseded aheads


def test_a_stale_message_is_never_sent(app, client, officer, issue, fake, db, clock):
    subscribe(client, issue(PROCEDURE), Subscriber(f"{fake.origin}/push/1"))
    serve_next(officer)
    clock.advance(seconds=601)
    worker_for(app, clock).turn()
    assert outbox(db) == [("called", "expired")]
    assert fake.received == []


def test_a_message_the_service_refuses_is_not_tried_again(
    app, client, officer, issue, fake, db, clock
):
    subscribe(client, issue(PROCEDURE), Subscriber(f"{fake.origin}/push/1"))
    fake.answers = [403]
    serve_next(officer)
    worker = worker_for(app, clock)
    worker.turn()
    clock.advance(seconds=120)
    worker.turn()
    assert len(fake.received) == 1
    assert outbox(db) == [("called", "refused")]


def test_subscriptions_of_earlier_days_are_deleted(app, client, issue, fake, db, clock):
    subscribe(client, issue(PROCEDURE), Subscriber(f"{fake.origin}/push/1"))
    clock.advance(days=1)
    worker_for(app, clock).turn()
    assert db.execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


# The real server


def test_motcua_serve_pushes_with_eventlet(tmp_path, fake, other_fake):
    server = LiveServer(tmp_path, MOTCUA_PUSH_SERVICES=fake.origin).start()
    try:
        take = {"procedure_id": PROCEDURE, "documents_complete": True, "priority": None}
        first = requests.post(f"{server.url}/api/tickets", json=take, timeout=5).json()
        second = requests.post(f"{server.url}/api/tickets", json=take, timeout=5).json()
        subscriber = Subscriber(f"{fake.origin}/wpush/v2/abc")
        url = f"{server.url}/api/tickets/{second['key']}/push"
        assert requests.post(url, json=subscriber.to_json(), timeout=5).status_code == 201
        stray = Subscriber(f"{other_fake.origin}/wpush/v2/abc").to_json()
        assert requests.post(url, json=stray, timeout=5).status_code == 400
        officer = server.login()
        assert (
            officer.post(f"{server.url}/api/counters/1/next", timeout=5).json()["id"] == first["id"]
        )
        fake.wait_for(1)  # the "ahead" message, before the call would make it moot
        officer.post(
            f"{server.url}/api/tickets/{first['id']}/finish",
            json={"outcome": "resolved"},
            timeout=5,
        )
        assert (
            officer.post(f"{server.url}/api/counters/1/next", timeout=5).json()["id"]
            == second["id"]
        )
        messages = fake.wait_for(2)
        public_key = requests.get(f"{server.url}/api/push/key", timeout=5).json()["public_key"]
        number = second["number"]
        assert [subscriber.decrypt(message)["body"] for message in messages] == [
            f"Số {number} là người tiếp theo. Quý vị vui lòng quay lại trung tâm.",
            f"Mời số {number} đến Quầy 1 — Chứng thực",
        ]
        for message in messages:
            assert vapid_claims(message, public_key)["aud"] == fake.origin
        assert other_fake.received == []
    finally:
        server.stop()


def test_a_phone_gets_its_messages_in_order_and_a_call_supersedes_a_late_ahead(
    app, client, officer, issue, fake, db, clock
):
    issue(PROCEDURE)
    mine = issue(PROCEDURE)
    subscriber = Subscriber(f"{fake.origin}/push/1")
    subscribe(client, mine, subscriber)
    fake.answers = [503]
    worker = worker_for(app, clock)
    serve_next(officer)  # mine is next: "ahead" queued, refused once
    worker.turn()
    serve_next(officer)  # mine called while its "ahead" waits for a retry: no longer due
    drain(worker)
    clock.advance(seconds=60)
    drain(worker)
    assert [subscriber.decrypt(m)["counter_id"] for m in fake.received] == [None, 1]
    assert outbox(db) == [("ahead", "expired"), ("called", "sent")]
