"""The province's report files and letterhead (a hub account's session):
`GET /api/hub/province-report?period=…&format=xlsx|docx` (one row per center; the Department
of Home Affairs' report to sign) and `GET/PUT /api/hub/letterhead`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from server.errors import InvalidInput
from server.hub.letterhead import hub_letterhead_setup, load_hub_letterhead, update_hub_letterhead
from server.paperwork.province_document import write_province_report
from server.reporting.periods import parse_period
from server.reporting.province_spreadsheet import province_xlsx
from server.web.hub.api import conn, hub_login_required, services
from server.web.hub.pages import province_dashboard
from server.web.request import json_body

province_api = Blueprint("hub_province_api", __name__, url_prefix="/api/hub")
FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@province_api.get("/province-report")
@hub_login_required
def province_report() -> Any:
    args = request.args
    file_format = args.get("format", "")
    if file_format not in FILE_TYPES:
        raise InvalidInput("Định dạng không hỗ trợ (xlsx hoặc docx).", "invalid_format")
    period = parse_period(args.get("from"), args.get("to"), args.get("period"))
    now = services().clock.now()
    board = province_dashboard(period, now)
    if file_format == "xlsx":
        data = province_xlsx(board)
    else:
        letterhead, issuer = load_hub_letterhead(conn())
        data = write_province_report(board, letterhead, now.date(), issuer)
    name = f"bao-cao-tinh-{period.start}-{period.end}.{file_format}"
    return Response(
        data,
        mimetype=FILE_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@province_api.get("/letterhead")
@hub_login_required
def letterhead() -> Any:
    return jsonify(hub_letterhead_setup(conn()))


@province_api.put("/letterhead")
@hub_login_required
def change_letterhead() -> Any:
    return jsonify(update_hub_letterhead(conn(), json_body()))
