"""Live events: channels, rooms, seq, replay with since, and the stats snapshot."""

import time
from datetime import datetime

import pytest

from server.line.tickets import public_ticket
from tests.conftest import TZ, logged_in

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
# What a public screen never hears of a ticket (what lets one act on it, or names someone).
PRIVATE = {"id", "key", "priority", "dossier_code", "due_date", "rating", "officer_id"}
BIRTH = "khai-sinh"  # counters 2 and 3


def received(connection, name=None):
    events = connection.get_received()
    return [e for e in events if name is None or e["name"] == name]


def ticket_events(connection):
    """The ticket_* events heard, in order (not the ticket_state snapshots, whose coalesced
    pushes fall between them as the server's load decides)."""
    return [
        (e["name"], e["args"][0])
        for e in received(connection)
        if e["name"].startswith("ticket_") and e["name"] != "ticket_state"
    ]


def test_a_display_gets_the_stats_at_once(socket_client, issue):
    issue()
    display = socket_client("display")
    assert display.is_connected()
    first = display.get_received()  # (a push for the issue may follow the greeting)
    assert {e["name"] for e in first} == {"stats"}
    assert first[0]["args"][0]["issued"] == 1


@pytest.mark.parametrize(
    "auth_channel", ["lobby", "counter:99", "counter:abc", "ticket:khong-co", None, 7]
)
def test_unknown_channels_are_refused(socket_client, auth_channel):
    assert not socket_client(auth_channel).is_connected()


def test_every_ticket_event_reaches_the_rooms_it_concerns(socket_client, issue, officer):
    display = socket_client("display")
    counter_one = socket_client("counter:1")
    counter_three = socket_client("counter:3")
    for connection in (display, counter_one, counter_three):
        connection.get_received()

    ticket = issue(COPY)
    follower = socket_client(f"ticket:{ticket['key']}")
    follower.get_received()
    called = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{ticket['id']}/recall")
    officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})

    names = ["ticket_issued", "ticket_called", "ticket_called", "ticket_updated"]
    on_display = ticket_events(display)
    assert [name for name, _ in on_display] == names
    seqs = [payload["seq"] for _, payload in on_display]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    issued, call, recall, finish = (payload for _, payload in on_display)
    assert issued["number"] == "A001"
    assert issued["status"] == "waiting"
    extra = {"counter_name": call["counter_name"], "announcement": call["announcement"]}
    assert call == public_ticket({**called, **extra, "recall": False, "seq": seqs[1]})
    for _, payload in on_display:  # the lobby sees a number: nothing to act on, nobody named
        assert PRIVATE.isdisjoint(payload), payload
    assert call["counter_name"].startswith("Quầy 1")
    assert recall["recall"] is True
    assert finish["action"] == "finished"
    assert finish["status"] == "finished"

    assert ticket_events(counter_one) == on_display
    assert ticket_events(counter_three) == []  # counter 3 does not serve copies
    followed = ticket_events(follower)
    assert [name for name, _ in followed] == names[1:]
    assert all(payload["id"] == ticket["id"] for _, payload in followed)  # the whole ticket
    assert followed[-1][1]["outcome"] == "resolved"


def test_an_officers_console_hears_whole_tickets(socket_client, issue, officer):
    """The console acts on ids; the screen above the same counter shows numbers only."""
    console = socket_client("counter:1", browser=officer)
    screen = socket_client("counter:1")
    for connection in (console, screen):
        connection.get_received()
    ticket = issue(COPY, priority="pregnant")
    [(name, whole)] = ticket_events(console)
    [(_, public)] = ticket_events(screen)
    assert (name, whole["id"], whole["priority"]) == ("ticket_issued", ticket["id"], "pregnant")
    assert public == public_ticket(whole)
    assert PRIVATE.isdisjoint(public)
    assert "key" not in whole  # the key is the citizen's, in the kiosk's answer only


def test_a_transfer_is_heard_by_both_counters(socket_client, issue, officer, app):
    ticket = issue(COPY)
    officer.post("/api/counters/1/next")
    logged_in(app, "canbo2").post("/api/counters/3/resume")
    counter_three = socket_client("counter:3")
    counter_three.get_received()
    officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 3})
    [(name, payload)] = ticket_events(counter_three)
    assert name == "ticket_updated"
    assert payload["action"] == "transferred"
    assert payload["from_counter_id"] == 1


