"""GET /api/openapi.json: the document names exactly the routes the app serves, is valid
OpenAPI 3.1, and holds for the app (schemathesis, against it in-process over WSGI).

The schemathesis run takes each operation with the session its `x-role` needs: none for
anyone, an officer's, an admin's. Checks: never a 5xx, every status and content type
documented, every body matching its schema, and a request the document calls invalid refused.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from server.setup.kiosk_devices import register_kiosk
from server.storage.db import connection
from server.web.openapi import openapi_document
from tests.conftest import logged_in
from tests.test_access import ADMIN, DEVICE, OFFICER, PUBLIC

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
ROLE_USERS = {"officer": "canbo", "admin": "quantri"}
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261126,  # the same cases every run (no randomness without a seed)
        "suppress-health-check": ["too_slow", "filter_too_much"],
        "generation": {
            "max-examples": 12,
            "database": "none",  # write nothing into the work tree
            "with-security-parameters": False,  # the test sends the real session cookie
        },
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "response_headers_conformance": {"enabled": True},
            "negative_data_rejection": {"enabled": True},
        },
    }
)
AUDIO_TYPES = ["audio/webm", "audio/ogg", "audio/wav", "audio/mpeg"]
schemathesis.serializer.alias(AUDIO_TYPES, "application/octet-stream")  # clips: raw bytes
SCHEMA = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


def documented_operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """('POST', '/api/tickets/{ticket_id}/finish') → the operation, for every one listed."""
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def served_operations(app: Flask) -> dict[tuple[str, str], dict[str, str]]:
    """The same key for every /api rule and method (`<int:id>` → `{id}`), with the JSON type
    of each path argument: integer for `<int:…>`, string for the rest."""
    served = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
        arguments = {
            name: "integer" if converter == "int" else "string"
            for converter, name in re.findall(r"<(?:([^<>:]+):)?([^<>]+)>", rule.rule)
        }
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served[(method, path)] = arguments
    return served


def path_parameters(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The path parameters of one operation (its own and its path's), $refs resolved."""
    item = document["paths"][path]
    parameters = [*item.get("parameters", []), *item[method.lower()].get("parameters", [])]
    resolved = {}
    for parameter in parameters:
        while "$ref" in parameter:
            parameter = resolve(document, parameter["$ref"])
        if parameter["in"] == "path":
            schema = parameter["schema"]
            while "$ref" in schema:
                schema = resolve(document, schema["$ref"])
            resolved[parameter["name"]] = schema
    return resolved


def resolve(document: dict[str, Any], reference: str) -> dict[str, Any]:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_document_lists_exactly_the_routes_served(app):
    documented = set(documented_operations(openapi_document()))
    served = set(served_operations(app))
    assert served - documented == set(), "served under /api but missing from the document"
    assert documented - served == set(), "in the document but not served"


def test_path_parameters_are_named_and_typed_as_the_routes(app):
    document = openapi_document()
    for (method, path), arguments in served_operations(app).items():
        parameters = path_parameters(document, path, method)
        assert set(parameters) == set(arguments), (method, path)
        for name, kind in arguments.items():
            assert parameters[name]["type"] == kind, (method, path, name)


def test_the_document_is_valid_openapi_3_1():
    document = openapi_document()
    assert document["openapi"].startswith("3.1.")
    validate(document)  # raises with the reason when it is not


def test_it_is_served_to_anyone_with_the_apps_cookie_name(app, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    cookie = app.config["SESSION_COOKIE_NAME"]
    assert response.json == openapi_document(session_cookie=cookie)
    assert response.json["components"]["securitySchemes"]["session"]["name"] == cookie


def test_roles_match_who_may_call_what(app):
    """x-role and security agree with tests/test_access.py's classification of every route."""
    classes = {"anyone": PUBLIC, "device": DEVICE, "officer": OFFICER, "admin": ADMIN}
    for (method, path), operation in documented_operations(openapi_document()).items():
        key = (method, re.sub(r"\{[^}]+\}", "ID", path))
        role = operation["x-role"]
        assert key in classes[role], f"{method} {path}: x-role {role}"
        if role == "anyone":
            assert {} in operation["security"] or operation["security"] == []
        elif role == "device":
            assert operation["security"] == [{"device": []}], (method, path)
            assert "403" in operation["responses"], (method, path)
        else:
            assert operation["security"] == [{"session": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_every_error_answer_is_the_error_object():
    document = openapi_document()
    for (method, path), operation in documented_operations(document).items():
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            while "$ref" in response:
                response = resolve(document, response["$ref"])
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_every_write_documents_the_refusal_of_another_sites_page(app, client):
    """Each POST, PUT and DELETE, sent by another site's page, is 403 cross_site_request,
    and the document says it can be."""
    document = openapi_document()
    for (method, path), operation in documented_operations(document).items():
        if method not in {"POST", "PUT", "DELETE"}:
            continue
        url = re.sub(r"\{[^{}]+\}", "1", path)
        response = client.open(
            url, method=method, json={}, headers={"Origin": "https://example.org"}
        )
        assert response.status_code == 403, (method, path)
        assert response.json["error"]["code"] == "cross_site_request"
        assert "403" in operation["responses"], (method, path)


@pytest.fixture
def role_cookies(app: Flask) -> dict[str, dict[str, str]]:
    """The session cookie each x-role sends (anyone sends none)."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookies: dict[str, dict[str, str]] = {"anyone": {}}
    for role, username in ROLE_USERS.items():
        cookies[role] = {name: logged_in(app, username).get_cookie(name).value}
    return cookies


@SCHEMA.parametrize()
@settings(
    deadline=None,
    # One app per operation on purpose: its examples share the database, as clients do.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_app_keeps_its_document(case, app, role_cookies):
    role = case.operation.definition.raw["x-role"]
    headers = {}
    if role == "device":  # a registered rating tablet
        settings, clock = app.extensions["motcua"].settings, app.extensions["motcua"].clock
        with connection(settings.database) as db:
            headers["X-Kiosk-Token"] = register_kiosk(db, clock, "may-tinh-bang")
    case.call_and_validate(app=app, cookies=role_cookies.get(role, {}), headers=headers)
