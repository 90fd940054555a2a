"""Properties of the API and of the ticket domain, checked with hypothesis.

1. Every JSON endpoint, sent any JSON value or a near-valid body (a valid one with keys
   dropped, replaced by odd values or added), never answers 5xx, and when it refuses (4xx)
   the database is exactly as before: "Nothing partial is ever written on an error."
2. Issuing any sequence of tickets, over several days and with repeated Idempotency-Keys,
   numbers each letter 001, 002, … per day, with no gap and no repeat.
3. Any sequence of counter actions keeps the line consistent: a counter serves at most one
   ticket at a time, a status changes only along the allowed transitions, and an action the
   domain refuses writes nothing.

Runs are derandomized (the same examples every time) and bounded by max_examples.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from server.clock import FixedClock
from server.errors import DomainError
from server.line import counter_actions, counter_states
from server.line.tickets import issue_ticket
from server.settings import Settings
from server.setup.auth import User
from server.setup.kiosk_devices import register_kiosk
from server.storage.db import open_database
from server.vocabulary import OUTCOMES, PRIORITIES, RATINGS
from tests.conftest import PASSWORD, THURSDAY_MORNING, logged_in

API_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # no randomness without a fixed seed
    database=None,  # write nothing into the work tree
    # One app per endpoint on purpose: its examples share the database, as clients do.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DOMAIN_EXAMPLES = settings(API_EXAMPLES, max_examples=60)
SETTINGS = Settings(printer="none")

# JSON as any client may send it: lone surrogate escapes, NaN and integers past 64 bits too.
TEXTS = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(categories=["Cs"]), min_size=1, max_size=2),
    st.sampled_from(["", " ", "x" * 201, "é" * 1001, "2026-02-30", "9999-12-31", "25:99"]),
)
EDGES = st.sampled_from([2**63, -(2**63) - 1, 10**30, 2**31, -1, 0, 1e308, "\ud800", "A\udfffB"])
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    TEXTS,
    EDGES,
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXTS, children, max_size=3),
    max_leaves=8,
)


@st.composite
def near_valid(draw: st.DrawFn, valid: dict[str, Any]) -> dict[str, Any]:
    """A valid body with one to three changes: a key dropped, replaced (an odd value more
    often than not: such a value alone, in a body valid otherwise, reaches the domain) or
    added."""
    body = dict(valid)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        change = draw(st.sampled_from(["drop", "replace", "replace", "add"]))
        if change == "add" or not body:
            body[draw(TEXTS)] = draw(JSON_VALUES)
        elif change == "drop":
            del body[draw(st.sampled_from(sorted(body)))]
        else:
            body[draw(st.sampled_from(sorted(body)))] = draw(st.one_of(EDGES, TEXTS, JSON_VALUES))
    return body


SAME_TYPE_EDGES: dict[type, list[Any]] = {
    bool: [None, 0, 1, "true"],
    int: [2**63, -(2**63) - 1, 10**30, 2**31, -1, 0, 1.5, True],
    str: ["", " ", "\ud800", "A\udfffB", "x" * 201, "é" * 1001, "2026-02-30", "9999-12-31"],
    list: [[], [None], ["\ud800"], ["x" * 1001], list(range(61)), "x"],
    dict: [{}, {"mon": ["25:00-26:00"]}, {"\ud800": []}, []],
    type(None): [0, "", False, []],
}


def edge_bodies(valid: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The valid body with one key dropped, or set to each odd value of its own type: every
    such body is otherwise valid, so the odd value travels as far into the domain as it can."""
    for key, value in valid.items():
        yield {k: v for k, v in valid.items() if k != key}
        for edge in SAME_TYPE_EDGES[type(value)]:
            yield {**valid, key: edge}


