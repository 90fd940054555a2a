"""A lean lobby-screen client: Socket.IO (Engine.IO 4) over a bare WebSocket, many per thread.

python-socketio's client spends ~60 µs of CPU per event (one WebSocket frame read in several
system calls, two packet layers, a handler lookup); thirty of them listening to a few hundred
events a second need more than one of the machine's two cores, which the server then lacks.
This client speaks the same protocol as a browser (handshake, `40{auth}`, `42[name, data]`,
ping/pong) but reads all its sockets from one selector in large chunks. An event's arrival
time is when the chunk that completed it was read.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import socket
import struct
import time
from typing import Any

from tests.live_events import TICKET_EVENTS


class LeanDisplay:
    """One connection to a channel; arrivals as (event, ticket number, seq, time).

    Snapshots are only counted and kept raw (the first and last `stats`, the last
    `ticket_state`/`counter_state`): decoding every one would cost more than the rest.
    """

    def __init__(self, host: str, port: int, auth: dict[str, Any], timeout: float = 10) -> None:
        self.arrivals: list[tuple[str, str, int, float]] = []
        self.stats = 0
        self.first_stats: str | None = None
        self.last_stats: str | None = None
        self.states = 0
        self.last_state: str | None = None
        self.closed = False
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        self.offset = 0
        while b"\r\n\r\n" not in self.buffer:
            self.read_some()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.decode(errors="replace"))
        opened = self.next_message()
        if not opened.startswith("0"):
            raise ConnectionError(f"expected the Engine.IO open packet, got {opened[:80]!r}")
        self.send("40" + json.dumps(auth))
        while not (answer := self.next_message()).startswith("40"):
            if answer.startswith("44"):
                raise ConnectionError(f"refused: {answer[:200]}")
            self.handle(answer, time.monotonic())  # the server emits on connect before the ack
        self.sock.setblocking(False)

    def read_some(self) -> bool:
        chunk = self.sock.recv(262144)
        if not chunk:
            self.closed = True
            return False
        if self.offset:
            self.buffer = self.buffer[self.offset :]
            self.offset = 0
        self.buffer += chunk
        return True

    def next_message(self) -> str:
        """During the handshake: block until one whole text message is there."""
        while True:
            message = self.pop_frame()
            if message is not None:
                return message
            if not self.read_some():
                raise ConnectionError("closed during the handshake")

    def pop_frame(self) -> str | None:
        """The next complete text message in the buffer (pings answered), or None."""
        buffer = self.buffer
        while True:
            at = self.offset
            if len(buffer) - at < 2:
                return None
            opcode, length, start = buffer[at] & 0x0F, buffer[at + 1] & 0x7F, at + 2
            if length == 126:
                if len(buffer) - at < 4:
                    return None
                length, start = struct.unpack_from("!H", buffer, at + 2)[0], at + 4
            elif length == 127:
                if len(buffer) - at < 10:
                    return None
                length, start = struct.unpack_from("!Q", buffer, at + 2)[0], at + 10
            if len(buffer) < start + length:
                return None
            payload = buffer[start : start + length]
            self.offset = start + length
            if opcode == 8:
                self.closed = True
                return None
            if opcode == 9:  # WebSocket ping
                self.send_frame(10, payload)
                continue
            if opcode != 1:
                continue
            message = payload.decode()
            if message == "2":  # Engine.IO ping
                self.send("3")
                continue
            return message

    def receive(self, arrived: float) -> None:
        """Read what is there and note every event it completes."""
        try:
            if not self.read_some():
                return
        except BlockingIOError:
            return
        while (message := self.pop_frame()) is not None:
            self.handle(message, arrived)

    def handle_buffered(self, arrived: float) -> None:
        """Note the messages the handshake read past the connect ack (a new connection)."""
        while (message := self.pop_frame()) is not None:
            self.handle(message, arrived)

    def handle(self, message: str, arrived: float) -> None:
        if not message.startswith("42"):
            return
        if message.startswith('42["stats"'):
            self.stats += 1
            self.last_stats = message
            if self.first_stats is None:
                self.first_stats = message
            return
        if message.startswith(('42["ticket_state"', '42["counter_state"')):
            self.states += 1
            self.last_state = message
            return
        name, data = json.loads(message[2:])
        if name in TICKET_EVENTS:
            self.arrivals.append((name, data["number"], data["seq"], arrived))

    def send(self, text: str) -> None:
        self.send_frame(1, text.encode())

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """A masked client frame (small payloads only: the client sends only control text)."""
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        header = bytes([0x80 | opcode, 0x80 | len(payload)])
        self.sock.sendall(header + mask + masked)  # a few bytes: never blocks in practice

    def close(self) -> None:
        try:
            self.send("41")
            self.send_frame(8, b"")
        except OSError:
            pass
        self.sock.close()


def payload(message: str) -> Any:
    """The data of a raw `42["name", data]` message."""
    return json.loads(message[2:])[1]


def listen(displays: list[LeanDisplay], until: Any) -> None:
    """Read every display until until() is true (checked at least every 50 ms)."""
    selector = selectors.DefaultSelector()
    for display in displays:
        selector.register(display.sock, selectors.EVENT_READ, display)
    try:
        while not until():
            for key, _ in selector.select(timeout=0.05):
                key.data.receive(time.monotonic())
    finally:
        selector.close()
