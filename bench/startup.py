"""Startup and memory: how soon `motcua serve` answers, and how much it holds after a burst.

    .venv/bin/python bench/startup.py [--runs 5] [--tickets 400] [--quiet-wait S] [--json F]

A restart is a lobby without calls and a center's PC is small, so this measures, on real
`motcua serve` processes (eventlet) on free ports of 127.0.0.1 with temporary databases:

- first answer: from spawning the process to the first 200 of GET /api/stats/today, --runs
  times each on an empty database (a first start: migrations and the catalog) and on the
  same database again (a restart), median / min / max, with the default kind of printer
  (dir:) and with MOTCUA_PRINTER=none; also the CPU time the process had used by then,
  which a busy machine inflates much less than the wall clock;
- memory: the server's VmRSS and VmHWM (/proc/PID/status) 5 s after its first answer, and
  after a burst of --tickets tickets issued over HTTP (four kiosks at once,
  MOTCUA_TICKET_RATE=0) once every receipt was printed: with a dir: printer (every receipt
  drawn and encoded), the same with MALLOC_ARENA_MAX=2 as systemd/motcua.service runs it,
  and with MOTCUA_PRINTER=none (nothing drawn);
- imports: `python -X importtime` of `motcua serve` on an existing database until its
  first answer: how many modules, and their own import times summed by package.

On a shared machine other jobs lengthen the wall clock: the bench measures how many cores
they keep busy just before each start (--quiet-wait S: waits up to S seconds for them to go
below 0.2) and prints it with the load average; and whether the server's bytecode was
compiled beforehand (`make install` does). Figures: docs/performance.md, "Startup and memory".
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.live_server import free_port, spawn_server, stop_process

START_TIMEOUT = 30.0
DRAIN_TIMEOUT = 120.0
KIOSKS = 4
# The bursts: the default kind of printer, the same as systemd/motcua.service runs it (glibc
# keeps two malloc arenas instead of one per printing thread), and no printer.
BURSTS = (("dir", {}), ("dir", {"MALLOC_ARENA_MAX": "2"}), ("none", {}))
QUIET = 0.2  # cores busy with other jobs that --quiet-wait waits to go away
IDLE_SECONDS = 5.0  # after the first answer, before the burst: the print worker warms up at 3 s
FIRST_ANSWER_PATH = "/api/stats/today"


def server_env(folder: Path, printer: str) -> dict[str, str]:
    """A server of its own: database in `folder`, no rate limit, the given printer."""
    return {
        **os.environ,
        "MOTCUA_DB": str(folder / "motcua.db"),
        "MOTCUA_PRINTER": printer,
        "MOTCUA_TICKET_RATE": "0",
        "MOTCUA_SECRET_KEY": "bench-secret",
    }


def answers(port: int, path: str = FIRST_ANSWER_PATH) -> bool:
    """Whether the server answers 200 now (False while nothing listens yet)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False


