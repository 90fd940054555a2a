"""A fake LAN receipt printer: a real TCP server on 127.0.0.1, like a printer on port 9100.

It answers the real-time status queries (DLE EOT 1 to 4) wherever they come in what it reads,
the way an Epson-style printer does, records the bytes of each job (everything a connection
sent between the queries it starts and the queries it ends with), and can be switched by a
test: paper "ok" / "low" / "out", "silent" (reads but never answers a status query), slow
(status_delay), refusing (its port closed, like a printer switched off), "deaf" (accepts a
connection and never reads from it) or "stalls_after_status" (answers the queries a
connection starts with, then never reads again: a hung printer whose buffer is full). A
job that arrives while the paper is out is recorded as lost, not printed: a real printer
would not print it either.

Also runnable by hand, to try a kiosk without a printer:
    python -m tests.fake_printer --port 9100
"""

from __future__ import annotations

import argparse
import re
import socket
import threading
import time

QUERY = re.compile(rb"\x10\x04([\x01-\x04])")
ONLY_QUERIES = re.compile(rb"(?:\x10\x04[\x01-\x04])+")
JOB = re.compile(rb"(?:\x10\x04[\x01-\x04])*(.*?)(?:\x10\x04[\x01-\x04])*", re.DOTALL)
QR_STORE = re.compile(rb"\x1d\(k(..)\x31\x50\x30", re.DOTALL)


class FakeLanPrinter:
    def __init__(self, port: int = 0, receive_buffer: int | None = None) -> None:
        """receive_buffer: SO_RCVBUF of its connections, small to fill the kernel's buffers
        sooner when it stops reading."""
        self.paper = "ok"
        self.silent = False
        self.deaf = False
        self.stalls_after_status = False
        self.status_delay = 0.0  # seconds before each status reply: a slow printer
        self.receive_buffer = receive_buffer
        self.jobs: list[bytes] = []
        self.lost: list[bytes] = []
        self.status_queries = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._server: socket.socket | None = None
        self.port = port
        self._listen()

    # --- switches a test flips -------------------------------------------------------------

    def refuse_connections(self) -> None:
        """Close the port: connecting fails, as with a printer switched off."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._server is not None:
            self._server.close()
            self._server = None

    def accept_connections(self) -> None:
        """Open the same port again: the printer came back."""
        if self._server is None:
            self._stop = threading.Event()
            self._listen()

    def close(self) -> None:
        self.refuse_connections()

    # --- what a test reads --------------------------------------------------------------------

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """The printed jobs once there are at least `count` (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.jobs) < count and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.jobs)

    def printed_qr_codes(self) -> list[str]:
        """The QR content of every printed job, in print order: the ticket page address on a
        ticket, the dossier code on a slip. Tells which receipt each job was."""
        with self._lock:
            return [qr_content(job) for job in self.jobs]

    # --- the server ----------------------------------------------------------------------------

    def _listen(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.receive_buffer:  # before listen: accepted connections inherit it
            server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        server.settimeout(0.1)
        self.port = server.getsockname()[1]
        self._server = server
        self._thread: threading.Thread | None = threading.Thread(
            target=self._accept, args=(server, self._stop), daemon=True
        )
        self._thread.start()

    def _accept(self, server: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, stop), daemon=True).start()

    def _serve(self, conn: socket.socket, stop: threading.Event) -> None:
        data, scanned = b"", 0
        with conn:
            if self.deaf:
                stop.wait()  # hold the connection, read nothing, until switched off
                return
            conn.settimeout(10)
            try:
                while chunk := conn.recv(65536):
                    data += chunk
                    scanned = self._answer_queries(conn, data, scanned)
                    if self.stalls_after_status and ONLY_QUERIES.fullmatch(data):
                        stop.wait()  # answered the opening queries: never reads again
                        return
            except OSError:
                return
        job = JOB.fullmatch(data)
        if job and job[1]:
            with self._changed:
                (self.lost if self.paper == "out" else self.jobs).append(job[1])
                self._changed.notify_all()

    def _answer_queries(self, conn: socket.socket, data: bytes, scanned: int) -> int:
        """Answer each status query in data after `scanned`, in order, as a printer does as
        it reads; returns where to look next time (a query may be split between reads)."""
        for match in QUERY.finditer(data, scanned):
            with self._lock:
                self.status_queries += 1
            if self.status_delay:
                time.sleep(self.status_delay)
            if not self.silent:
                conn.sendall(status_reply(match[1][0], self.paper))
            scanned = match.end()
        return max(scanned, len(data) - 2)


def status_reply(query: int, paper: str) -> bytes:
    """An Epson-style DLE EOT reply: bits 1 and 4 always set; for query 4, bits 2-3 when the
    paper is near its end and 5-6 when it is out."""
    fixed = 0x12
    if query != 4:
        return bytes([fixed])
    bits = {"ok": 0x00, "low": 0x0C, "out": 0x6C}[paper]
    return bytes([fixed | bits])


def qr_content(job: bytes) -> str:
    """The text stored by the job's native QR command (GS ( k, function 80), or ""."""
    match = QR_STORE.search(job)
    if not match:
        return ""
    length = match[1][0] + 256 * match[1][1] - 3
    return job[match.end() : match.end() + length].decode("utf-8", errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fake_printer")
    parser.add_argument("--port", type=int, default=9100)
    printer = FakeLanPrinter(parser.parse_args().port)
    print(f"Máy in giả đang nghe tại tcp://127.0.0.1:{printer.port} (Ctrl+C để dừng)")
    seen = 0
    try:
        while True:
            jobs = printer.wait_for_jobs(seen + 1, timeout=1.0)
            for job in jobs[seen:]:
                print(f"Đã in {len(job)} byte: {qr_content(job)}")
            seen = len(jobs)
    except KeyboardInterrupt:
        printer.close()


if __name__ == "__main__":
    main()
