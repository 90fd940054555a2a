"""The kiosks' calls for an officer: anyone at a kiosk asks, an officer answers.

Thin views over server/line/help_requests.py. A request is named after the kiosk that made
it: its registered name when it sends its device token (X-Kiosk-Token), else its client
address, so a name typed in the page address (X-Kiosk alone) cannot pose as another kiosk.
Asking is bounded per kiosk (HELP_RATE in web/request.py) on top of the one open request a kiosk
may have: a script on the guest Wi-Fi cannot flood the consoles.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from server.line import help_requests
from server.setup.kiosk_devices import kiosk_for_token
from server.web.request import current_user, db, error_response, login_required, services

help_api = Blueprint("help_api", __name__, url_prefix="/api/help-requests")


@help_api.post("")
def ask_for_help() -> Any:
    kiosk = kiosk_for_token(db(), request.headers.get("X-Kiosk-Token")) or (
        request.remote_addr or "?"
    )
    wait = services().help_limiter.retry_after(kiosk)
    if wait:
        response = error_response(
            429, "too_many_help_requests", "Yêu cầu hỗ trợ đã được gửi, vui lòng chờ cán bộ."
        )
        response[0].headers["Retry-After"] = str(wait)
        return response
    made, created = help_requests.request_help(db(), services().clock, kiosk)
    return jsonify(made), 201 if created else 200


@help_api.get("")
@login_required("officer")
def open_requests() -> Any:
    return jsonify(help_requests.open_help_requests(db(), services().clock))


@help_api.post("/<int:request_id>/answer")
@login_required("officer")
def answer(request_id: int) -> Any:
    answered = help_requests.answer_help(db(), services().clock, request_id, current_user().id)
    return jsonify(answered)