@dataclass(frozen=True)
class Started:
    process: subprocess.Popen[bytes]
    port: int
    seconds: float  # wall clock from spawning the process to its first 200
    cpu_seconds: float  # the CPU the process had used by then (user + system)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[Started]:
    """Spawn `motcua serve` and wait for its first 200. Stops it (SIGTERM, then SIGKILL) on
    the way out."""
    port = free_port()
    started = time.perf_counter()
    process = spawn_server(env, port, log)
    try:
        while not answers(port):
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{log.read_text(errors='replace')}")
            if time.perf_counter() - started > START_TIMEOUT:
                raise SystemExit(f"the server did not answer within {START_TIMEOUT} s")
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        yield Started(process, port, seconds, cpu_seconds(process.pid))
    finally:
        stop_process(process)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def has_bytecode() -> bool:
    """Whether the server's modules were compiled beforehand (`make install`); if not, and
    Python may not write them (a service's read-only folder), every start compiles them."""
    spec = importlib.util.find_spec("server.cli")
    return bool(spec and spec.cached and Path(spec.cached).exists())


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (the first line of /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(patience: float) -> float:
    """How many cores other jobs keep busy (over half a second), measured again until it
    is below QUIET or `patience` seconds have passed: a shared machine's jobs come and go."""
    give_up = time.monotonic() + patience
    while True:
        busy, start = machine_busy_seconds(), time.monotonic()
        time.sleep(0.5)
        background = (machine_busy_seconds() - busy) / (time.monotonic() - start)
        if background < QUIET or time.monotonic() > give_up:
            return background


def first_answers(runs: int, printer: str, scratch: Path, patience: float) -> dict[str, Any]:
    """Spawn → first 200, on an empty database and on the same database again (a restart)."""
    starts: dict[str, list[Started]] = {"first_start": [], "restart": []}
    background: list[float] = []
    for run in range(runs):
        folder = scratch / f"start-{printer}-{run}"
        folder.mkdir()
        env = server_env(folder, printer_url(printer, folder))
        for kind in ("first_start", "restart"):
            background.append(wait_for_quiet(patience))
            with running_server(env, folder / "server.log") as started:
                starts[kind].append(started)
    figures: dict[str, Any] = {"busy_cores_before": summary(background)}
    for kind, runs_of_kind in starts.items():
        figures[f"{kind}_s"] = summary([started.seconds for started in runs_of_kind])
        figures[f"{kind}_cpu_s"] = summary([started.cpu_seconds for started in runs_of_kind])
    return figures


def printer_url(printer: str, folder: Path) -> str:
    return f"dir:{folder / 'receipts'}" if printer == "dir" else printer


def procedures_served(port: int) -> list[str]:
    """The procedures a kiosk can take a ticket for now."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/api/procedures")
        listed = json.load(conn.getresponse())
    finally:
        conn.close()
    return [procedure["id"] for procedure in listed]


def issue(port: int, procedures: list[str], count: int, offset: int, failures: list[str]) -> None:
    """One kiosk: `count` tickets in a row on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for number in range(count):
            body = {
                "procedure_id": procedures[(offset + number) % len(procedures)],
                "documents_complete": True,
            }
            conn.request(
                "POST", "/api/tickets", json.dumps(body), {"Content-Type": "application/json"}
            )
            response = conn.getresponse()
            payload = response.read()
            if response.status != 201:
                failures.append(f"{response.status} {payload[:200]!r}")
    finally:
        conn.close()


def burst(port: int, tickets: int) -> float:
    """Issue `tickets` tickets from KIOSKS kiosks at once; returns the seconds it took."""
    procedures = procedures_served(port)
    failures: list[str] = []
    shares = [tickets // KIOSKS + (1 if k < tickets % KIOSKS else 0) for k in range(KIOSKS)]
    started = time.perf_counter()
    threads = [
        threading.Thread(target=issue, args=(port, procedures, share, k * 7, failures))
        for k, share in enumerate(shares)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} tickets were refused, e.g. {failures[0]}")
    return time.perf_counter() - started


def wait_for_receipts(folder: Path, count: int) -> float:
    """Seconds until `count` receipts (.bin) are in the dir: printer's folder."""
    started = time.perf_counter()
    while len(list(folder.glob("*.bin"))) < count:
        if time.perf_counter() - started > DRAIN_TIMEOUT:
            raise SystemExit(f"the print worker did not print {count} receipts in time")
        time.sleep(0.1)
    return time.perf_counter() - started


def memory_after_burst(
    printer: str, tickets: int, scratch: Path, extra_env: dict[str, str]
) -> dict[str, Any]:
    """RSS once the server answers, and after `tickets` tickets (and their receipts)."""
    folder = scratch / f"burst-{printer}-{len(list(scratch.glob('burst-*')))}"
    folder.mkdir()
    env = server_env(folder, printer_url(printer, folder)) | extra_env
    with running_server(env, folder / "server.log") as started:
        time.sleep(IDLE_SECONDS)  # what the server does after its first answer (warm-up)
        idle = memory_mb(started.process.pid)
        issuing = burst(started.port, tickets)
        printing = wait_for_receipts(folder / "receipts", tickets) if printer == "dir" else 0.0
        time.sleep(1.0)
        after = memory_mb(started.process.pid)
    return {
        "printer": printer,
        "env": extra_env,
        "tickets": tickets,
        "idle_mb": idle,
        "after_burst_mb": after,
        "tickets_per_s": round(tickets / issuing, 1),
        "printed_within_s": round(printing, 1),
    }


def import_costs(scratch: Path, top: int) -> dict[str, Any]:
    """`python -X importtime` of `motcua serve` on an existing database, from its start to
    its first answer: what it imported, grouped by distribution (self times summed)."""
    folder = scratch / "imports"
    folder.mkdir()
    env = server_env(folder, f"dir:{folder / 'receipts'}")
    with running_server(env, folder / "server.log"):
        pass  # creates the database: what follows is a restart
    port = free_port()
    command = [sys.executable, "-X", "importtime", "-m", "server.cli", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with (folder / "imports.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.perf_counter() + START_TIMEOUT
            while not answers(port):
                if process.poll() is not None or time.perf_counter() > deadline:
                    raise SystemExit("the server under -X importtime did not answer")
                time.sleep(0.005)
        finally:
            process.kill()
            process.wait(timeout=10)
    by_package: dict[str, float] = {}
    modules = 0
    for line in (folder / "imports.log").read_text(errors="replace").splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + int(own) / 1000
        modules += 1
    ranked = sorted(by_package.items(), key=lambda item: -item[1])
    return {
        "modules": modules,
        "imports_ms": round(sum(by_package.values()), 1),
        "by_package_ms": [(name, round(ms, 1)) for name, ms in ranked[:top]],
    }


def print_report(report: dict[str, Any]) -> None:
    def seconds(values: dict[str, float]) -> str:
        return (
            f"median {values['median']:.2f} s, min {values['min']:.2f} s, max {values['max']:.2f} s"
        )

    print(
        f"{report['cores']} cores, load average {report['load_before']} → {report['load_after']};"
        f" server bytecode compiled beforehand: {'yes' if report['bytecode'] else 'no'}"
    )
    for printer, starts in report["first_answer"].items():
        busy = starts["busy_cores_before"]
        print(
            f"first answer ({report['runs']} runs, printer {printer}), wall clock; CPU used"
            f" (other jobs kept {busy['median']:.2f} cores busy before a start, at most"
            f" {busy['max']:.2f}):"
        )
        for kind, label in (
            ("first_start", "empty database (first start)"),
            ("restart", "existing database (restart) "),
        ):
            cpu = starts[f"{kind}_cpu_s"]
            print(f"  {label}  {seconds(starts[f'{kind}_s'])}; CPU median {cpu['median']:.2f} s")
    for row in report["memory"]:
        idle, after = row["idle_mb"], row["after_burst_mb"]
        printed = f", printed within {row['printed_within_s']} s" if row["printer"] == "dir" else ""
        extra = "".join(f" {name}={value}" for name, value in row["env"].items())
        print(
            f"memory, printer {row['printer']}{extra}: idle RSS {idle['VmRSS']} MB;"
            f" after {row['tickets']} tickets ({row['tickets_per_s']}/s{printed})"
            f" RSS {after['VmRSS']} MB, peak {after['VmHWM']} MB"
        )
    imports = report.get("imports")
    if imports:
        print(
            f"imports until the first answer: {imports['modules']} modules,"
            f" {imports['imports_ms']} ms under -X importtime; by package (ms):"
        )
        print("  " + ", ".join(f"{name} {ms}" for name, ms in imports["by_package_ms"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of each kind")
    parser.add_argument("--tickets", type=int, default=400, help="tickets in the burst")
    parser.add_argument("--imports", type=int, default=12, help="heaviest imports listed")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        help="before each start, wait up to this many seconds for other jobs to leave the machine",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args()
    if args.runs < 1 or args.tickets < 1:
        parser.error("need at least one run and one ticket")
    scratch = Path(tempfile.mkdtemp(prefix="motcua-startup-"))
    report: dict[str, Any] = {
        "cores": os.cpu_count(),
        "runs": args.runs,
        "load_before": round(os.getloadavg()[0], 2),
        "bytecode": has_bytecode(),
    }
    try:
        report["first_answer"] = {
            printer: first_answers(args.runs, printer, scratch, args.quiet_wait)
            for printer in ("dir", "none")
        }
        report["memory"] = [
            memory_after_burst(printer, args.tickets, scratch, extra_env)
            for printer, extra_env in BURSTS
        ]
        if args.imports:
            report["imports"] = import_costs(scratch, args.imports)
    finally:
        report["load_after"] = round(os.getloadavg()[0], 2)
        if args.keep:
            report["folder"] = str(scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