def bodies(valid: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Anything JSON, objects of the endpoint's own keys, and near-valid bodies."""
    own_keys = st.dictionaries(st.sampled_from(sorted(valid)), JSON_VALUES, max_size=len(valid))
    return st.one_of(JSON_VALUES, own_keys, near_valid(valid), near_valid(valid), st.just(valid))


def dump(path: Path) -> list[str]:
    """Every table's schema and rows, as SQL: equal dumps mean nothing was written."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def called_ticket(app: Flask, procedure_id: str = "khai-sinh", counter_id: int = 3) -> str:
    """A ticket now called at a counter (the officer canbo's), for the counter actions."""
    return called(app, procedure_id, counter_id)["id"]


def called(app: Flask, procedure_id: str = "khai-sinh", counter_id: int = 3) -> dict[str, Any]:
    """The ticket as the kiosk got it (with the citizen's key), now called at a counter."""
    officer = logged_in(app, "canbo")
    current = officer.get(f"/api/counters/{counter_id}/state").json["current"]
    if current is not None:  # left in service by the example before: it ends first
        finishing = {"outcome": "advice"}
        officer.post(f"/api/tickets/{current['id']}/finish", json=finishing)
    ticket = waiting(app, procedure_id)
    assert officer.post(f"/api/counters/{counter_id}/next").json["id"] == ticket["id"]
    return ticket


def waiting(app: Flask, procedure_id: str = "khai-sinh") -> dict[str, Any]:
    body = {"procedure_id": procedure_id, "documents_complete": True, "priority": None}
    return app.test_client().post("/api/tickets", json=body).json


def transfer_ready(app: Flask) -> str:
    """A ticket called at counter 3, and counter 2 open (canbo2's) to transfer it to."""
    assert logged_in(app, "canbo2").post("/api/counters/2/resume").status_code == 200
    return called_ticket(app)


def finished_ticket_id(app: Flask) -> str:
    ticket_id = called_ticket(app)
    finished = logged_in(app, "canbo").post(
        f"/api/tickets/{ticket_id}/finish", json={"outcome": "resolved"}
    )
    assert finished.status_code == 200
    return ticket_id


def finished_then_waiting(app: Flask) -> str:
    """A waiting ticket, with counter 3 (which serves it) open and free to call it."""
    counter_three_open(app)
    return waiting(app)["id"]


def counter_three_open(app: Flask) -> str:
    """Counter 3 open and free for canbo: whatever it serves ends (the path has no {setup})."""
    finished_ticket_id(app)
    return ""


def finished_ticket(app: Flask) -> str:
    """A finished ticket's key: what the citizen rates it with."""
    ticket = called(app)
    finished = logged_in(app, "canbo").post(
        f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"}
    )
    assert finished.status_code == 200
    return ticket["key"]


def calendar_day(app: Flask) -> str:
    day = {"day": "2027-03-15", "kind": "holiday", "name": "Ngày nghỉ bù"}
    added = logged_in(app, "quantri").post("/api/admin/calendar", json=day)
    assert added.status_code in (201, 409)  # 409: there since the last example
    return day["day"]


# name: (who, method, path with {setup}, a valid body, what to prepare; its result fills
# {setup}, again after every success: a transfer or a rating uses its ticket up)
ENDPOINTS: dict[str, tuple[str, str, str, dict[str, Any], Callable[[Flask], Any] | None]] = {
    "issue a ticket": (
        "anyone",
        "POST",
        "/api/tickets",
        {"procedure_id": "khai-sinh", "documents_complete": True, "priority": "elderly"},
        None,
    ),
    "log in": ("anyone", "POST", "/api/session", {"username": "canbo", "password": PASSWORD}, None),
    "transfer": (
        "officer",
        "POST",
        "/api/tickets/{setup}/transfer",
        {"counter_id": 2},
        transfer_ready,
    ),
    "call a waiting ticket": (
        "officer",
        "POST",
        "/api/tickets/{setup}/call",
        {"counter_id": 3},
        finished_then_waiting,
    ),
    "correct an outcome": (
        "officer",
        "POST",
        "/api/tickets/{setup}/correct",
        {"outcome": "supplement", "missing_documents": ["Tờ khai đăng ký khai sinh"]},
        finished_ticket_id,
    ),
    "note": (
        "officer",
        "POST",
        "/api/tickets/{setup}/note",
        {"note": "Chờ bản chính"},
        called_ticket,
    ),
    "pause a counter": (
        "officer",
        "POST",
        "/api/counters/3/pause{setup}",
        {"reason": "Nghỉ trưa"},
        counter_three_open,
    ),
    "finish": (
        "officer",
        "POST",
        "/api/tickets/{setup}/finish",
        {"outcome": "appointment", "due_date": "2026-11-30"},
        called_ticket,
    ),
    "rate a ticket": (
        "anyone",
        "POST",
        "/api/tickets/{setup}/rating",
        {"rating": "satisfied"},
        finished_ticket,
    ),
    "rate at the counter": (
        "tablet",
        "POST",
        "/api/counters/3/rating",
        {"rating": "very_satisfied"},
        finished_ticket,
    ),
    "update the center": (
        "admin",
        "PUT",
        "/api/admin/center",
        {
            "name": "Trung tâm phục vụ Hành chính công xã Lai Khê",
            "portal_url": "https://dichvucong.gov.vn",
            "opening_hours": {"mon": ["07:00-11:30", "13:30-17:00"], "thu": ["07:00-11:30"]},
            "no_appointment_days": ["thu"],
            "no_appointment_until": "15:00",
        },
        None,
    ),
    "add a calendar day": (
        "admin",
        "POST",
        "/api/admin/calendar",
        {"day": "2027-02-08", "kind": "holiday", "name": "Tết Nguyên đán"},
        None,
    ),
    "update a calendar day": (
        "admin",
        "PUT",
        "/api/admin/calendar/{setup}",
        {"kind": "working", "name": "Làm bù"},
        calendar_day,
    ),
    "add a field": (
        "admin",
        "POST",
        "/api/admin/fields",
        {"id": "dat-dai", "name": "Đất đai", "letter": "F"},
        None,
    ),
    "update a field": (
        "admin",
        "PUT",
        "/api/admin/fields/ho-tich",
        {"name": "Hộ tịch", "letter": "B"},
        None,
    ),
    "add a procedure": (
        "admin",
        "POST",
        "/api/admin/procedures",
        {
            "field": "ho-tich",
            "name": "Đăng ký nhận cha, mẹ, con",
            "processing_days": 3,
            "service_minutes": 10,
            "documents": ["Tờ khai"],
            "no_appointment": False,
        },
        None,
    ),
    "update a procedure": (
        "admin",
        "PUT",
        "/api/admin/procedures/khai-tu",
        {"processing_days": 2, "no_appointment": True, "documents": ["Tờ khai"]},
        None,
    ),
    "add a counter": (
        "admin",
        "POST",
        "/api/admin/counters",
        {"name": "Quầy 7 — Đất đai", "procedures": ["khai-sinh"]},
        None,
    ),
    "update a counter": (
        "admin",
        "PUT",
        "/api/admin/counters/1",
        {"name": "Quầy 1", "procedures": ["chung-thuc-ban-sao", "khai-sinh"]},
        None,
    ),
    "add an account": (
        "admin",
        "POST",
        "/api/admin/users",
        {"username": "nguyenvana", "full_name": "Nguyễn Văn A", "role": "officer"},
        None,
    ),
    "update an account": (
        "admin",
        "PUT",
        "/api/admin/users/2",
        {"full_name": "Trần Thị Lan", "role": "admin", "active": False},
        None,
    ),
    "reset a password": (
        "admin",
        "POST",
        "/api/admin/users/2/password",
        {"password": "mat-khau-moi-12"},
        None,
    ),
    "set a printer": (
        "admin",
        "PUT",
        "/api/admin/printers/counter:1",
        {"url": "tcp://192.168.1.50:9100?paper=58"},
        None,
    ),
}
USERS = {"officer": "canbo", "admin": "quantri"}


def client_for(app: Flask, role: str) -> FlaskClient:
    """A client in a role: a logged-in officer or admin, a registered tablet, or anyone."""
    if role in USERS:
        return logged_in(app, USERS[role])
    client = app.test_client()
    if role == "tablet":
        db = open_database(app.extensions["motcua"].settings.database)
        clock = app.extensions["motcua"].clock
        client.environ_base["HTTP_X_KIOSK_TOKEN"] = register_kiosk(db, clock, "may-tinh-bang")
        db.conn.close()
    return client


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_refusals_never_fail_and_never_write(app: Flask, db_path: Path, name: str) -> None:
    role, method, template, valid, prepare = ENDPOINTS[name]
    target = {"path": template.format(setup=prepare(app) if prepare else "")}
    client = client_for(app, role)

    def refused_bodies_write_nothing(body: Any) -> None:
        before = dump(db_path)
        response = client.open(
            target["path"], method=method, data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code >= 400:
            error = response.json["error"]
            assert error["code"] and error["message"], response.json
            assert dump(db_path) == before, f"{response.status_code} {error} wrote to the database"
        elif prepare:
            target["path"] = template.format(setup=prepare(app))

    for body in edge_bodies(valid):
        refused_bodies_write_nothing(body)
    API_EXAMPLES(given(body=bodies(valid))(refused_bodies_write_nothing))()


@contextmanager
def scratch_database(template: Path) -> Iterator[Database]:
    """A private in-memory copy of the template database (catalog and three users)."""
    db = open_database(":memory:")
    source = sqlite3.connect(template)
    source.backup(db.conn)
    source.close()
    try:
        yield db
    finally:
        db.conn.close()


def catalog(template: Path) -> tuple[dict[str, str], list[int]]:
    """{procedure id: its field's letter} and the counter ids of the template database."""
    connection = sqlite3.connect(template)
    try:
        letters = dict(
            connection.execute(
                "SELECT p.id, f.letter FROM procedures p JOIN fields f ON f.id = p.field_id"
            )
        )
        counters = [row[0] for row in connection.execute("SELECT id FROM counters ORDER BY id")]
    finally:
        connection.close()
    return letters, counters


ISSUES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=12),  # index of the procedure
        st.integers(min_value=0, max_value=600),  # minutes since the previous ticket
        st.sampled_from([None, *PRIORITIES]),
        st.booleans(),  # documents_complete
        st.none() | st.sampled_from(["kiosk-1-0001", "kiosk-1-0002"]),  # Idempotency-Key
    ),
    min_size=1,
    max_size=40,
)


