"""docs/api.md keeps up with the contract and with what the app actually serves.

The contract's lists are literals here on purpose: changing one is a contract change.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from flask import Flask

from server.web.hub.api import hub_api
from server.web.hub.pages import blueprint as hub_pages
from server.web.hub.province_api import province_api

ROOT = Path(__file__).resolve().parent.parent
API_DOC = ROOT / "docs" / "api.md"

CONTRACT_ENDPOINTS = (
    "GET /api/procedures",
    "GET /api/counters",
    "POST /api/tickets",
    "GET /api/tickets/KEY",
    "POST /api/session",
    "DELETE /api/session",
    "POST /api/counters/ID/next",
    "POST /api/tickets/ID/recall",
    "POST /api/tickets/ID/no-show",
    "POST /api/tickets/ID/transfer",
    "POST /api/tickets/ID/finish",
    "POST /api/tickets/KEY/rating",
    "GET /api/stats/today",
    "POST /api/dossiers/CODE/return",
    "GET /api/reports/summary",
)
CONTRACT_SETTINGS = (
    "MOTCUA_DB",
    "MOTCUA_TZ",
    "MOTCUA_NO_APPOINTMENT_DAYS",
    "MOTCUA_NO_APPOINTMENT_UNTIL",
    "MOTCUA_PRINTER",
    "MOTCUA_CATALOG",
    "MOTCUA_SECRET_KEY",
    "MOTCUA_TICKET_RATE",
    "MOTCUA_MESSAGE_QUEUE",
)
CONTRACT_EVENTS = ("ticket_issued", "ticket_called", "ticket_updated", "stats")
CONTRACT_COMMANDS = ("motcua serve", "motcua migrate", "motcua demo", "motcua user add")
# Behaviour a client relies on that has no heading of its own.
CONTRACT_TERMS = (
    "Idempotency-Key",
    "idempotency_key_reused",
    "Retry-After",
    "too_many_tickets",
    "ticket_expired",
    "counter_busy",
    "unknown_channel",
    "connect_error",
    "since",
    "seq",
    "format=csv",
    "format=xlsx",
)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NOT_SERVED = "not served yet"


@pytest.fixture(scope="module")
def api_doc() -> str:
    return API_DOC.read_text(encoding="utf-8")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in prose_lines(text) if line.startswith("#")]


def endpoint_headings(text: str) -> dict[str, str]:
    """'POST /api/tickets' → its whole heading, for every heading that names an endpoint."""
    found = {}
    for heading in headings(text):
        words = heading.split()
        if len(words) >= 2 and words[0] in HTTP_METHODS:
            found[f"{words[0]} {words[1]}"] = heading
    return found


def section(text: str, title: str) -> str:
    """The text under the heading `title`, up to the next heading of any level."""
    lines = prose_lines(text)
    start = next(i for i, line in enumerate(lines) if line.lstrip("#").strip() == title)
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        body.append(line)
    return "\n".join(body)


def table_names(text: str) -> set[str]:
    """Every `name` in the first cell of a Markdown table's rows."""
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("|"):
            names.update(re.findall(r"`([A-Za-z_]+)`", line.split("|")[1]))
    return names


def setting_names(text: str) -> set[str]:
    """The variables in the first column of the settings table, with or without backticks."""
    names = table_names(text)
    for line in text.splitlines():
        if line.startswith("|"):
            names.add(line.split("|")[1].strip().strip("`"))
    return names


def served_endpoints(app) -> set[str]:
    """'POST /api/counters/ID/next' for every method and /api rule the app routes."""
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(
            r"<(?:[^<>:]+:)?([^<>]+)>",
            lambda match: {"code": "CODE", "ticket_key": "KEY"}.get(match[1], "ID"),
            rule.rule,
        )
        served.update(f"{method} {path}" for method in rule.methods - {"HEAD", "OPTIONS"})
    return served


@pytest.fixture(scope="module")
def hub_app() -> Flask:
    """The hub's routes (server/web/hub/), without its PostgreSQL: only its URL map is read."""
    app = Flask("hub-routes")
    app.register_blueprint(hub_api)
    app.register_blueprint(province_api)
    app.register_blueprint(hub_pages)
    return app


@pytest.mark.parametrize("endpoint", CONTRACT_ENDPOINTS)
def test_every_contract_endpoint_has_a_section(api_doc, endpoint):
    assert endpoint in endpoint_headings(api_doc), f"docs/api.md: no heading '### {endpoint}'"


@pytest.mark.parametrize("variable", CONTRACT_SETTINGS)
def test_every_contract_setting_is_in_the_settings_table(api_doc, variable):
    assert variable in setting_names(section(api_doc, "Settings"))


def test_every_setting_the_code_reads_is_documented(api_doc):
    read = set(re.findall(r'"(MOTCUA_[A-Z_]+)"', (ROOT / "server" / "settings.py").read_text()))
    assert {"MOTCUA_PRIORITY_IN_ROW", "MOTCUA_ASYNC_MODE"} <= read
    documented = setting_names(section(api_doc, "Settings"))
    assert read - documented == set(), "settings read by server/settings.py but not documented"


@pytest.mark.parametrize("event", CONTRACT_EVENTS)
def test_every_live_event_has_a_section(api_doc, event):
    assert event in headings(api_doc)


@pytest.mark.parametrize("command", CONTRACT_COMMANDS)
def test_every_command_has_a_section(api_doc, command):
    assert command in headings(api_doc)


@pytest.mark.parametrize("term", CONTRACT_TERMS)
def test_contract_behaviour_is_described(api_doc, term):
    assert term in api_doc


def test_every_route_the_app_serves_is_documented(app, hub_app, api_doc):
    served = served_endpoints(app) | served_endpoints(hub_app)
    missing = served - set(endpoint_headings(api_doc))
    assert not missing, f"served under /api but not in docs/api.md: {sorted(missing)}"


def test_every_documented_endpoint_is_served_or_marked_so(app, hub_app, api_doc):
    served = served_endpoints(app) | served_endpoints(hub_app)
    for endpoint, heading in endpoint_headings(api_doc).items():
        if endpoint in served:
            assert NOT_SERVED not in heading, f"{endpoint} is served now: update docs/api.md"
        else:
            assert NOT_SERVED in heading, f"{endpoint} is documented but the app does not serve it"


def test_every_ticket_field_is_documented(api_doc, issue):
    ticket = issue()
    assert set(ticket) - table_names(section(api_doc, "Ticket")) == set()


def test_every_procedure_field_is_documented(api_doc, client):
    procedure = client.get("/api/procedures").json[0]
    assert set(procedure) - table_names(section(api_doc, "Procedure")) == set()


def test_every_stats_field_is_documented(api_doc, client):
    stats = client.get("/api/stats/today").json
    assert set(stats) - table_names(section(api_doc, "Stats")) == set()


def test_every_report_figure_is_documented(api_doc, admin):
    report = admin.get("/api/reports/summary?from=2026-11-01&to=2026-11-30").json
    assert {"from", "to", "totals", "procedures", "counters", "officers"} <= set(report)
    assert set(report["totals"]) - table_names(section(api_doc, "Report")) == set()


def test_the_json_examples_are_json(api_doc):
    blocks = re.findall(r"^```json\n(.*?)^```$", api_doc, flags=re.S | re.M)
    assert len(blocks) > 20
    for block in blocks:
        json.loads(block)


def test_the_page_is_nfc(api_doc):
    assert unicodedata.normalize("NFC", api_doc) == api_doc
