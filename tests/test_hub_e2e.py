"""A province end to end: a real PostgreSQL, a real `motcua hub serve` and two real centers
(`motcua serve`) whose senders post their facts to it. What the officers do at both centers
(calls, every outcome, a dossier returned, an apology, ratings, a no-show) reaches the hub, and
the hub's totals for each center equal that center's own report, figure by figure; the
province's are their combination. The hub stopped while the centers work, then back: every
fact arrives once. A center killed after the hub committed its batch but before the answer
reached it: after its restart nothing is lost or doubled. A token only writes its own center.

Center A reaches the hub through a relay (a real HTTP server in this process) that can keep
the hub's answer from the center, so the kill falls exactly between the hub's commit and the
center's acknowledgement; center B talks to the hub directly. The tests share the province
(its processes start once) and run in order, each adding a day's work to what is there.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from tests.conftest import TZ
from tests.live_server import LiveHub, LiveServer, fresh_database

HUB_PASSWORD = "so-lieu-cua-tinh-2026"
COPY = "chung-thuc-ban-sao"  # counter 1, no-appointment
WILL = "chung-thuc-di-chuc"  # counter 1, with an appointment
BIRTH = "khai-sinh"  # counter 2, another officer
COUNTER_OF = {COPY: 1, WILL: 1, BIRTH: 2}
OFFICER_OF = {1: "canbo", 2: "canbo2"}
NOTE = "Ghi chú riêng của cán bộ: gọi lại số 0912 345 678"
SENT = 30.0  # s: a center's facts reach a hub that is up within this (backoff included)
# The hub's table of each kind, and the center's table its facts come from.
TABLES = {
    "hub_tickets": "tickets",
    "hub_dossiers": "dossiers",
    "hub_apologies": "dossier_apologies",
    "hub_counter_changes": "counter_state_changes",
}


class Relay:
    """Forwards the center's POSTs to the hub and its answers back. While `refuse` is set it
    answers 503 itself (the center keeps its facts); while `withhold` is set the hub's answer
    to a committed batch is kept from the center, whose request hangs until `released`.
    Records every body the center sent."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.bodies: list[bytes] = []
        self.refuse = threading.Event()
        self.withhold = threading.Event()
        self.withheld: list[bytes] = []  # the committed batches whose answer was kept
        self.kept = threading.Event()
        self.released = threading.Event()
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                relay.bodies.append(body)
                if relay.refuse.is_set():
                    return self.answer(503, b'{"error": {"code": "relay", "message": "..."}}')
                try:
                    answer = requests.post(
                        relay.target + self.path,
                        data=body,
                        headers={
                            "Authorization": self.headers.get("Authorization", ""),
                            "Content-Type": "application/json",
                        },
                        timeout=10,
                    )
                except requests.ConnectionError:  # the hub is stopped
                    return self.answer(502, b'{"error": {"code": "relay", "message": "..."}}')
                if relay.withhold.is_set() and answer.status_code == 200:
                    relay.withheld.append(body)
                    relay.kept.set()
                    relay.released.wait(60)
                    return None
                return self.answer(answer.status_code, answer.content)

            def answer(self, status: int, content: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Center:
    """One center as the test drives it: its process, its id and token at the hub, and the
    sessions of its staff."""

    id: str
    token: str
    live: LiveServer
    staff: dict[str, requests.Session] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # every ticket's key (the citizen's secret)

    def session(self, username: str) -> requests.Session:
        if username not in self.staff:
            self.staff[username] = self.live.login(username)
        return self.staff[username]

    def forget_sessions(self) -> None:
        self.staff.clear()

    def database(self) -> Path:
        return Path(self.live.env["MOTCUA_DB"])


@dataclass
class Province:
    hub: LiveHub
    database: str
    reader: requests.Session
    a: Center
    b: Center
    relay: Relay


def register(
    hub: LiveHub, folder: Path, center_id: str, hub_url: str, *, names_itself: bool
) -> Center:
    """A center registered at the hub and set up with its token; `names_itself`: it also
    sets MOTCUA_HUB_CENTER (optional: without it the token alone names the center)."""
    token = hub.add_center(center_id, f"Trung tâm {center_id}")
    own_id = {"MOTCUA_HUB_CENTER": center_id} if names_itself else {}
    live = LiveServer(folder, MOTCUA_HUB_URL=hub_url, MOTCUA_HUB_TOKEN=token, **own_id)
    return Center(center_id, token, live)


@pytest.fixture(scope="module")
def province(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Province]:
    database = fresh_database(postgres_url, "hub_e2e")
    hub = LiveHub(tmp_path_factory.mktemp("hub"), database)
    hub.run("user", "add", "tinh", stdin=f"{HUB_PASSWORD}\n")
    hub.start()
    relay = Relay(hub.url)
    a = register(hub, tmp_path_factory.mktemp("lai-khe"), "lai-khe", relay.url, names_itself=False)
    b = register(hub, tmp_path_factory.mktemp("an-dien"), "an-dien", hub.url, names_itself=True)
    a.live.start()
    b.live.start()
    try:
        yield Province(hub, database, hub.login("tinh", HUB_PASSWORD), a, b, relay)
    finally:
        relay.close()
        a.live.stop()
        b.live.stop()
        hub.stop()


# --- what the officers do --------------------------------------------------------------------


def take(center: Center, procedure: str) -> dict[str, Any]:
    taken = requests.post(
        f"{center.live.url}/api/tickets",
        json={"procedure_id": procedure, "documents_complete": True, "priority": None},
        timeout=5,
    )
    assert taken.status_code == 201, taken.text
    center.keys.append(taken.json()["key"])
    return taken.json()


def serve(
    center: Center,
    ticket: dict[str, Any],
    outcome: str | None,
    note: str = "",
    hold: float = 0.0,
    **finish: Any,
) -> dict[str, Any]:
    """A taken ticket called at its counter (with the officer's note, if any), served for
    `hold` seconds and ended with `outcome` (None: a no-show)."""
    counter = COUNTER_OF[ticket["procedure_id"]]
    officer = center.session(OFFICER_OF[counter])
    url = f"{center.live.url}/api/tickets/{ticket['id']}"
    called = officer.post(f"{url}/call", json={"counter_id": counter}, timeout=5)
    assert called.status_code == 200, called.text
    if note:
        noted = officer.post(f"{url}/note", json={"note": note}, timeout=5)
        assert noted.status_code == 200, noted.text
    time.sleep(hold)
    if outcome is None:
        ended = officer.post(f"{url}/no-show", timeout=5)
    else:
        ended = officer.post(f"{url}/finish", json={"outcome": outcome, **finish}, timeout=5)
    assert ended.status_code == 200, ended.text
    return {**ended.json(), "key": ticket["key"]}


def rate(center: Center, ticket: dict[str, Any], rating: str) -> None:
    rated = requests.post(
        f"{center.live.url}/api/tickets/{ticket['key']}/rating", json={"rating": rating}, timeout=5
    )
    assert rated.status_code == 200, rated.text


def a_days_work(center: Center, rounds: int, wait: float = 0.0, hold: float = 0.0) -> None:
    """Every kind of fact, `rounds` times: nine tickets taken, then after `wait` seconds
    served: resolved and rated (the first served for `hold` seconds), a dossier returned on
    its day, a dossier with an apology, a supplement with the officer's note, a refusal,
    advice, a no-show, and one left waiting."""
    officer = center.session("canbo")
    today = datetime.now(TZ).date().isoformat()
    tomorrow = (datetime.now(TZ).date() + timedelta(days=1)).isoformat()
    for turn in range(rounds):
        procedures = [COPY, BIRTH, WILL, BIRTH, COPY, WILL, COPY, COPY, BIRTH]
        copy, birth, will, late, supplement, refused, advice, absent, _ = (
            take(center, procedure) for procedure in procedures
        )
        time.sleep(wait)
        rate(center, serve(center, copy, "resolved", hold=hold), "very_satisfied")
        rate(center, serve(center, birth, "resolved"), ("satisfied", "unsatisfied")[turn % 2])
        returned = serve(center, will, "appointment", due_date=today)
        back = officer.post(
            f"{center.live.url}/api/dossiers/{returned['dossier_code']}/return", timeout=5
        )
        assert back.status_code == 200, back.text
        late = serve(center, late, "appointment", due_date=today)
        sorry = officer.post(
            f"{center.live.url}/api/dossiers/{late['dossier_code']}/apology",
            json={"new_due_date": tomorrow, "reason": "Chờ cơ quan khác phối hợp"},
            timeout=5,
        )
        assert sorry.status_code == 201, sorry.text
        missing = ["Bản chính giấy khai sinh"]
        serve(center, supplement, "supplement", note=NOTE, missing_documents=missing)
        serve(center, refused, "refused", reason="Giấy tờ không hợp lệ")
        rate(center, serve(center, advice, "advice"), "satisfied")
        serve(center, absent, None)


# --- what the center and the hub say ---------------------------------------------------------


def days() -> dict[str, str]:
    """Yesterday to tomorrow: today's work, whatever midnight does during the test."""
    today = datetime.now(TZ).date()
    return {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}


def wait_until_sent(center: Center, timeout: float = SENT) -> None:
    admin = center.session("quantri")
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = admin.get(f"{center.live.url}/api/admin/hub", timeout=5).json()
        if state["pending"] == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"{center.id} still has facts to send: {state}")


