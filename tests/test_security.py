"""The security pass, in-process: response headers, no markup the CSP would refuse, the
session cookie, and the cross-site guard on state changes. Failed logins:
test_security_login.py; escaping: test_security_escaping.py; Socket.IO and request size on a
real server: test_security_socket.py; Chromium: tests/browser/test_security_pages.py and
test_xss.py."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import TimestampSigner

from server import create_app
from server.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, logged_in
from tests.test_voice import wav_bytes

ROOT = Path(__file__).resolve().parent.parent
FOREIGN = "http://evil.example"
COPY = "chung-thuc-ban-sao"
TICKET = {"procedure_id": COPY, "documents_complete": True, "priority": None}


def count(db: Any, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# Headers


@pytest.mark.parametrize(
    "path",
    ["/", "/kiosk", "/display", "/counter", "/api/procedures", "/static/common/base.css",
     "/api/khong-co", "/khong-co", "/t/khong-co-phieu-nay"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_policy_allows_no_inline_script_or_style_and_no_other_site():
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in CONTENT_SECURITY_POLICY.split("; ")
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert all("*" not in sources and "http" not in str(sources) for sources in directives.values())


# Markup the policy would block


class InlineCode(HTMLParser):
    """Collects what a script-src/style-src 'self' policy refuses: inline <script> and
    <style>, style="…" and on…="…" attributes, javascript: addresses."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_no_page_has_inline_script_or_style(app, client, officer, admin, issue):
    ticket = issue()
    anonymous = ["/", "/kiosk", f"/t/{ticket['key']}", "/t/khong-co", "/display",
                 "/display/counter/1", "/display/counter/99", "/khong-hen", "/counter",
                 "/rate/1", "/rate/99", "/admin", "/admin/voice", "/reports"]  # fmt: skip
    pages = [(client, path) for path in anonymous]
    pages += [(officer, "/reports"), (officer, "/admin"), (officer, "/counter")]
    pages += [(admin, "/admin"), (admin, "/reports?period=2026-11"), (admin, "/reports?from=x")]
    for browser, path in pages:
        response = browser.get(path)
        assert response.mimetype == "text/html", path
        assert inline_code(response.get_data(as_text=True)) == [], path


def test_the_parser_finds_inline_code():
    html = '<p style="x"><a href="javascript:go()" onclick="go()">a</a><script>go()</script>'
    assert len(inline_code(html)) == 4


def test_scripts_build_the_page_from_text_not_markup():
    """Names typed by an admin reach the pages through these scripts: building DOM with
    textContent keeps them text; markup strings would make them code (and break the CSP)."""
    forbidden = re.compile(
        r"\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|"
        r"setAttribute\(\s*[\"']style|\.cssText\s*=|\beval\(|new Function\("
    )
    scripts = [
        path
        for package in ("admin", "counter", "display", "kiosk", "reports", "server")
        for path in (ROOT / package).rglob("*.js")
        if "vendor" not in path.parts
    ]
    assert len(scripts) > 20
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in scripts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offending == []


# The session cookie


def session_cookie(response: Any) -> str:
    [cookie] = [value for value in response.headers.getlist("Set-Cookie")]
    return cookie


def test_the_session_cookie_is_named_for_the_product_and_lasts_a_working_day(client):
    response = client.post("/api/session", json={"username": "canbo", "password": PASSWORD})
    cookie = session_cookie(response)
    assert cookie.startswith("motcua_session=")
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    assert "; Secure" not in cookie  # served over plain HTTP: a Secure cookie never comes back
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie)[1])
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=12))) < timedelta(minutes=1)
    assert "Set-Cookie" not in client.get("/api/session").headers  # not renewed by use


def test_over_https_the_session_cookie_is_secure(app_config):
    app = create_app({**app_config, "public_url": "https://motcua.laikhe.gov.vn"})
    response = app.test_client().post(
        "/api/session", json={"username": "canbo", "password": PASSWORD}
    )
    assert "; Secure" in session_cookie(response)


