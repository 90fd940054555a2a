"""Citizens' push subscriptions: what a browser's `PushSubscription.toJSON()` must be, and
where it may point.

The server later POSTs to the subscription's endpoint, so the endpoint is an address chosen
by whoever calls the API: left unchecked, anyone holding a ticket could make the center's
server send requests to any host its network reaches (SSRF, docs/security.md). An endpoint
is therefore accepted only at an origin listed in MOTCUA_PUSH_SERVICES: https, with `*.`
standing for one or more labels of a host name (`https://*.notify.windows.com` takes
`https://wns2-par02p.notify.windows.com`, never `https://notify.windows.com` nor
`https://evil.example/notify.windows.com`); plain http only when listed exactly (a test's
fake service on 127.0.0.1). The keys must be what RFC 8291 encrypts to: a P-256 point and a
16-byte secret, so the worker never meets a subscription it cannot encrypt for.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from server.errors import InvalidInput
from server.push.keys import b64url
from server.storage.db import Database

MAX_PER_TICKET = 3  # a phone, a relative's phone, a re-subscription: the oldest goes
ENDPOINT_MAX = 2048
KEY_TEXT_MAX = 200


@dataclass(frozen=True)
class Subscription:
    """A checked subscription: its endpoint, the browser's P-256 public key (p256dh) and
    auth secret, both base64url without padding."""

    endpoint: str
    p256dh: str
    auth: str

    def origin(self) -> str:
        return origin_of(self.endpoint)

    def info(self) -> dict[str, Any]:
        """As pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(origin: str, allowed: tuple[str, ...]) -> bool:
    """Whether `origin` (scheme://host[:port], lower-case) matches one of the listed
    services; a `*.` pattern matches hosts with at least one more label."""
    for pattern in allowed:
        if pattern.startswith("https://*."):
            suffix = pattern.removeprefix("https://*")  # ".notify.windows.com[:port]"
            if origin.startswith("https://") and origin.endswith(suffix):
                label = origin.removeprefix("https://").removesuffix(suffix)
                if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", label):
                    return True
        elif origin == pattern:
            return True
    return False


def decode_key(text: Any, size: int, what: str) -> bytes:
    """A base64url key (padding optional) of exactly `size` bytes."""
    bad = InvalidInput(
        f"Đăng ký nhận thông báo không hợp lệ: khóa '{what}' không đúng.", "invalid_subscription"
    )
    if not isinstance(text, str) or not 0 < len(text) <= KEY_TEXT_MAX:
        raise bad
    if not re.fullmatch(r"[A-Za-z0-9_-]+=*", text):
        raise bad
    try:
        data = base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise bad from None
    if len(data) != size:
        raise bad
    return data


def parse_subscription(body: dict[str, Any], allowed: tuple[str, ...]) -> Subscription:
    """Check a `PushSubscription.toJSON()` body: the endpoint first (400
    push_endpoint_not_allowed), then the keys (400 invalid_subscription)."""
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= ENDPOINT_MAX:
        raise InvalidInput(
            "Đăng ký nhận thông báo không hợp lệ: thiếu địa chỉ (endpoint).",
            "invalid_subscription",
        )
    parts = urlsplit(endpoint)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or not re.fullmatch(r"[!-~]+", endpoint)  # printable ASCII: no space, no Unicode
        or "\\" in endpoint  # parsers disagree on a backslash before the host's end
        or not origin_allowed(origin_of(endpoint), allowed)
    ):
        raise InvalidInput(
            "Trình duyệt này dùng một dịch vụ thông báo mà trung tâm không gửi tới. "
            "Quý vị vẫn theo dõi được số thứ tự trên trang này.",
            "push_endpoint_not_allowed",
        )
    keys = body.get("keys")
    if not isinstance(keys, dict):
        raise InvalidInput(
            "Đăng ký nhận thông báo không hợp lệ: thiếu khóa (keys).", "invalid_subscription"
        )
    point = decode_key(keys.get("p256dh"), 65, "p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise InvalidInput(
            "Đăng ký nhận thông báo không hợp lệ: khóa 'p256dh' không phải điểm P-256.",
            "invalid_subscription",
        ) from None
    auth = decode_key(keys.get("auth"), 16, "auth")
    return Subscription(endpoint, b64url(point), b64url(auth))


def store_subscription(
    db: Database, ticket_id: str, day: str, subscription: Subscription, created_at: str
) -> int:
    """Add (or refresh: same ticket, same endpoint) a subscription inside the caller's
    transaction; beyond MAX_PER_TICKET the oldest of the ticket is deleted. Its id."""
    db.execute(
        """INSERT INTO push_subscriptions (ticket_id, day, endpoint, p256dh, auth, created_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (ticket_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh,
               auth = excluded.auth, created_at = excluded.created_at""",
        [ticket_id, day, subscription.endpoint, subscription.p256dh, subscription.auth, created_at],
    )
    db.execute(
        """DELETE FROM push_subscriptions WHERE ticket_id = ? AND id NOT IN (
               SELECT id FROM push_subscriptions WHERE ticket_id = ?
               ORDER BY created_at DESC, id DESC LIMIT ?)""",
        [ticket_id, ticket_id, MAX_PER_TICKET],
    )
    return db.execute(
        "SELECT id FROM push_subscriptions WHERE ticket_id = ? AND endpoint = ?",
        [ticket_id, subscription.endpoint],
    ).fetchone()[0]


def subscription_ids(db: Database, ticket_id: str) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM push_subscriptions WHERE ticket_id = ? ORDER BY id", [ticket_id]
        )
    ]
