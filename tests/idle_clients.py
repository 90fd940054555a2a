"""Clients that connect and then say nothing, from one loopback address of their own.

What an attacker on the center's LAN (or a buggy device) does to a server: a thousand TCP
connections that never send a request, or Socket.IO clients that connect and idle. The tests
(tests/test_connections.py) and the benchmark (bench/connections.py) open them here; the
well-behaved clients (the TV, the kiosk, a leader's stats) come from 127.0.0.1, the idle ones
from IDLE_SOURCE, so that a per-address bound can tell them apart (Linux routes all of
127.0.0.0/8 to the loopback interface).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import http.client
import json
import os
import resource
import selectors
import socket
import time
from collections.abc import Iterable
from typing import Any

IDLE_SOURCE = "127.0.0.2"
PACE_BATCH, PACE_SECONDS = 20, 0.01  # ~2,000 connections a second


def allow_open_files(count: int) -> None:
    """Raise this process's soft limit on open files to `count` (as far as the hard limit
    lets it): a thousand sockets do not fit in the usual 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def idle_tcp(host: str, port: int, count: int, source: str = IDLE_SOURCE) -> list[socket.socket]:
    """`count` TCP connections that never send a byte, opened a batch at a time (a burst
    would overflow the server's listen backlog, and those connections would never reach
    it). Not waited for beyond that: a server that stopped accepting leaves them unanswered,
    which is the point."""
    allow_open_files(count + 256)
    sockets: list[socket.socket] = []
    for index in range(count):
        if index and index % PACE_BATCH == 0:
            time.sleep(PACE_SECONDS)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((source, 0))
        sock.setblocking(False)
        code = sock.connect_ex((host, port))
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            raise OSError(code, os.strerror(code))
        sockets.append(sock)
    return sockets


def websocket_handshake(host: str, port: int) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def text_frame(text: str) -> bytes:
    """A masked client WebSocket text frame (short texts only)."""
    payload, mask = text.encode(), os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def idle_live_clients(
    host: str, port: int, count: int, auth: dict[str, Any], source: str = IDLE_SOURCE
) -> list[socket.socket]:
    """`count` Socket.IO clients over WebSocket that join `auth`'s channel, then never read
    nor answer a ping (Engine.IO drops such a client after its ping timeout, ~45 s). Each
    handshake is sent without waiting for the answer; the connections the server refuses
    are simply closed by it."""
    sockets = idle_tcp(host, port, count, source)
    opening = websocket_handshake(host, port) + text_frame("40" + json.dumps(auth))
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_WRITE)
    deadline = time.monotonic() + 10
    pending = len(sockets)
    while pending and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.1):
            selector.unregister(key.fileobj)
            pending -= 1
            with contextlib.suppress(OSError):  # refused: counted as closed later
                key.fileobj.send(opening)  # type: ignore[union-attr]
    selector.close()
    return sockets


def polling_handshakes(host: str, port: int, count: int, source: str = IDLE_SOURCE) -> list[int]:
    """`count` Engine.IO sessions opened by long-polling handshakes, one after the other on
    one keep-alive connection, none of them ever polled again: the HTTP statuses."""
    connection = http.client.HTTPConnection(host, port, timeout=10, source_address=(source, 0))
    statuses = []
    try:
        for _ in range(count):
            connection.request("GET", "/socket.io/?EIO=4&transport=polling")
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


def still_open(sockets: Iterable[socket.socket], settle: float = 1.0) -> int:
    """How many of the sockets the server has not closed: read (and drop) whatever arrives
    until nothing has been closed for `settle` seconds."""
    selector = selectors.DefaultSelector()
    open_count = 0
    for sock in sockets:
        if sock.fileno() != -1:
            selector.register(sock, selectors.EVENT_READ)
            open_count += 1
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < settle:
        for key, _ in selector.select(timeout=0.1):
            sock: socket.socket = key.fileobj  # type: ignore[assignment]
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                selector.unregister(sock)
                open_count -= 1
                quiet_since = time.monotonic()
    selector.close()
    return open_count


def close_all(sockets: Iterable[socket.socket]) -> None:
    for sock in sockets:
        sock.close()


def timed_get(
    host: str, port: int, path: str, timeout: float = 8.0, source: str = "127.0.0.1"
) -> tuple[int | None, float]:
    """GET `path` on a new connection from `source`: (status or None, seconds it took)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started
    finally:
        connection.close()