def pending(center: Center) -> int:
    admin = center.session("quantri")
    return admin.get(f"{center.live.url}/api/admin/hub", timeout=5).json()["pending"]


def own_totals(center: Center) -> dict[str, Any]:
    report = center.session("quantri").get(
        f"{center.live.url}/api/reports/summary", params=days(), timeout=10
    )
    assert report.status_code == 200, report.text
    return report.json()["totals"]


def hub_summary(province: Province) -> dict[str, Any]:
    answer = province.reader.get(f"{province.hub.url}/api/hub/summary", params=days(), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def hub_rows(province: Province, center: Center) -> dict[str, int]:
    """How many rows of each kind the hub holds for the center, and that none is there
    twice (a fact counted once per (center, key))."""
    counts = {}
    with psycopg.connect(province.database) as conn:
        for table in TABLES:
            rows, keys = conn.execute(
                f"SELECT count(*), count(DISTINCT key) FROM {table} WHERE center_id = %s",
                [center.id],
            ).fetchone()
            assert rows == keys, f"{table}: a fact of {center.id} stored twice"
            counts[table] = rows
    return counts


def center_rows(center: Center) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{center.database()}?mode=ro", uri=True)
    try:
        return {
            hub_table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for hub_table, table in TABLES.items()
        }
    finally:
        conn.close()


def assert_the_hub_has_what_each_center_has(province: Province) -> dict[str, Any]:
    """Every figure of every center's totals, and every row, as the center has them."""
    summary = hub_summary(province)
    at_hub = {row["id"]: row["totals"] for row in summary["centers"]}
    for center in (province.a, province.b):
        own = own_totals(center)
        assert set(at_hub[center.id]) == set(own)
        for key, value in own.items():
            assert at_hub[center.id][key] == value, f"{center.id} {key}"
        assert hub_rows(province, center) == center_rows(center)
    return summary


# --- the tests -------------------------------------------------------------------------------


def test_both_centers_work_and_the_hub_has_each_ones_own_figures(province: Province) -> None:
    a_days_work(province.a, rounds=2, wait=2.0, hold=1.5)
    a_days_work(province.b, rounds=1, wait=1.0)
    wait_until_sent(province.a)
    wait_until_sent(province.b)
    summary = assert_the_hub_has_what_each_center_has(province)

    a, b = (own_totals(center) for center in (province.a, province.b))
    assert a["issued"] == 18 and b["issued"] == 9
    assert (a["apologies"], a["dossiers_on_time"], a["ratings"]["unsatisfied"]) == (2, 2, 1)
    assert a["average_wait_seconds"] >= 2 and b["average_wait_seconds"] >= 1
    province_totals = summary["totals"]
    assert set(province_totals) == set(a)
    for key in a:
        if key in ("ratings", "outcomes", "channels"):
            assert province_totals[key] == {k: a[key][k] + b[key][k] for k in a[key]}, key
        elif key == "no_appointment_rate":
            finished = a["no_appointment_finished"] + b["no_appointment_finished"]
            resolved = a["no_appointment_resolved"] + b["no_appointment_resolved"]
            assert province_totals[key] == round(resolved / finished, 4)
        elif key in ("average_wait_seconds", "average_service_seconds"):
            # over every ticket of the province (each center's average rounded: ±0.5 s)
            over = "finished" if key == "average_service_seconds" else "called"
            counts = [t["finished"] + (t["no_show"] if over == "called" else 0) for t in (a, b)]
            combined = (a[key] * counts[0] + b[key] * counts[1]) / sum(counts)
            assert abs(province_totals[key] - combined) <= 1, key
        else:
            assert province_totals[key] == a[key] + b[key], key


def test_the_hub_away_then_back_gets_every_fact_once(province: Province) -> None:
    province.hub.stop()
    try:
        a_days_work(province.a, rounds=1)
        a_days_work(province.b, rounds=1)
        time.sleep(1.5)  # the senders try, and fail
        assert pending(province.a) > 0 and pending(province.b) > 0
        state = province.b.session("quantri").get(f"{province.b.live.url}/api/admin/hub").json()
        assert state["last_error"] and state["last_error_at"] > (state["last_success_at"] or "")
    finally:
        province.hub.start()
    wait_until_sent(province.a)
    wait_until_sent(province.b)
    assert_the_hub_has_what_each_center_has(province)
    assert own_totals(province.a)["issued"] == 27


def test_a_center_killed_between_the_hubs_commit_and_its_ack_loses_and_doubles_nothing(
    province: Province,
) -> None:
    a, relay = province.a, province.relay
    wait_until_sent(a)
    relay.refuse.set()  # the day's work waits at the center, to go in one batch
    a_days_work(a, rounds=1)
    relay.withhold.set()
    relay.refuse.clear()
    assert relay.kept.wait(SENT), "the hub committed a batch whose answer was kept"
    assert hub_rows(province, a) == center_rows(a)  # all at the hub, none acknowledged
    assert pending(a) > 0
    after_kill = len(relay.bodies)
    assert a.live.process is not None
    a.live.process.kill()  # SIGKILL: no goodbye, the acknowledgement never written
    a.live.process.wait(10)
    a.live.process = None
    relay.withhold.clear()
    relay.released.set()
    a.forget_sessions()
    a.live.start()
    wait_until_sent(a)
    kept = {fact["key"] for fact in json.loads(relay.withheld[0])["facts"]}
    again = [json.loads(body) for body in relay.bodies[after_kill:]]
    assert any(kept <= {fact["key"] for fact in batch["facts"]} for batch in again), (
        "the unacknowledged batch is sent again after the restart"
    )
    assert_the_hub_has_what_each_center_has(province)  # the repeat counted nothing twice
    assert own_totals(a)["issued"] == 36


def test_a_token_writes_only_its_own_center(province: Province) -> None:
    def post(token: str, center_id: str) -> requests.Response:
        return requests.post(
            f"{province.hub.url}/api/hub/facts",
            json={"center": {"id": center_id, "name": "Trung tâm xã"}, "through": 1, "facts": []},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    forged = post(province.a.token, province.b.id)
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "wrong_center"
    wrong = post("not-a-token-of-this-hub", province.a.id)
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_token"
    own = post(province.b.token, province.b.id)
    assert own.status_code == 200
    assert hub_summary(province)["totals"]["issued"] == 36 + 18  # nothing written by the refusals


def test_nothing_personal_reached_the_hub(province: Province) -> None:
    """The relay saw every byte center A sent: no ticket's key (what rates a ticket from the
    phone), no officer's note."""
    sent = b"".join(province.relay.bodies).decode()
    assert len(province.a.keys) == 36
    assert not [key for key in province.a.keys if key in sent]
    assert NOTE not in sent and "0912 345 678" not in sent
