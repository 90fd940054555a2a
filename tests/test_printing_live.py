"""Printing inside a real `motcua serve`: the spool through a paper-out and a SIGKILL.

The fake LAN printer (tests/fake_printer.py) is a real TCP server on 127.0.0.1 that answers
status queries; each printed job is identified by the ticket address in its QR code.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.fake_printer import FakeLanPrinter
from tests.live_events import Listener
from tests.live_server import LiveServer

PROCEDURE = "chung-thuc-ban-sao"
PRINT_TIMEOUT = 20.0  # a failed job is retried within 5 s (the longest backoff)


@pytest.fixture
def printer() -> Iterator[FakeLanPrinter]:
    fake = FakeLanPrinter()
    yield fake
    fake.close()


@pytest.fixture
def server(tmp_path: Path, printer: FakeLanPrinter) -> Iterator[LiveServer]:
    running = LiveServer(tmp_path, MOTCUA_PRINTER=f"tcp://127.0.0.1:{printer.port}").start()
    yield running
    running.stop()


def issue_tickets(server: LiveServer, count: int) -> list[str]:
    """Issue tickets like a kiosk; every one must be accepted. Returns their page addresses."""
    urls = []
    for _ in range(count):
        response = requests.post(
            f"{server.url}/api/tickets",
            json={"procedure_id": PROCEDURE, "documents_complete": True},
            timeout=5,
        )
        assert response.status_code == 201, response.text
        urls.append(f"{server.url}/t/{response.json()['key']}")
    return urls


def printer_states(listener: Listener) -> list[dict[str, Any]]:
    return [data for name, data in listener.events if name == "printer_status"]


def test_out_of_paper_tickets_are_issued_then_each_prints_once_in_order(server, printer):
    display = Listener(server.url, {"channel": "display"})
    try:
        printer.paper = "out"
        urls = issue_tickets(server, 6)
        display.wait_for(
            lambda events: any(
                name == "printer_status" and data["state"] == "paper_out" for name, data in events
            ),
            "printer_status paper_out",
        )
        status = requests.get(f"{server.url}/api/printers", timeout=5).json()[0]
        assert status["state"] == "paper_out" and status["pending"] == 6
        assert printer.jobs == [] and printer.lost == []

        printer.paper = "ok"
        printer.wait_for_jobs(6, timeout=PRINT_TIMEOUT)
        assert printer.printed_qr_codes() == urls
        display.wait_for(
            lambda events: any(
                name == "printer_status" and data["state"] == "online" and data["pending"] == 0
                for name, data in events
            ),
            "printer_status online",
        )
        time.sleep(1.0)  # nothing more may come out
        assert printer.printed_qr_codes() == urls
        assert printer.lost == []
    finally:
        display.close()


def test_a_killed_server_prints_every_pending_receipt_after_restart(server, printer):
    printer.paper = "out"
    urls = issue_tickets(server, 12)
    printer.status_delay = 0.15  # a slow printer, so the kill lands mid-queue
    printer.paper = "ok"
    printer.wait_for_jobs(3, timeout=PRINT_TIMEOUT)
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=5)
    printed_before_kill = len(printer.jobs)
    assert printed_before_kill < len(urls), "the queue was already empty: nothing was tested"

    server.start()  # the same database, a new process
    printed = printer.wait_for_jobs(len(urls), timeout=PRINT_TIMEOUT)
    time.sleep(1.0)
    codes = printer.printed_qr_codes()
    assert set(codes) == set(urls), "every receipt printed"
    repeats = len(codes) - len(set(codes))
    assert repeats <= 1, f"at most the one in-flight job repeats, got {repeats}"
    first_seen = list(dict.fromkeys(codes))
    assert first_seen == urls, "in order"
    assert len(printed) >= len(urls)


@pytest.mark.parametrize("hang", ["deaf", "silent"])
def test_a_hung_printer_under_the_real_server_keeps_the_receipt_and_says_so(server, printer, hang):
    """The findings, end to end under eventlet: a printer that accepts the connection and
    never reads, or reads and never answers its status, used to have its receipts marked
    printed. Now each waits, and the screens say the printer cannot print."""
    display = Listener(server.url, {"channel": "display"})
    try:
        setattr(printer, hang, True)
        [url] = issue_tickets(server, 1)
        display.wait_for(
            lambda events: any(
                name == "printer_status" and data["state"] == "offline" and data["pending"] == 1
                for name, data in events
            ),
            "printer_status offline with the receipt pending",
        )
        [status] = requests.get(f"{server.url}/api/printers", timeout=5).json()
        assert (status["state"], status["pending"]) == ("offline", 1)
        assert printer.jobs == []

        setattr(printer, hang, False)  # restarted: the waiting receipt prints
        printer.wait_for_jobs(1, timeout=PRINT_TIMEOUT)
        assert printer.printed_qr_codes() == [url]
    finally:
        display.close()