def test_a_screen_that_reconnects_gets_exactly_what_it_missed(socket_client, issue, officer):
    display = socket_client("display")
    first = issue(COPY)
    seen = ticket_events(display)
    last_seq = seen[-1][1]["seq"]
    display.disconnect()

    officer.post("/api/counters/1/next")
    second = issue(BIRTH)
    officer.post(f"/api/tickets/{first['id']}/finish", json={"outcome": "resolved"})

    again = socket_client("display", since=last_seq)
    events = received(again)  # a push for the last changes may come before or after
    names = [e["name"] for e in events]
    replayed = [e for e in events if e["name"] != "stats"]
    assert [e["name"] for e in replayed] == ["ticket_called", "ticket_issued", "ticket_updated"]
    assert "stats" in names[names.index("ticket_updated") :]  # the snapshot follows the replay
    payloads = [e["args"][0] for e in replayed]
    assert [p["seq"] for p in payloads] == [last_seq + 1, last_seq + 2, last_seq + 3]
    assert payloads[1]["number"] == second["number"]
    assert all(PRIVATE.isdisjoint(payload) for payload in payloads)

    counter_one = socket_client("counter:1", since=last_seq)
    replayed = [e["args"][0]["number"] for e in received(counter_one) if e["name"] != "stats"]
    assert replayed == [first["number"], first["number"]]  # the birth ticket is not counter 1's


def test_replay_is_limited_to_today(socket_client, issue, clock):
    issue(COPY)
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=TZ))
    issue(COPY)
    display = socket_client("display", since=0)
    replayed = [e for e in received(display) if e["name"] != "stats"]
    assert [e["name"] for e in replayed] == ["ticket_issued"]
    assert replayed[0]["args"][0]["day"] == "2026-11-27"


def test_seq_keeps_growing_across_days(issue, socket_client, clock):
    display = socket_client("display")
    issue()
    clock.advance(days=1)
    issue()
    seqs = [payload["seq"] for _, payload in ticket_events(display)]
    assert seqs[1] == seqs[0] + 1


def test_stats_follow_changes_but_are_coalesced(socket_client, client):
    display = socket_client("display")
    display.get_received()
    body = {"procedure_id": COPY, "documents_complete": True}
    for _ in range(20):
        client.post("/api/tickets", json=body)
    deadline = time.monotonic() + 3
    stats = []
    while time.monotonic() < deadline:
        stats += [e["args"][0] for e in received(display, "stats")]
        if stats and stats[-1]["issued"] == 20:
            break
        time.sleep(0.05)
    assert stats[-1]["issued"] == 20
    assert len(stats) < 20


def test_clients_cannot_change_anything_over_the_socket(socket_client, db):
    display = socket_client("display")
    display.emit("ticket_issued", {"procedure_id": COPY})
    display.emit("call_next", {"counter_id": 1})
    assert db.execute("SELECT count(*) FROM tickets").fetchone()[0] == 0


def wait_for(connection, name, predicate, seconds=3):
    """The first `name` message that satisfies predicate, within a bounded time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for event in received(connection, name):
            if predicate(event["args"][0]):
                return event["args"][0]
        time.sleep(0.05)
    raise AssertionError(f"no matching {name} within {seconds} s")


def test_an_officers_console_is_pushed_its_counter_state(socket_client, officer, issue):
    console = socket_client("counter:1", browser=officer)
    first = wait_for(console, "counter_state", lambda state: True)
    assert (first["counter_id"], first["waiting"]) == (1, [])
    ticket = issue(COPY)
    pushed = wait_for(console, "counter_state", lambda s: s["waiting_count"] == 1)
    assert pushed["waiting"][0]["id"] == ticket["id"]
    officer.post("/api/counters/1/next")
    pushed = wait_for(console, "counter_state", lambda s: s["current"] is not None)
    assert pushed["current"]["id"] == ticket["id"]
    assert pushed["officer"] == "canbo"


def test_an_anonymous_counter_screen_gets_no_console_state(socket_client, issue):
    screen = socket_client("counter:1")
    issue(COPY)
    time.sleep(0.5)
    names = {event["name"] for event in received(screen)}
    assert "counter_state" not in names
    assert "ticket_issued" in names


def test_a_followed_ticket_hears_its_place_in_line_move(socket_client, issue, officer):
    first, second = issue(COPY), issue(COPY)
    follower = socket_client(f"ticket:{second['key']}")
    assert wait_for(follower, "ticket_state", lambda t: True)["waiting_ahead"] == 1
    officer.post("/api/counters/1/next")  # calls the first ticket, not the followed one
    moved = wait_for(follower, "ticket_state", lambda t: t["waiting_ahead"] == 0)
    assert moved["id"] == second["id"]
    assert first["id"] != second["id"]


@pytest.mark.parametrize("since", [10**30, -(10**30), 2**63])
def test_a_huge_since_is_ignored_not_a_crash(socket_client, issue, since):
    issue(COPY)
    display = socket_client("display", since=since)
    assert display.is_connected()
    names = [event["name"] for event in received(display)]
    assert "stats" in names
    assert not any(name.startswith("ticket_") for name in names)  # nothing replayed


@pytest.mark.parametrize("channel", ["counter:99999999999999999999", "counter:" + "9" * 300])
def test_a_huge_counter_number_is_an_unknown_channel(socket_client, channel):
    screen = socket_client(channel)
    assert not screen.is_connected()
