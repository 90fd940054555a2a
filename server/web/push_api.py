"""Web Push's two endpoints: the center's public VAPID key, and a browser subscribing to a
ticket by its key (server/line/push_notices.py). Sending is the push worker's
(server/push/worker.py), never a request's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from server.line import push_notices
from server.push.keys import VapidKey
from server.push.subscriptions import parse_subscription
from server.web.request import db, error_response, json_body, services

push_api = Blueprint("push_api", __name__, url_prefix="/api")
SUBSCRIPTION_BYTES = 4096  # a browser's subscription is about 400 bytes


def vapid_key() -> VapidKey:
    return current_app.extensions["motcua_vapid"]


@push_api.get("/push/key")
def public_key() -> Any:
    """The applicationServerKey a page passes to pushManager.subscribe()."""
    return jsonify({"public_key": vapid_key().public_key})


@push_api.post("/tickets/<ticket_key>/push")
def subscribe(ticket_key: str) -> Any:
    """The citizen's browser subscribes to the ticket (by its key; an id is 404)."""
    if (request.content_length or 0) > SUBSCRIPTION_BYTES:
        return error_response(
            413, "payload_too_large", "Dữ liệu đăng ký nhận thông báo quá lớn (tối đa 4 KB)."
        )
    s = services()
    subscription = parse_subscription(json_body(), s.settings.push_services)
    answer = push_notices.subscribe(db(), s.clock, s.settings, ticket_key, subscription)
    return jsonify(answer), 201
