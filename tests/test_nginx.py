"""The nginx configuration of docs/deploy.md, as written there, in front of two server
processes joined by Redis, with a certificate made by the guide's own openssl line: HTTPS,
plain HTTP sent there, the session cookie Secure, Socket.IO's WebSocket upgrade, the rate
limit of each client address (which nginx, not the client, tells the server), and nginx's
limit on what one client address may have in progress."""

from __future__ import annotations

import http.client
import json
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio

from tests.live_events import Listener
from tests.live_server import LiveHub, LiveServer, free_port, fresh_database, stop_process

ROOT = Path(__file__).resolve().parent.parent
BODY = {"procedure_id": "chung-thuc-ban-sao", "documents_complete": True, "priority": None}
LAN_ADDRESS = "192.168.1.10"  # the guide's server address, 127.0.0.1 here
PER_CLIENT = 100  # the guide's limit_conn


def deploy_guide() -> str:
    return (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def deploy_nginx_block(upstream: str = "motcua") -> str:
    """The ```nginx block of docs/deploy.md whose upstream is `upstream`: the center's
    (section 9), or the province hub's (`motcua_hub`, section 12)."""
    blocks = re.findall(r"```nginx\n(.*?)```", deploy_guide(), flags=re.DOTALL)
    found = [block for block in blocks if f"upstream {upstream} {{" in block]
    assert len(found) == 1, f"docs/deploy.md should hold one nginx block for {upstream}"
    return found[0]


def make_certificate(folder: Path) -> Path:
    """Run the guide's `openssl req` line in `folder`, for 127.0.0.1 instead of the LAN
    address: the certificate (motcua.crt) and its key (motcua.key)."""
    [line] = [line for line in deploy_guide().splitlines() if line.startswith("openssl req ")]
    command = shlex.split(line.replace(LAN_ADDRESS, "127.0.0.1"))
    subprocess.run(command, cwd=folder, capture_output=True, check=True, timeout=60)
    return folder / "motcua.crt"


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"the guide's nginx block no longer has {old!r}"
    return text.replace(old, new)


@dataclass
class Ports:
    http: int
    old_http: int  # the center's address before HTTPS (8000 in the guide)
    https: int


def nginx_conf(folder: Path, block: str, ports: Ports, backends: list[int]) -> Path:
    """The documented block inside a minimal nginx.conf of our own, on our ports and files."""
    block = replaced(block, "listen 80;", f"listen 127.0.0.1:{ports.http};")
    block = replaced(block, "listen 8000;", f"listen 127.0.0.1:{ports.old_http};")
    block = replaced(block, "listen 443 ssl;", f"listen 127.0.0.1:{ports.https} ssl;")
    block = replaced(block, "/etc/motcua/tls/", f"{folder}/")
    block = replaced(block, "server 127.0.0.1:8001;", f"server 127.0.0.1:{backends[0]};")
    block = replaced(block, "# server 127.0.0.1:8002;", f"server 127.0.0.1:{backends[1]};")
    temp = folder / "nginx-temp"
    temp.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/nginx-error.log;
        events {{ worker_connections 1024; }}
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


@dataclass
class Nginx:
    url: str  # https://127.0.0.1:PORT
    ports: Ports
    certificate: Path
    second: LiveServer

    def session(self) -> requests.Session:
        """A browser of the center: it trusts the certificate, as the guide has it set up."""
        session = requests.Session()
        session.verify = str(self.certificate)
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify`
        return session

    def connect(self, source: str) -> http.client.HTTPSConnection:
        """An HTTPS connection from one loopback address (one client of the center)."""
        context = ssl.create_default_context(cafile=str(self.certificate))
        return http.client.HTTPSConnection(
            "127.0.0.1", self.ports.https, timeout=5, source_address=(source, 0), context=context
        )


@pytest.fixture
def behind_nginx(tmp_path: Path, redis_url: str) -> Iterator[Nginx]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: apt-get install nginx (.ci/run does)"
    settings = {"MOTCUA_MESSAGE_QUEUE": redis_url, "MOTCUA_TRUSTED_PROXIES": "1"}
    first = LiveServer(tmp_path, MOTCUA_TICKET_RATE="2", **settings)
    second = LiveServer(tmp_path, add_users=False, MOTCUA_TICKET_RATE="2", **settings)
    first.start()
    second.start()
    certificate = make_certificate(tmp_path)
    ports = Ports(free_port(), free_port(), free_port())
    conf = nginx_conf(tmp_path, deploy_nginx_block(), ports, [first.port, second.port])
    checked = subprocess.run([binary, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"])
    front = Nginx(f"https://127.0.0.1:{ports.https}", ports, certificate, second)
    try:
        wait_for(front, nginx, tmp_path / "nginx-error.log")
        yield front
    finally:
        stop_process(nginx)
        first.stop()
        second.stop()


def wait_for(front: Nginx, nginx: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    session = front.session()
    while time.monotonic() < deadline:
        assert nginx.poll() is None, log.read_text(errors="replace")
        try:
            if session.get(f"{front.url}/api/counters", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nginx did not answer within 10 s:\n{log.read_text(errors='replace')}")


def take_ticket(front: Nginx, source: str, forwarded_for: str | None = None) -> int:
    """POST /api/tickets to nginx from one loopback address, as its kiosk page does."""
    connection = front.connect(source)
    headers = {"Content-Type": "application/json", "Origin": front.url}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    connection.request("POST", "/api/tickets", body=json.dumps(BODY), headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_pages_api_and_live_events_pass_through_nginx_over_https(behind_nginx):
    front = behind_nginx
    assert front.session().get(f"{front.url}/kiosk", timeout=5).status_code == 200
    other_process = Listener(front.second.url, {"channel": "display"})
    tv = socketio.Client(reconnection=False, http_session=front.session())
    received: list[dict] = []
    tv.on("ticket_issued", received.append)
    # polling, then the upgrade to wss:, whose Origin (https://…) Engine.IO checks against
    # the scheme nginx forwards
    tv.connect(front.url, auth={"channel": "display"}, wait_timeout=5)
    try:
        deadline = time.monotonic() + 5
        while tv.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tv.transport() == "websocket"
        assert take_ticket(front, "127.0.0.1") == 201
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


def test_plain_http_is_sent_to_https(behind_nginx):
    front = behind_nginx
    for port in (front.ports.http, front.ports.old_http):
        response = requests.get(
            f"http://127.0.0.1:{port}/counter?quay=2", allow_redirects=False, timeout=5
        )
        assert response.status_code == 301
        assert response.headers["Location"] == "https://127.0.0.1/counter?quay=2"


def test_the_public_queue_reaches_phones_compressed(behind_nginx):
    front = behind_nginx
    browser = front.session()
    for path in ("/hang-cho", "/api/queue", "/static/kiosk/kiosk/queue/queue.css"):
        response = browser.get(f"{front.url}{path}", timeout=5)
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == "gzip", path


def test_over_https_the_session_cookie_is_secure(behind_nginx):
    front = behind_nginx
    browser = front.session()
    response = browser.post(
        f"{front.url}/api/session",
        json={"username": "canbo", "password": "mat-khau-can-bo-1"},
        headers={"Origin": front.url},
        timeout=5,
    )
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("motcua_session=")
    assert "; Secure" in cookie
    assert browser.get(f"{front.url}/api/session", timeout=5).json()["username"] == "canbo"


def test_each_client_address_has_its_own_rate_limit_and_cannot_forge_one(behind_nginx):
    front = behind_nginx
    kiosk = [take_ticket(front, "127.0.0.1", forwarded_for=f"10.0.0.{n}") for n in range(3)]
    assert kiosk == [201, 201, 429]  # a forged X-Forwarded-For does not reset the window
    phone = [take_ticket(front, "127.0.0.2") for _ in range(3)]
    assert phone == [201, 201, 429]


def stalled_requests(front: Nginx, source: str, count: int) -> list[socket.socket]:
    """`count` requests in progress from `source`: each sends its headers, announces a body
    and never sends it (nginx waits for it up to client_body_timeout, 10 s)."""
    context = ssl.create_default_context(cafile=str(front.certificate))
    stalled = []
    for _ in range(count):
        raw = socket.create_connection(
            ("127.0.0.1", front.ports.https), timeout=5, source_address=(source, 0)
        )
        sock = context.wrap_socket(raw, server_hostname="127.0.0.1")
        sock.sendall(
            b"POST /api/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        )
        stalled.append(sock)
    return stalled


def status_of(front: Nginx, source: str) -> int:
    connection = front.connect(source)
    connection.request("GET", "/api/stats/today")
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_client_beyond_its_connection_limit_is_refused_while_others_get_through(
    behind_nginx,
):
    front = behind_nginx
    stalled = stalled_requests(front, "127.0.0.2", PER_CLIENT)
    try:
        time.sleep(0.3)  # nginx has read every request's headers
        assert status_of(front, "127.0.0.2") == 429
        assert status_of(front, "127.0.0.1") == 200
    finally:
        for sock in stalled:
            sock.close()
    deadline = time.monotonic() + 5
    while status_of(front, "127.0.0.2") != 200:
        assert time.monotonic() < deadline, "127.0.0.2 stayed refused after its requests ended"
        time.sleep(0.1)


def test_live_clients_are_counted_per_client_not_per_nginx(behind_nginx):
    """Every connection to the server comes from nginx: its share of live-event clients is
    the client's own (MOTCUA_CONNECTIONS_PER_ADDRESS, 100)."""
    front = behind_nginx
    connection = front.connect("127.0.0.3")
    statuses = []
    for _ in range(101):
        connection.request("GET", "/socket.io/?EIO=4&transport=polling")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [200] * 100 + [401]
    assert front.session().get(f"{front.url}/socket.io/?EIO=4&transport=polling").ok


def test_the_hubs_nginx_serves_it_over_https_and_lets_a_4_mb_batch_reach_it(
    tmp_path: Path, postgres_url: str
) -> None:
    """The province hub's block of the guide, as written (but for ports and files), in front
    of a real hub: plain HTTP sent to HTTPS, a center's batch through, the hub told the
    scheme (its cookie Secure), and a body over 4 MB refused by the hub itself in JSON."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    hub = LiveHub(tmp_path, fresh_database(postgres_url, "hub_behind_nginx"),
                  MOTCUA_TRUSTED_PROXIES="1")  # fmt: skip
    hub.run("user", "add", "tinh", stdin="so-lieu-cua-tinh-2026\n")
    token = hub.add_center("lai-khe", "Trung tâm xã Lai Khê")
    hub.start()
    certificate = make_certificate(tmp_path)
    (tmp_path / "hub.crt").write_bytes(certificate.read_bytes())
    (tmp_path / "hub.key").write_bytes((tmp_path / "motcua.key").read_bytes())
    http_port, https_port = free_port(), free_port()
    block = deploy_nginx_block("motcua_hub")
    block = replaced(block, "listen 80;", f"listen 127.0.0.1:{http_port};")
    block = replaced(block, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    block = replaced(block, "/etc/motcua/tls/", f"{tmp_path}/")
    block = replaced(block, "server 127.0.0.1:5100;", f"server 127.0.0.1:{hub.port};")
    conf = nginx_conf_around(tmp_path, block)
    nginx = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"])
    url = f"https://127.0.0.1:{https_port}"
    session = requests.Session()
    session.verify, session.trust_env = str(certificate), False
    try:
        deadline = time.monotonic() + 10
        while True:
            assert nginx.poll() is None
            try:
                if session.get(f"{url}/api/hub/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                assert time.monotonic() < deadline, "nginx did not answer within 10 s"
                time.sleep(0.1)
        plain = requests.get(f"http://127.0.0.1:{http_port}/", allow_redirects=False, timeout=5)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
        login = session.post(
            f"{url}/api/session",
            json={"username": "tinh", "password": "so-lieu-cua-tinh-2026"},
            headers={"Origin": url},
            timeout=5,
        )
        assert login.status_code == 200, login.text
        assert "secure" in login.headers["Set-Cookie"].lower()
        body = {"center": {"id": "lai-khe", "name": "Trung tâm xã Lai Khê"}, "through": 1,
                "facts": [], "padding": "p" * (3 * 1024 * 1024)}  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"}
        sent = session.post(f"{url}/api/hub/facts", json=body, headers=headers, timeout=10)
        assert sent.status_code == 200, sent.text
        body["padding"] = "p" * (4 * 1024 * 1024 + 100)
        over = session.post(f"{url}/api/hub/facts", json=body, headers=headers, timeout=10)
        assert over.status_code == 413
        assert over.json()["error"]["code"] == "payload_too_large"  # the hub's, not nginx's
    finally:
        stop_process(nginx)
        hub.stop()


def nginx_conf_around(folder: Path, block: str) -> Path:
    """A minimal nginx.conf of our own around a documented block; bodies kept in memory (the
    workers, not root, could not write them to the test's private folder)."""
    temp = folder / "nginx-temp"
    temp.mkdir()
    conf = folder / "nginx.conf"
    paths = " ".join(
        f"{kind}_temp_path {temp}/{kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"""worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/nginx-error.log;
        events {{ worker_connections 64; }}
        http {{ access_log off; client_body_temp_path {temp}/body; {paths}
                client_body_buffer_size 8m; {block} }}"""
    )
    return conf
