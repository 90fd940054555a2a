"""The print spool: jobs written with their ticket, printed in order, each exactly once.

The worker is driven by hand here (print_next, check), against a dir: printer or the fake
LAN printer; tests/test_printing_live.py runs it inside a real server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from printers.connection import open_printer
from server.printing import spool
from server.printing.worker import PrintWorker
from server.setup.kiosk_devices import register_kiosk
from tests.fake_printer import FakeLanPrinter

WILL = "chung-thuc-di-chuc"  # counter 1 only


@pytest.fixture
def lan_printer() -> Iterator[FakeLanPrinter]:
    printer = FakeLanPrinter()
    yield printer
    printer.close()


def driven_worker(app: Any, **options: Any) -> PrintWorker:
    """A worker the test drives step by step, keeping what it would tell the screens."""
    services = app.extensions["motcua"]
    published: list[dict[str, Any]] = []
    worker = PrintWorker(
        services.settings,
        services.clock,
        published.append,
        spawn=lambda *args: None,
        sleep=lambda seconds: None,
        **options,
    )
    worker.published = published  # type: ignore[attr-defined]
    return worker


@pytest.fixture
def worker(app: Any) -> PrintWorker:
    return driven_worker(app)


def jobs(db: Any) -> list[dict[str, Any]]:
    names = ("id", "printer", "kind", "ticket_id", "status", "attempts", "document")
    rows = db.execute(f"SELECT {', '.join(names)} FROM print_jobs ORDER BY id").fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def use_printer(db: Any, url: str, queue: str = "default") -> None:
    spool.configure_printer(db, queue, url)


def test_issuing_queues_the_receipt_with_what_the_ticket_said(issue, db):
    ticket = issue()
    [job] = jobs(db)
    assert (job["printer"], job["kind"], job["ticket_id"], job["status"]) == (
        "default",
        "ticket",
        ticket["id"],
        "pending",
    )
    document = json.loads(job["document"])
    assert document["number"] == ticket["number"]
    assert document["procedure"] == "Chứng thực bản sao từ bản chính"  # the short name
    assert document["field"] == "Chứng thực"
    assert document["waiting_ahead"] == ticket["waiting_ahead"]
    assert document["no_appointment"] is True
    assert document["ticket_url"] == f"http://localhost/t/{ticket['key']}"
    assert document["center_name"].startswith("Trung tâm")


def test_a_repeat_under_the_same_key_prints_nothing_more(client, db):
    body = {"procedure_id": WILL, "documents_complete": True, "priority": "elderly"}
    first = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    [job] = jobs(db)
    assert json.loads(job["document"])["priority_label"].startswith("Người cao tuổi")


def test_a_refused_ticket_leaves_no_job(client, db):
    response = client.post(
        "/api/tickets", json={"procedure_id": "nope", "documents_complete": True}
    )
    assert response.status_code == 404
    assert jobs(db) == []


class TestPublicUrl:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "public_url": "http://192.168.1.10:8000"}

    def test_the_qr_points_at_the_public_address(self, issue, db):
        ticket = issue()
        document = json.loads(jobs(db)[0]["document"])
        assert document["ticket_url"] == f"http://192.168.1.10:8000/t/{ticket['key']}"


class TestNoPrinter:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "printer": "none"}

    def test_nothing_is_queued(self, issue, db):
        issue()
        assert jobs(db) == []


def test_the_worker_prints_to_a_folder_and_says_online(issue, db, worker, tmp_path):
    ticket = issue()
    assert worker.print_next("default") is True
    assert worker.print_next("default") is False  # nothing left
    assert [job["status"] for job in jobs(db)] == ["printed"]
    [png] = (tmp_path / "receipts").glob("*.png")
    assert png.name.startswith(ticket["number"])
    assert worker.published[-1]["state"] == "online"
    assert worker.published[-1]["pending"] == 0


def test_paper_out_keeps_every_job_in_order_until_paper_returns(issue, db, worker, lan_printer):
    use_printer(db, f"tcp://127.0.0.1:{lan_printer.port}")
    lan_printer.paper = "out"
    tickets = [issue() for _ in range(4)]
    assert worker.print_next("default") is False
    status = worker.published[-1]
    assert (status["state"], status["pending"]) == ("paper_out", 4)
    assert "hết giấy" in status["message"]
    first = jobs(db)[0]
    assert (first["status"], first["attempts"]) == ("pending", 1)
    assert worker.print_next("default") is False  # backing off: not even tried
    assert jobs(db)[0]["attempts"] == 1

    lan_printer.paper = "ok"
    worker.check("default")  # the idle check sees the paper and lifts the backoff
    while worker.print_next("default"):
        pass
    lan_printer.wait_for_jobs(4)
    urls = [f"http://localhost/t/{ticket['key']}" for ticket in tickets]
    assert lan_printer.printed_qr_codes() == urls
    assert lan_printer.lost == []
    assert [job["status"] for job in jobs(db)] == ["printed"] * 4
    assert worker.published[-1]["state"] == "online"


def test_a_switched_off_printer_backs_off_longer_each_time(issue, db, worker, lan_printer):
    use_printer(db, f"tcp://127.0.0.1:{lan_printer.port}")
    lan_printer.refuse_connections()
    issue()
    delays = []
    for _ in range(3):
        db.execute("UPDATE print_jobs SET not_before = 0")
        before = time.time()
        assert worker.print_next("default") is False
        not_before = db.execute("SELECT not_before FROM print_jobs").fetchone()[0]
        delays.append(round(not_before - before))
    assert delays == [1, 2, 4]
    assert worker.published[-1]["state"] == "offline"


def test_a_leased_job_is_not_printed_twice_until_its_worker_is_gone(issue, db, worker, app):
    issue()
    today = "2026-11-26"
    job = spool.claim_next(db, "default", "elsewhere:1:aa", time.time(), today)
    assert job is not None
    assert worker.print_next("default") is False  # another worker holds it
    released = spool.release_leases(db, lambda owner: owner == "elsewhere:1:aa")
    assert released == 1
    assert worker.print_next("default") is True
    assert jobs(db)[0]["status"] == "printed"


def test_a_worker_from_an_earlier_life_of_this_process_is_dead(worker):
    import os
    import socket

    assert worker.owner_is_dead(f"{socket.gethostname()}:{os.getpid()}:old") is True
    assert worker.owner_is_dead(worker.owner) is False
    assert worker.owner_is_dead("another-host:1:aa") is False


def test_yesterdays_receipts_are_dropped_not_printed(issue, db, worker, clock):
    issue()
    clock.advance(days=1)
    assert worker.print_next("default") is False
    assert jobs(db)[0]["status"] == "dropped"


def test_an_appointment_queues_the_slip_on_the_counters_printer(issue, officer, db, tmp_path):
    use_printer(db, f"dir:{tmp_path / 'quay-1'}", "counter:1")
    db.execute("UPDATE users SET full_name = 'Nguyễn Thị Hồng Nhung' WHERE username = 'canbo'")
    ticket = issue(WILL)
    assert officer.post("/api/counters/1/next").status_code == 200
    finished = officer.post(
        f"/api/tickets/{ticket['id']}/finish",
        json={"outcome": "appointment", "due_date": "2026-11-30"},
    )
    assert finished.status_code == 200
    slip = jobs(db)[-1]
    assert (slip["printer"], slip["kind"]) == ("counter:1", "slip")
    document = json.loads(slip["document"])
    assert document["dossier_code"] == finished.json["dossier_code"]
    assert document["due_date"] == "2026-11-30"
    assert document["officer"] == "Nguyễn Thị Hồng Nhung"
    assert document["number"] == ticket["number"]
    assert document["documents"]


def test_a_resolved_ticket_prints_no_slip(issue, officer, db):
    ticket = issue(WILL)
    officer.post("/api/counters/1/next")
    officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    assert [job["kind"] for job in jobs(db)] == ["ticket"]


def test_a_kiosk_with_its_own_printer_prints_there(client, db, clock, tmp_path):
    """A registered kiosk (its token) prints on its own printer; a request that only names
    the kiosk (X-Kiosk, which anyone can send) prints on the default one, not on its paper."""
    use_printer(db, f"dir:{tmp_path / 'sanh'}", "kiosk:sanh-1")
    token = register_kiosk(db, clock, "sanh-1")
    body = {"procedure_id": WILL, "documents_complete": True}
    client.post("/api/tickets", json=body, headers={"X-Kiosk": "sanh-1", "X-Kiosk-Token": token})
    client.post("/api/tickets", json=body, headers={"X-Kiosk-Token": token})
    client.post("/api/tickets", json=body, headers={"X-Kiosk": "sanh-1"})
    client.post("/api/tickets", json=body, headers={"X-Kiosk": "not-configured"})
    client.post("/api/tickets", json=body, headers={"X-Kiosk": "<script>"})
    printers = [job["printer"] for job in jobs(db)]
    assert printers == ["kiosk:sanh-1", "kiosk:sanh-1", "default", "default", "default"]


def test_reprint_queues_the_last_receipt_again(issue, officer, db, worker):
    issue()
    second = issue()
    worker.print_next("default")
    worker.print_next("default")
    response = officer.post("/api/printers/default/reprint")
    assert response.status_code == 202
    assert response.json["pending"] == 1
    again = jobs(db)[-1]
    assert (again["ticket_id"], again["status"]) == (second["id"], "pending")


def test_reprint_refusals(client, officer):
    assert client.post("/api/printers/default/reprint").status_code == 401
    unknown = officer.post("/api/printers/kiosk:nowhere/reprint")
    assert unknown.status_code == 404
    assert unknown.json["error"]["code"] == "unknown_printer"
    nothing = officer.post("/api/printers/default/reprint")
    assert nothing.status_code == 404
    assert nothing.json["error"]["message"] == "Máy in này chưa in phiếu nào hôm nay."


def test_printers_lists_states_and_pending(client, issue, db, tmp_path):
    use_printer(db, f"dir:{tmp_path / 'quay-2'}", "counter:2")
    issue()
    listed = client.get("/api/printers").json
    assert [p["printer"] for p in listed] == ["default", "counter:2"]
    assert listed[0] == {
        "printer": "default",
        "label": "Máy in chung",
        "state": "unknown",
        "message": None,
        "pending": 1,
        "checked_at": None,
    }
    assert listed[1]["label"].startswith("Máy in Quầy")
    assert "url" not in listed[0]  # where printers are is not public


@pytest.mark.parametrize("name", ["", "kiosk:", "kiosk:UPPER", "counter:x", "printer-1"])
def test_printer_names_are_checked(db, name):
    with pytest.raises(spool.InvalidInput):
        spool.configure_printer(db, name, "none")


def test_a_counter_printer_needs_the_counter(db):
    with pytest.raises(spool.NotFound):
        spool.configure_printer(db, "counter:99", "none")


@pytest.fixture
def impatient_worker(app: Any) -> PrintWorker:
    """A worker whose LAN printers give up after a second (the real waits are longer)."""
    return driven_worker(
        app,
        printer_for=lambda url: open_printer(
            url, timeout=2.0, status_timeout=1.0, confirm_timeout=1.0
        ),
    )


@pytest.mark.parametrize(
    "hang",
    [
        "deaf",  # accepts the connection, never reads a byte
        "stalls_after_status",  # answers "online", then never reads the receipt
        "silent",  # reads, but never answers a status query
    ],
)
def test_a_hung_printer_keeps_the_receipt_pending_and_shows_it(
    issue, db, impatient_worker, lan_printer, hang
):
    worker = impatient_worker
    use_printer(db, f"tcp://127.0.0.1:{lan_printer.port}")
    setattr(lan_printer, hang, True)
    ticket = issue()
    assert worker.print_next("default") is False
    [job] = jobs(db)
    assert (job["status"], job["attempts"]) == ("pending", 1)  # to be sent again
    status = worker.published[-1]
    assert (status["state"], status["pending"]) == ("offline", 1)  # the kiosk warns citizens
    assert status["message"].startswith("Máy in mạng 127.0.0.1")
    assert lan_printer.jobs == []

    setattr(lan_printer, hang, False)  # the printer is restarted
    worker.check("default")  # it answers again: the backoff is lifted
    assert worker.print_next("default") is True
    lan_printer.wait_for_jobs(1)
    assert lan_printer.printed_qr_codes() == [f"http://localhost/t/{ticket['key']}"]
    assert [job["status"] for job in jobs(db)] == ["printed"]
    assert (worker.published[-1]["state"], worker.published[-1]["pending"]) == ("online", 0)
