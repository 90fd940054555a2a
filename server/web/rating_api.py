"""The API of the counter's rating tablet (/rate/<id>): thin views over server/line/ratings.py.

Public, like the tablet: a request names a counter, never a ticket, and can only rate the
service that counter just finished (see server/line/ratings.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from server.line import ratings
from server.web.request import body_value, db, json_body, services

rating_api = Blueprint("rating_api", __name__, url_prefix="/api")


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
