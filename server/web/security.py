"""What the browser is told and what it may send: security headers on every response,
session cookie settings, a cross-site request guard on every state change, and the failed
login throttle.

The pages load only their own files (no inline script or style, no other site), so the
Content-Security-Policy can say 'self' everywhere: a name that slipped past escaping still
could not run script. Every state change is a JSON fetch from the center's own pages, so a
POST from another site, or a body a plain HTML form could send, has no business here.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

from server.settings import Settings
from server.web.rate_limit import LoginThrottle
from server.web.request import error_response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",  # the favicon; QR codes and charts are inline SVG elements
        "font-src 'self'",
        "media-src 'self' blob:",  # /admin/voice plays a take before uploading it
        "connect-src 'self'",  # fetch, and Socket.IO's websocket to the same host
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",  # the report page's period choosers (GET forms)
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # /t/<id> carries the ticket's key: a link followed from a page must not send it on.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
SESSION_HOURS = 12  # one working day: a console left logged in is logged out by morning
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Endpoints that read a body of their own type and check it themselves.
OWN_BODY_TYPES = frozenset({"voice_api.put_clip"})  # audio bytes of a recorded clip
# What an HTML form sends, even empty. (Not text/plain: eventlet reports a request that
# has no Content-Type, such as a fetch without a body, as text/plain.)
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
CROSS_SITE_MESSAGE = (
    "Yêu cầu bị từ chối vì được gửi từ một trang web khác. "
    "Vui lòng thao tác trực tiếp trên trang của trung tâm."
)
NOT_JSON_MESSAGE = "Dữ liệu phải là JSON (Content-Type: application/json)."


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, also Secure whenever the request itself came over HTTPS:
    behind nginx that is X-Forwarded-Proto, believed with MOTCUA_TRUSTED_PROXIES (ProxyFix,
    server/web/app.py), so an installer who sets up HTTPS need not also remember to write
    https:// into MOTCUA_PUBLIC_URL for the cookie to stay off the wire in clear."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_security(app: Flask, settings: Settings) -> None:
    """Session cookie settings, the guard before every request, the headers after."""
    app.session_interface = SessionCookie()
    app.config.update(
        SESSION_COOKIE_NAME="motcua_session",
        SESSION_COOKIE_HTTPONLY=True,  # no script reads it, so no injected script can
        SESSION_COOKIE_SAMESITE="Lax",  # not sent with another site's POST
        # Over plain HTTP (a LAN without TLS) a Secure cookie would never come back: Secure
        # when the public address is https://, and on any request that came over HTTPS.
        SESSION_COOKIE_SECURE=(settings.public_url or "").startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # Counted from the login, not from the last click: a shift ends, the session ends.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.extensions["motcua_login_throttle"] = LoginThrottle()
    allowed = {origin_of(settings.public_url)} if settings.public_url else set()
    app.before_request(lambda: refuse_cross_site(allowed))
    app.after_request(add_security_headers)


def login_throttle() -> LoginThrottle:
    """This process's count of failed logins (POST /api/session, and the current password
    typed to change it: POST /api/session/password)."""
    return current_app.extensions["motcua_login_throttle"]


def too_many_logins(seconds: int) -> Any:
    """429 with Retry-After, the wait said in seconds under a minute, else in whole minutes."""
    wait = f"{seconds} giây" if seconds < 60 else f"{math.ceil(seconds / 60)} phút"
    response, status = error_response(
        429, "too_many_logins", f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait}."
    )
    response.headers["Retry-After"] = str(seconds)
    return response, status


def add_security_headers(response: Response) -> Response:
    """The headers above, except where a view set its own; a page that lets other sites
    frame it (its own frame-ancestors) gets no X-Frame-Options: DENY, which would override
    that for older browsers."""
    framable = "frame-ancestors 'none'" not in response.headers.get(
        "Content-Security-Policy", CONTENT_SECURITY_POLICY
    )
    for name, value in SECURITY_HEADERS.items():
        if not (framable and name == "X-Frame-Options"):
            response.headers.setdefault(name, value)
    return response


def origin_of(url: str) -> str:
    """'https://Center.example:443/path' → 'https://center.example:443'."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def refuse_cross_site(allowed_origins: set[str]) -> Any:
    """403 for a state change sent from another site; 400 for one whose body a plain HTML
    form could have sent (such a request needs no CORS preflight, a JSON one does)."""
    if request.method not in UNSAFE_METHODS:
        return None
    if is_cross_site(allowed_origins):
        return error_response(403, "cross_site_request", CROSS_SITE_MESSAGE)
    if request.url_rule is None or request.endpoint in OWN_BODY_TYPES:
        return None  # 404 and 405 answer for themselves
    if request.mimetype in FORM_TYPES or (has_body() and not request.is_json):
        return error_response(400, "invalid_body", NOT_JSON_MESSAGE)
    return None


def is_cross_site(allowed_origins: set[str]) -> bool:
    """Browsers send Origin with every POST, PUT, PATCH and DELETE; a program without one
    (curl, a script, the test client) is judged by its session and role alone."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin.lower() in allowed_origins:
        return False
    return urlsplit(origin).netloc.lower() != request.host.lower()  # "null" has no host


def has_body() -> bool:
    return (
        bool(request.content_length)
        or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )
