"""A thousand idle connections from one address: does the rest of the center still work?

    python -m bench.connections [--tcp 1100] [--live 1022] [--polling 1000] [--wait-idle]
                                [--spread 21]

Three attacks, each against a fresh `motcua serve` (eventlet, as in production) on
127.0.0.1, from 127.0.0.2 (tests/idle_clients.py):

- tcp: connections that never send a request;
- live: Socket.IO clients over WebSocket that join the lobby channel, then never read nor
  answer a ping;
- polling: Engine.IO sessions opened by long-polling handshakes and never polled again.

Meanwhile, from 127.0.0.1 (another client of the center): how long GET /api/stats/today
takes (given up after 8 s), whether a lobby display connects and hears a ticket issued, and
how many of the idle connections the server kept. With --wait-idle, also how long the server
keeps the idle TCP connections it accepted before closing them itself.

--spread N adds a fourth attack: 100 idle TCP connections from each of N addresses
(127.0.0.2, 127.0.0.3, …), each within its share, together more than the server's pool when
N > 20. Stats are then waited for up to 45 s: they answer once the idle timeout frees a place.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from tests.idle_clients import (
    close_all,
    idle_live_clients,
    idle_tcp,
    polling_handshakes,
    still_open,
    timed_get,
)
from tests.live_events import Listener
from tests.live_server import LiveServer

BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True, "priority": None}
STATS = "/api/stats/today"


def the_others(server: LiveServer, patience: float = 8.0) -> dict[str, Any]:
    """What a well-behaved client at 127.0.0.1 sees now."""
    status, seconds = timed_get("127.0.0.1", server.port, STATS, patience)
    heard: float | None = None
    try:
        display = Listener(server.url, {"channel": "display"})
    except Exception as error:  # refused, timed out: the figure is that it could not
        return {"stats_status": status, "stats_seconds": round(seconds, 3), "display": repr(error)}
    try:
        started = time.monotonic()
        requests.post(f"{server.url}/api/tickets", json=BODY, timeout=8).raise_for_status()
        display.wait_for(lambda events: display.ticket_events(), "the ticket")
        heard = time.monotonic() - started
    finally:
        display.close()
    return {
        "stats_status": status,
        "stats_seconds": round(seconds, 3),
        "display_heard_ticket_seconds": round(heard, 3),
    }


def spread_attack(addresses: int) -> dict[str, Any]:
    """100 idle connections from each of `addresses` loopback addresses."""
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as folder:
        server = LiveServer(Path(folder)).start()
        sockets = []
        try:
            for number in range(2, addresses + 2):
                sockets += idle_tcp("127.0.0.1", server.port, 100, f"127.0.0.{number}")
            figures: dict[str, Any] = {"attack": "tcp-spread", "count": len(sockets)}
            figures["kept_open"] = still_open(sockets)
            figures.update(the_others(server, patience=45))
            return figures
        finally:
            close_all(sockets)
            server.stop()


def attack(kind: str, count: int, wait_idle: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as folder:
        server = LiveServer(Path(folder)).start()
        try:
            figures: dict[str, Any] = {"attack": kind, "count": count}
            host, port = "127.0.0.1", server.port
            if kind == "polling":
                started = time.monotonic()
                statuses = polling_handshakes(host, port, count)
                figures["seconds_to_open"] = round(time.monotonic() - started, 1)
                figures["statuses"] = {str(s): statuses.count(s) for s in sorted(set(statuses))}
                figures.update(the_others(server))
                return figures
            opened = time.monotonic()
            if kind == "tcp":
                sockets = idle_tcp(host, port, count)
            else:
                sockets = idle_live_clients(host, port, count, {"channel": "display"})
            try:
                figures["kept_open"] = still_open(sockets)
                figures.update(the_others(server))
                if wait_idle and kind == "tcp":
                    while still_open(sockets, settle=0.5) and time.monotonic() - opened < 120:
                        pass
                    figures["closed_by_server_after_seconds"] = round(time.monotonic() - opened)
            finally:
                close_all(sockets)
            return figures
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tcp", type=int, default=1100)
    parser.add_argument("--live", type=int, default=1022)
    parser.add_argument("--polling", type=int, default=1000)
    parser.add_argument("--wait-idle", action="store_true")
    parser.add_argument("--spread", type=int, default=0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = [
        attack("tcp", args.tcp, args.wait_idle),
        attack("live", args.live, False),
        attack("polling", args.polling, False),
    ]
    if args.spread:
        results.append(spread_attack(args.spread))
    for figures in results:
        print(json.dumps(figures, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
