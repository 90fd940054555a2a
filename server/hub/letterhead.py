"""The letterhead of the province's papers: the consolidated report is issued by the
province's Department of Home Affairs (Sở Nội vụ), not by a center.

The same fields as a center's letterhead (server/paperwork/letterhead.py, checked by the same
rules), plus `issuer_name`, the department as the report's sentences name it ("Sở Nội vụ";
the header has it in capitals). Each value is a row of `hub_settings` in PostgreSQL, so every
hub process reads the same; a value never saved has the department's default.
`GET/PUT /api/hub/letterhead` reads and changes them.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection

from server.paperwork.letterhead import (
    DEFAULT_LEGAL,
    LONGEST_LINE,
    RULES,
    Letterhead,
    as_letterhead,
    saved_over,
    stored_values,
)
from server.setup.admin.input import Rule, check_body, refuse

ISSUER_KEY = "paper_issuer_name"
HUB_RULES = RULES | {"issuer_name": Rule("Tên cơ quan trong lời văn", str)}
PROVINCE_DEFAULTS: dict[str, Any] = {
    "governing_body": "ỦY BAN NHÂN DÂN TỈNH",
    "issuing_body": "SỞ NỘI VỤ",
    "place": "",
    "symbol": "SNV",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "",
    "report_recipients": ["Ủy ban nhân dân tỉnh"],
    "report_copies": ["Như trên;", "Các trung tâm phục vụ hành chính công;", "Lưu: VT."],
}
DEFAULT_ISSUER = "Sở Nội vụ"


def saved_rows(conn: Connection) -> dict[str, str]:
    rows = conn.execute("SELECT key, value FROM hub_settings WHERE key LIKE 'paper\\_%'")
    return dict(rows.fetchall())


def hub_letterhead_setup(conn: Connection) -> dict[str, Any]:
    """The letterhead as in force now (JSON), `issuer_name` included."""
    saved = saved_rows(conn)
    defaults = {**PROVINCE_DEFAULTS, "legal_references": dict(DEFAULT_LEGAL)}
    values = saved_over(defaults, saved)
    values["issuer_name"] = saved.get(ISSUER_KEY, DEFAULT_ISSUER)
    return values


def load_hub_letterhead(conn: Connection) -> tuple[Letterhead, str]:
    """The letterhead of the province's papers and the department's name in sentences."""
    values = hub_letterhead_setup(conn)
    issuer = values.pop("issuer_name")
    return as_letterhead(values), issuer


def update_hub_letterhead(conn: Connection, body: Any) -> dict[str, Any]:
    """Save what was sent (a blank or null value goes back to its default) in one
    transaction; returns the letterhead as now in force."""
    values = check_body(body, HUB_RULES, creating=False)
    issuer = values.pop("issuer_name") if "issuer_name" in values else False
    rows = stored_values(values)
    if issuer is not False:
        if issuer is not None and len(issuer) > LONGEST_LINE:
            raise refuse("issuer_name", f"Tên cơ quan: tối đa {LONGEST_LINE} ký tự.")
        rows[ISSUER_KEY] = issuer
    with conn.transaction():
        for key, value in rows.items():
            if value is None:
                conn.execute("DELETE FROM hub_settings WHERE key = %s", [key])
            else:
                conn.execute(
                    "INSERT INTO hub_settings (key, value) VALUES (%s, %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )
    return hub_letterhead_setup(conn)
