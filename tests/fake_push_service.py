"""A fake Web Push service: a real HTTP server on 127.0.0.1 that records every message and
answers what the test asks (201 by default; 410, 503, 429 …), plus a subscriber whose keys
the test made itself, able to decrypt what was pushed (RFC 8291) and to check its VAPID
signature (RFC 8292) the way a real push service does.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    """One request the fake took: its path, headers (lower-case names) and body."""

    path: str
    headers: dict[str, str]
    body: bytes


class FakePushService:
    """ThreadingHTTPServer in a thread; `answers` is a list of statuses to give in order
    (then `default_status`)."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        self.default_status = 201
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with fake.lock:
                    fake.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = fake.answers.pop(0) if fake.answers else fake.default_status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.received)} messages, {count} awaited")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Subscriber:
    """A browser's side of a subscription: an ECDH P-256 key pair and a 16-byte secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def to_json(self) -> dict[str, Any]:
        """What PushSubscription.toJSON() gives."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, message: Received) -> dict[str, Any]:
        assert message.headers["content-encoding"] == "aes128gcm"
        text = http_ece.decrypt(
            message.body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(text.decode("utf-8"))


def vapid_claims(message: Received, public_key: str) -> dict[str, Any]:
    """Check `Authorization: vapid t=JWT, k=KEY` as a push service does: k is `public_key`,
    the JWT is ES256 and verifies with it. Its claims."""
    scheme, _, rest = message.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert parts["k"] == public_key
    header_text, claims_text, signature_text = parts["t"].split(".")
    header = json.loads(unb64url(header_text))
    assert header["alg"] == "ES256"
    signature = unb64url(signature_text)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    try:
        key.verify(der, f"{header_text}.{claims_text}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise AssertionError("the VAPID token does not verify with the center's key") from None
    return json.loads(unb64url(claims_text))
