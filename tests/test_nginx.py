"""The nginx configuration of docs/deploy.md, as written there, in front of two server
processes joined by Redis: pages, the API, Socket.IO's WebSocket upgrade, and the rate limit
of each client address (which nginx, not the client, tells the server)."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio

from tests.live_events import Listener
from tests.live_server import LiveServer, free_port, stop_process, wait_until_answers

ROOT = Path(__file__).resolve().parent.parent
BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True, "priority": None}


def deploy_nginx_block() -> str:
    """The one ```nginx block of docs/deploy.md."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1, "docs/deploy.md should hold exactly one nginx configuration"
    return blocks[0]


def nginx_conf(folder: Path, block: str, port: int, backends: list[int]) -> Path:
    """The documented block inside a minimal nginx.conf of our own, on our ports."""
    block = block.replace("listen 8000;", f"listen 127.0.0.1:{port};")
    block = block.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{backends[0]};")
    block = block.replace("server 127.0.0.1:8002;", f"server 127.0.0.1:{backends[1]};")
    temp = folder / "nginx-temp"
    temp.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/nginx-error.log;
        events {{ worker_connections 256; }}
        http {{
            access_log off;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
            {block}
        }}
        """
    )
    return conf


@pytest.fixture
def behind_nginx(tmp_path: Path, redis_url: str) -> Iterator[tuple[str, LiveServer, LiveServer]]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: apt-get install nginx (.ci/run does)"
    settings = {"MOTCUA_MESSAGE_QUEUE": redis_url, "MOTCUA_TRUSTED_PROXIES": "1"}
    first = LiveServer(tmp_path, MOTCUA_TICKET_RATE="2", **settings)
    second = LiveServer(tmp_path, add_users=False, MOTCUA_TICKET_RATE="2", **settings)
    first.start()
    second.start()
    port = free_port()
    conf = nginx_conf(tmp_path, deploy_nginx_block(), port, [first.port, second.port])
    checked = subprocess.run([binary, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{url}/api/counters", nginx, tmp_path / "nginx-error.log", 10)
        yield url, first, second
    finally:
        stop_process(nginx)
        first.stop()
        second.stop()


def take_ticket(nginx_url: str, source: str, forwarded_for: str | None = None) -> int:
    """POST /api/tickets to nginx from one loopback address (one client of the center)."""
    host, port = nginx_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(source, 0))
    headers = {"Content-Type": "application/json", "Origin": nginx_url}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    connection.request("POST", "/api/tickets", body=json.dumps(BODY), headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_pages_api_and_live_events_pass_through_nginx(behind_nginx):
    url, _, second = behind_nginx
    assert requests.get(f"{url}/kiosk", timeout=5).status_code == 200
    other_process = Listener(second.url, {"channel": "display"})
    tv = socketio.Client(reconnection=False)
    received: list[dict] = []
    tv.on("ticket_issued", received.append)
    tv.connect(url, auth={"channel": "display"}, wait_timeout=5)  # polling, then the upgrade
    try:
        deadline = time.monotonic() + 5
        while tv.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tv.transport() == "websocket"
        assert take_ticket(url, "127.0.0.1") == 201
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [event["number"] for event in received] == ["A001"]
        other_process.wait_for(
            lambda events: other_process.ticket_events(), "the ticket on the other process"
        )
    finally:
        tv.disconnect()
        other_process.close()


def test_each_client_address_has_its_own_rate_limit_and_cannot_forge_one(behind_nginx):
    url, _, _ = behind_nginx
    kiosk = [take_ticket(url, "127.0.0.1", forwarded_for=f"10.0.0.{n}") for n in range(3)]
    assert kiosk == [201, 201, 429]  # a forged X-Forwarded-For does not reset the window
    phone = [take_ticket(url, "127.0.0.2") for _ in range(3)]
    assert phone == [201, 201, 429]
