"""Behind nginx (MOTCUA_TRUSTED_PROXIES=1) the rate limit counts each client's own address;
without a proxy, a forged X-Forwarded-For changes nothing."""

from __future__ import annotations

import pytest

BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True}
NGINX = {"REMOTE_ADDR": "127.0.0.1"}


def take(client, forwarded_for: str) -> int:
    response = client.post(
        "/api/tickets", json=BODY, headers={"X-Forwarded-For": forwarded_for}, environ_base=NGINX
    )
    return response.status_code


class TestBehindNginx:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "ticket_rate": 2, "trusted_proxies": 1}

    def test_each_client_behind_the_proxy_has_its_own_limit(self, client):
        assert [take(client, "192.168.1.21") for _ in range(3)] == [201, 201, 429]
        assert [take(client, "192.168.1.22") for _ in range(2)] == [201, 201]


class TestWithoutProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "ticket_rate": 2}

    def test_a_forged_forwarded_address_does_not_escape_the_limit(self, client):
        statuses = [take(client, f"10.9.9.{n}") for n in range(3)]
        assert statuses == [201, 201, 429]
