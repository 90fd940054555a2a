"""Failed logins are throttled: per username, per client address, for 15 minutes, in the
memory of the process (server/web/rate_limit.py's LoginThrottle, on a clock the tests move)."""

from __future__ import annotations

from typing import Any

import pytest

from server.web.rate_limit import LoginThrottle, RateLimiter
from tests.conftest import PASSWORD


class Moment:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def moment(app) -> Moment:
    clock = Moment()
    app.extensions["motcua_login_throttle"] = LoginThrottle(now=clock)
    return clock


def log_in(client: Any, username: str, password: str, address: str = "127.0.0.1") -> Any:
    body = {"username": username, "password": password}
    return client.post("/api/session", json=body, environ_base={"REMOTE_ADDR": address})


def test_five_wrong_passwords_lock_the_username_for_fifteen_minutes(client, moment):
    for attempt in range(5):
        assert log_in(client, "canbo", f"sai-{attempt}").status_code == 401
        moment.seconds += 60
    refused = log_in(client, "canbo", PASSWORD)  # the right one, 5 minutes after the first
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(10 * 60)
    assert refused.json["error"] == {
        "code": "too_many_logins",
        "message": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.",
    }
    assert "Set-Cookie" not in refused.headers
    assert client.get("/api/session").status_code == 401
    assert log_in(client, "canbo2", PASSWORD).status_code == 200  # another officer is not
    assert log_in(client, "CanBo", PASSWORD).status_code == 429  # nor another spelling

    moment.seconds += 10 * 60 - 1
    assert log_in(client, "canbo", PASSWORD).status_code == 429
    moment.seconds += 1  # the first failure is now 15 minutes old
    assert log_in(client, "canbo", PASSWORD).status_code == 200


def test_a_success_forgets_the_usernames_failures(client, moment):
    for attempt in range(4):
        assert log_in(client, "canbo", f"sai-{attempt}").status_code == 401
    assert log_in(client, "canbo", PASSWORD).status_code == 200
    for attempt in range(4):
        assert log_in(client, "canbo", f"sai-lai-{attempt}").status_code == 401
    assert log_in(client, "canbo", PASSWORD).status_code == 200


def test_twenty_failures_from_one_address_lock_it(client, moment):
    for attempt in range(20):
        assert log_in(client, f"doan-{attempt}", "sai-mat-khau", "10.0.0.66").status_code == 401
    refused = log_in(client, "canbo", PASSWORD, "10.0.0.66")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(15 * 60)
    assert "15 phút" in refused.json["error"]["message"]
    assert log_in(client, "canbo", PASSWORD, "10.0.0.7").status_code == 200


def test_a_refused_login_is_not_counted_as_a_failure(client, moment):
    for attempt in range(5):
        log_in(client, "canbo", f"sai-{attempt}")
    for _ in range(30):
        assert log_in(client, "canbo", "sai-nua").status_code == 429
    moment.seconds += 15 * 60
    assert log_in(client, "canbo", PASSWORD).status_code == 200


def test_the_rate_limiter_waits_without_counting():
    now = Moment()
    limiter = RateLimiter(2, now, window_seconds=100)
    assert limiter.wait("a") == 0
    limiter.hit("a")
    now.seconds += 10
    limiter.hit("a")
    assert limiter.wait("a") == 90
    assert limiter.wait("a") == 90  # asking does not count
    assert limiter.retry_after("a") == 90
    limiter.forget("a")
    assert limiter.wait("a") == 0
    assert limiter.retry_after("a") == 0
    assert RateLimiter(0, now).retry_after("a") == 0