@DOMAIN_EXAMPLES
@given(steps=ISSUES)
def test_numbers_are_consecutive_per_letter_and_day(template_database: Path, steps: list) -> None:
    letters, _ = catalog(template_database)
    procedures = sorted(letters)
    clock = FixedClock(THURSDAY_MORNING)
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    first_of_key: dict[tuple[str, str], dict[str, Any]] = {}
    with scratch_database(template_database) as db:
        for index, minutes, priority, complete, key in steps:
            clock.advance(minutes=minutes)
            procedure_id = procedures[index % len(procedures)]
            request = {"procedure_id": procedure_id, "documents_complete": complete}
            try:
                issued = issue_ticket(
                    db, clock, SETTINGS, **request, priority=priority, idempotency_key=key
                )
            except DomainError as refusal:
                assert refusal.code == "idempotency_key_reused"
                assert first_of_key[(clock.now().date().isoformat(), key)] != {
                    **request,
                    "priority": priority,
                }
                continue
            ticket = issued.ticket
            assert ticket["day"] == clock.now().date().isoformat()
            if not issued.created:  # a repeat: the same ticket, no number taken
                assert first_of_key[(ticket["day"], key)]["id"] == ticket["id"]
                continue
            if key is not None:
                first_of_key[(ticket["day"], key)] = {
                    **request,
                    "priority": priority,
                    "id": ticket["id"],
                }
            letter, digits = ticket["number"][0], ticket["number"][1:]
            assert letter == letters[procedure_id]
            assert len(digits) >= 3 and digits == f"{int(digits):03d}"
            numbers[(ticket["day"], letter)].append(int(digits))
    for issued_numbers in numbers.values():
        assert issued_numbers == list(range(1, len(issued_numbers) + 1))


ALLOWED = {
    "waiting": {"waiting", "called"},
    "called": {"called", "finished", "no_show", "waiting"},  # waiting again: a transfer
    "finished": {"finished"},
    "no_show": {"no_show", "waiting"},  # waiting again: put back in line
}
ISSUE = st.tuples(
    st.just("issue"),
    st.sampled_from(["khai-sinh", "chung-thuc-ban-sao", "ket-hon"]),  # served by counters 1-3
    st.sampled_from([None, "elderly"]),
)
RECENT = st.integers(min_value=0, max_value=3)
COUNTER = st.integers(min_value=1, max_value=3)  # which ticket: the newest, the one before…
NEXT = st.tuples(st.just("next"), st.integers(min_value=1, max_value=3), st.sampled_from([1, 2]))
ACTIONS = st.lists(
    st.one_of(  # issuing and calling twice as often: the line is what the rest act on
        ISSUE,
        NEXT,
        ISSUE,
        NEXT,
        st.tuples(st.sampled_from(["recall", "no_show", "rate"]), RECENT, st.none()),
        st.tuples(st.just("finish"), RECENT, st.sampled_from(OUTCOMES)),
        st.tuples(st.just("transfer"), RECENT, st.integers(min_value=1, max_value=4)),
        st.tuples(st.just("close"), st.integers(min_value=1, max_value=4), st.none()),
        st.tuples(st.just("pause"), st.integers(min_value=1, max_value=3), st.sampled_from([1, 2])),
        st.tuples(
            st.just("resume"), st.integers(min_value=1, max_value=3), st.sampled_from([1, 2])
        ),
        st.tuples(st.just("call"), RECENT, st.integers(min_value=1, max_value=3)),
        st.tuples(st.just("reinstate"), RECENT, st.none()),
        st.tuples(st.just("correct"), RECENT, st.sampled_from(OUTCOMES)),
        st.tuples(st.just("wait"), st.sampled_from([3, 3, 45, 24 * 60]), st.none()),  # minutes
    ),
    min_size=4,
    max_size=40,
)