def test_a_request_that_came_over_https_gets_a_secure_cookie(app):
    browser = app.test_client()
    response = browser.post(
        "/api/session",
        json={"username": "canbo", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "; Secure" in session_cookie(response)


def test_behind_nginx_over_https_the_cookie_is_secure_and_a_forged_scheme_is_not_believed(
    app_config,
):
    login = {"username": "canbo", "password": PASSWORD}
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    https = {"X-Forwarded-For": "192.168.1.21", "X-Forwarded-Proto": "https"}
    behind = create_app({**app_config, "trusted_proxies": 1}).test_client()
    response = behind.post("/api/session", json=login, headers=https, environ_base=nginx)
    assert "; Secure" in session_cookie(response)
    direct = create_app(app_config).test_client()
    response = direct.post("/api/session", json=login, headers=https, environ_base=nginx)
    assert "; Secure" not in session_cookie(response)  # nobody vouches for that header


def test_a_session_ends_twelve_hours_after_login(app, monkeypatch):
    officer = logged_in(app, "canbo")
    signed_at = int(time.time())

    def hours_later(hours: float) -> None:
        later = signed_at + int(hours * 3600)
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)

    hours_later(11.5)
    assert officer.get("/api/session").status_code == 200
    hours_later(12.1)
    assert officer.get("/api/session").status_code == 401
    assert officer.post("/api/counters/1/next").status_code == 401


# Cross-site requests


def refused_as_cross_site(response: Any) -> bool:
    return response.status_code == 403 and response.json["error"]["code"] == "cross_site_request"


CROSS_SITE = [
    {"Origin": FOREIGN},
    {"Origin": "null"},  # a sandboxed frame or a file:// page
    {"Origin": "http://localhost.evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_login_from_another_site_is_refused(client, headers):
    body = {"username": "canbo", "password": PASSWORD}
    response = client.post("/api/session", json=body, headers=headers)
    assert refused_as_cross_site(response)
    assert "trang web khác" in response.json["error"]["message"]
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/session").status_code == 401


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_ticket_from_another_site_is_refused(client, db, headers):
    assert refused_as_cross_site(client.post("/api/tickets", json=TICKET, headers=headers))
    assert count(db, "tickets") == 0
    assert count(db, "ticket_events") == 0


def test_an_admin_change_from_another_site_is_refused(admin, db):
    """The admin's own cookie rides along (a browser would send it to a same-site page on
    another port): the Origin still gives it away."""
    before = db.execute("SELECT short_name FROM procedures WHERE id = 'khai-sinh'").fetchone()
    entries = count(db, "audit_log")  # the test accounts' own
    path = "/api/admin/procedures/khai-sinh"
    response = admin.put(path, json={"short_name": "Bị đổi tên"}, headers={"Origin": FOREIGN})
    assert refused_as_cross_site(response)
    assert admin.delete("/api/voice/clips/digit_1", headers={"Origin": FOREIGN}).status_code == 403
    after = db.execute("SELECT short_name FROM procedures WHERE id = 'khai-sinh'").fetchone()
    assert after == before
    assert count(db, "audit_log") == entries


def test_an_officer_action_from_another_site_is_refused(officer, db, issue):
    issue()
    response = officer.post("/api/counters/1/next", headers={"Origin": FOREIGN})
    assert refused_as_cross_site(response)
    assert db.execute("SELECT status FROM tickets").fetchone()[0] == "waiting"


def test_the_same_site_may_change_things(client, admin, db):
    same = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    login = client.post(
        "/api/session", json={"username": "canbo", "password": PASSWORD}, headers=same
    )
    assert login.status_code == 200
    assert client.post("/api/tickets", json=TICKET, headers=same).status_code == 201
    path = "/api/admin/procedures/khai-sinh"
    assert admin.put(path, json={"short_name": "Khai sinh"}, headers=same).status_code == 200
    assert count(db, "tickets") == 1


def test_the_public_address_counts_as_the_same_site(app_config, db):
    """Behind a proxy the server may see another Host than the browser's address bar."""
    app = create_app({**app_config, "public_url": "https://motcua.laikhe.gov.vn/"})
    headers = {"Origin": "https://motcua.laikhe.gov.vn"}
    response = app.test_client().post("/api/tickets", json=TICKET, headers=headers)
    assert response.status_code == 201
    assert count(db, "tickets") == 1


def test_reading_is_not_refused_for_another_origin(client):
    """Reads change nothing, and without CORS headers the other site cannot read the answer."""
    response = client.get("/api/procedures", headers={"Origin": FOREIGN})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"],
)
def test_a_body_an_html_form_could_send_is_refused(officer, db, issue, content_type):
    """A cross-site form needs no preflight; without an Origin check it could call next."""
    issue()
    response = officer.post("/api/counters/1/next", data="a=1", content_type=content_type)
    assert response.status_code == 400
    assert response.json["error"] == {
        "code": "invalid_body",
        "message": "Dữ liệu phải là JSON (Content-Type: application/json).",
    }
    assert db.execute("SELECT status FROM tickets").fetchone()[0] == "waiting"


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_request_without_a_body_still_works(officer, issue, content_type):
    """The console's call-next is a POST without a body; eventlet reports its missing
    Content-Type as text/plain."""
    issue()
    assert officer.post("/api/counters/1/next", content_type=content_type).status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_an_empty_form_post_is_refused(officer, db, issue, content_type):
    issue()
    response = officer.post("/api/counters/1/next", content_type=content_type)
    assert response.status_code == 400
    assert db.execute("SELECT status FROM tickets").fetchone()[0] == "waiting"


def test_a_recorded_clip_is_uploaded_as_audio_but_not_from_another_site(admin, db):
    path, audio = "/api/voice/clips/digit_7", wav_bytes()
    foreign = admin.put(path, data=audio, content_type="audio/wav", headers={"Origin": FOREIGN})
    assert refused_as_cross_site(foreign)
    assert count(db, "voice_clips") == 0
    same = {"Origin": "http://localhost"}
    assert admin.put(path, data=audio, content_type="audio/wav", headers=same).status_code == 200
    assert count(db, "voice_clips") == 1
