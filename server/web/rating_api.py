"""The API of the counter's rating tablet (/rate/<id>): thin views over server/line/ratings.py.

Only a registered device (`motcua kiosk add NAME`: its token in X-Kiosk-Token, as a kiosk
sends it) may read or rate: anyone else on the lobby's Wi-Fi could rate the service a counter
just gave, and ratings weigh in the officers' ranking. A request names a counter, never a
ticket, and can only rate the service that counter just finished.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from server.errors import NotAllowed
from server.line import ratings
from server.setup.kiosk_devices import kiosk_for_token
from server.web.request import body_value, db, json_body, services

rating_api = Blueprint("rating_api", __name__, url_prefix="/api")


@rating_api.before_request
def registered_devices_only() -> None:
    if kiosk_for_token(db(), request.headers.get("X-Kiosk-Token")) is None:
        raise NotAllowed(
            "Thiết bị này chưa được đăng ký để nhận đánh giá: mở trang bằng địa chỉ có mã "
            "thiết bị mà lệnh `motcua kiosk add` in ra.",
            "device_not_registered",
        )


@rating_api.get("/counters/<int:counter_id>/last-served")
def last_served(counter_id: int) -> Any:
    served = ratings.last_served(db(), services().clock, counter_id)
    if served is None:
        return "", 204
    return jsonify(served.to_dict())


@rating_api.post("/counters/<int:counter_id>/rating")
def rate(counter_id: int) -> Any:
    value = body_value(json_body(), "rating", str)
    s = services()
    rated = ratings.rate_last_served(db(), s.clock, s.settings, counter_id, value)
    return jsonify(rated.to_dict())