def statuses(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT id, status FROM tickets").fetchall())


def check_invariants(db: Database) -> None:
    """What must hold after every action, whatever happened before."""
    serving_twice = db.execute(
        """SELECT day, counter_id FROM tickets WHERE status = 'called'
           GROUP BY day, counter_id HAVING count(*) > 1"""
    ).fetchall()
    assert serving_twice == [], "a counter serves two tickets at once"
    called_where_nobody_serves = db.execute(
        """SELECT t.id FROM tickets t JOIN counters c ON c.id = t.counter_id
           WHERE t.status = 'called' AND (c.state != 'open' OR c.opened_day != t.day)"""
    ).fetchall()
    assert called_where_nobody_serves == [], "a ticket in service at a paused or closed counter"
    two_counters = db.execute(
        """SELECT officer_id FROM counters WHERE state != 'closed'
           GROUP BY officer_id, opened_day HAVING count(*) > 1"""
    ).fetchall()
    assert two_counters == [], "an officer holds two counters at once"
    broken = db.execute(
        """SELECT id, status FROM tickets WHERE
             (status = 'called' AND (counter_id IS NULL OR called_at IS NULL))
          OR ((status = 'finished') != (outcome IS NOT NULL AND finished_at IS NOT NULL))
          OR (status != 'finished' AND (outcome IS NOT NULL OR finished_at IS NOT NULL))
          OR (rating IS NOT NULL AND status != 'finished')
          OR ((outcome = 'appointment') != EXISTS (SELECT 1 FROM dossiers d
                                                   WHERE d.ticket_id = tickets.id))"""
    ).fetchall()
    assert broken == [], "tickets whose fields contradict their status"
    seqs = [row[0] for row in db.execute("SELECT seq FROM ticket_events ORDER BY rowid")]
    assert seqs == sorted(set(seqs)), "event seq must grow by one per event"


def run_action(
    db: Database, clock: FixedClock, tickets: list[str], action: tuple[str, Any, Any]
) -> counter_actions.Outcome | None:
    """One step through the domain functions; None for a step that is not an action."""
    kind, target, extra = action
    if kind == "wait":
        clock.advance(minutes=target)
        return None
    if kind == "issue":
        issued = issue_ticket(
            db, clock, SETTINGS, procedure_id=target, documents_complete=True, priority=extra
        )
        tickets.append(issued.ticket["id"])
        return counter_actions.Outcome(issued.ticket)
    if kind == "next":
        return counter_actions.call_next(db, clock, SETTINGS, target, OFFICERS[extra])
    if kind == "close":
        counter_states.close(db, clock, target, ADMIN)
        return None
    if kind == "pause":
        counter_states.pause(db, clock, target, OFFICERS[extra], "Nghỉ trưa")
        return None
    if kind == "resume":
        counter_states.resume(db, clock, target, OFFICERS[extra])
        return None
    if not tickets:
        return None
    ticket_id = tickets[-1 - target % len(tickets)]
    if kind == "recall":
        return counter_actions.recall(db, clock, SETTINGS, ticket_id, holder(db, ticket_id))
    if kind == "no_show":
        return counter_actions.no_show(db, clock, SETTINGS, ticket_id, holder(db, ticket_id))
    if kind == "transfer":
        user = holder(db, ticket_id)
        return counter_actions.transfer(db, clock, SETTINGS, ticket_id, extra, user)
    if kind == "rate":
        return counter_actions.rate(db, clock, SETTINGS, ticket_id, RATINGS[target % len(RATINGS)])
    if kind == "call":
        return counter_actions.call_ticket(db, clock, SETTINGS, ticket_id, extra, OFFICERS[1])
    if kind == "reinstate":
        return counter_actions.reinstate(db, clock, SETTINGS, ticket_id, holder(db, ticket_id))
    due = (clock.now() + timedelta(days=3)).date().isoformat() if extra == "appointment" else None
    act = counter_actions.correct if kind == "correct" else counter_actions.finish
    return act(db, clock, SETTINGS, ticket_id, holder(db, ticket_id), extra, due)


# The accounts of the template database: two officers and the admin.
OFFICERS = {1: User(1, "canbo", "officer"), 2: User(2, "canbo2", "officer")}
ADMIN = User(3, "quantri", "admin")


def holder(db: Database, ticket_id: str) -> User:
    """Who acts on a ticket: the officer holding its counter (anyone else is refused, a rule
    of its own test), or the first officer when nobody does."""
    row = db.execute(
        """SELECT c.officer_id FROM tickets t LEFT JOIN counters c ON c.id = t.counter_id
           WHERE t.id = ?""",
        [ticket_id],
    ).fetchone()
    return OFFICERS.get(row[0] if row else None, OFFICERS[1])


@DOMAIN_EXAMPLES
@given(actions=ACTIONS)
def test_counter_actions_keep_the_line_consistent(template_database: Path, actions: list) -> None:
    clock = FixedClock(THURSDAY_MORNING)
    tickets: list[str] = []
    with scratch_database(template_database) as db:
        for action in actions:
            before, before_dump = statuses(db), list(db.conn.iterdump())
            try:
                outcome = run_action(db, clock, tickets, action)
            except DomainError:
                assert list(db.conn.iterdump()) == before_dump, f"{action} refused but wrote"
                continue
            after = statuses(db)
            for ticket_id, status in before.items():
                assert after[ticket_id] in ALLOWED[status], (action, status, after[ticket_id])
            if action[0] == "next" and outcome is not None and outcome.ticket is not None:
                assert outcome.ticket["status"] == "called"
                assert outcome.ticket["counter_id"] == action[1]
                assert before[outcome.ticket["id"]] == "waiting"
            check_invariants(db)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_the_valid_bodies_are_accepted(app: Flask, name: str) -> None:
    """The bodies the mutations start from are valid, so near-valid ones reach the domain."""
    role, method, template, valid, prepare = ENDPOINTS[name]
    path = template.format(setup=prepare(app) if prepare else "")
    client = client_for(app, role)
    response = client.open(path, method=method, json=valid)
    assert response.status_code in (200, 201), response.json


# What the runs above (and schemathesis, tests/test_openapi.py) found, kept as plain cases.
TOO_LARGE = 2**63  # one past the largest integer SQLite binds


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("officer", "POST", f"/api/counters/{TOO_LARGE}/next"),
        ("officer", "GET", f"/api/counters/{TOO_LARGE}/state"),
        ("anyone", "GET", f"/api/counters/{TOO_LARGE}/last-served"),
        ("admin", "PUT", f"/api/admin/users/{TOO_LARGE}"),
        ("admin", "PUT", f"/api/admin/counters/{TOO_LARGE}"),
    ],
)
def test_an_id_past_sqlite_integers_is_an_unknown_path(app, role, method, path):
    client = client_for(app, role)
    response = client.open(path, method=method, json={})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_counter_id_past_sqlite_integers_is_refused(app, officer):
    ticket_id = called_ticket(app)
    response = officer.post(f"/api/tickets/{ticket_id}/transfer", json={"counter_id": TOO_LARGE})
    assert response.status_code == 400
    assert response.json["error"] == {
        "code": "invalid_field",
        "message": "Trường 'counter_id' có giá trị quá lớn.",
    }


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,  # deeper than Python's recursion limit
        '{"procedure_id": "\\ud800", "documents_complete": true}',  # a lone surrogate
    ],
)
def test_json_python_parses_but_nobody_can_store_is_400(client, text):
    response = client.post("/api/tickets", data=text, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_body"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("processing_days", 366, "Số ngày làm việc để có kết quả: tối đa 365, nhận 366."),
        (
            "service_minutes",
            10**19,
            "Số phút phục vụ tại quầy: tối đa 480, nhận 10000000000000000000.",
        ),
    ],
)
def test_a_procedure_has_bounded_numbers(admin, client, key, value, message):
    """Unbounded, processing_days=10**18 made every GET /api/procedures (the kiosk) a 500."""
    response = admin.put("/api/admin/procedures/khai-sinh", json={key: value})
    assert response.status_code == 400
    assert response.json["error"] == {"code": f"invalid_{key}", "message": message}
    assert client.get("/api/procedures").status_code == 200


def test_an_audit_limit_that_is_no_number_is_400(admin):
    response = admin.get("/api/admin/audit?limit=abc")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_limit"
    assert admin.get("/api/admin/audit?limit=100000").status_code == 200  # clamped to 500
