"""A fake province hub: a real HTTP server on 127.0.0.1 that takes `POST /api/hub/facts` as
the hub does (a bearer token, the batch stored as upserts, `{"through", "stored"}`), records
every request's bytes, and can answer what a test asks instead: a status (500, 401 …), a
hang (a hub that never answers), or the commit without the answer (the batch stored, then no
reply: the center must send it again, harmlessly).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "token-cua-trung-tam-thu-nghiem"


@dataclass
class Request:
    """One request the fake took: its headers (lower-case names) and body."""

    headers: dict[str, str]
    body: bytes

    def batch(self) -> dict[str, Any]:
        return json.loads(self.body)


class FakeHub:
    """ThreadingHTTPServer in a thread. `answers`: statuses to give in order before the
    normal acknowledgement; `hang`: while set, requests wait (and are not stored);
    `commit_then_hang`: the next request is stored, then waits like `hang`."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[Request] = []
        self.facts: dict[tuple[str, str, str], Any] = {}  # (center, kind, key) → data
        self.answers: list[int] = []
        self.hang = threading.Event()
        self.commit_then_hang = threading.Event()
        self.released = threading.Event()  # set: hanging requests give up (the test ends)
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake.lock:
                    fake.requests.append(Request(headers, body))
                    status = fake.answers.pop(0) if fake.answers else None
                if self.path != "/api/hub/facts":
                    return self.answer(404, {"error": {"code": "not_found", "message": "…"}})
                if headers.get("authorization") != f"Bearer {TOKEN}":
                    return self.answer(401, {"error": {"code": "invalid_token", "message": "…"}})
                if status is not None:
                    return self.answer(status, {"error": {"code": "fake", "message": "lỗi"}})
                if fake.hang.is_set():
                    fake.released.wait(120)
                    return None
                batch = json.loads(body)
                fake.store(batch)
                if fake.commit_then_hang.is_set():
                    fake.commit_then_hang.clear()
                    fake.released.wait(120)
                    return None
                self.answer(200, {"through": batch["through"], "stored": len(batch["facts"])})

            def answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def store(self, batch: dict[str, Any]) -> None:
        """As the hub stores a batch: an upsert per fact, a delete for `data: null`."""
        center = batch["center"]["id"]
        with self.lock:
            for fact in batch["facts"]:
                key = (center, fact["kind"], fact["key"])
                if fact["data"] is None:
                    self.facts.pop(key, None)
                else:
                    self.facts[key] = fact["data"]

    def batches(self) -> list[dict[str, Any]]:
        with self.lock:
            return [request.batch() for request in self.requests]

    def of_kind(self, kind: str) -> dict[str, Any]:
        """The stored facts of one kind, by key."""
        with self.lock:
            return {key: data for (_, k, key), data in self.facts.items() if k == kind}

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Request]:
        """Once at least `count` requests came."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.requests)} requests, {count} awaited")

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
