"""Load test: one `motcua serve` (eventlet) against kiosks, counters and lobby displays.

    .venv/bin/python -m bench.load [--kiosks K --counters C --displays D --seconds S]

Starts the server on a fresh temporary database (MOTCUA_TICKET_RATE=0, MOTCUA_PRINTER=none,
MOTCUA_CONNECTIONS_PER_ADDRESS=0: every client comes from 127.0.0.1),
creates one officer per counter, then runs every client in a process of its own (the
machine's cores are shared by the generator and the server, and one Python process could
not load the server alone). Prints tickets/s and calls/s sustained over the window, the
delay from each HTTP response (issue, call) to that event's arrival at every display,
events delivered against expected, and the server's peak RSS. Everything stays on
127.0.0.1; every wait is bounded. --display-client lean swaps python-socketio's clients for
bench/lean_display.py's (same protocol, a quarter of the CPU). Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from bench.workers import Log, Plan, ScreenLog, officer_name, run_counter, run_displays, run_kiosk
from server.settings import DEFAULT_CATALOG
from tests.live_server import free_port, run_motcua, start_server, stop_process

PASSWORD = "bench-password"
DEMO_COUNTERS = 6
DISPLAYS_PER_PROCESS = 10
START_TIMEOUT = 30.0
RESULT_TIMEOUT = 60.0


def write_catalog(counters: int, folder: Path) -> tuple[Path, list[str]]:
    """The catalog and the procedures kiosks take tickets for.

    Up to six counters: the demo catalog and the procedures counters 1..C serve (all of
    them with no counter); more: a copy of it with C counters that each serve everything.
    """
    data = yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    procedure_ids = [procedure["id"] for procedure in data["procedures"]]
    if counters == 0:
        return DEFAULT_CATALOG, procedure_ids
    if counters <= DEMO_COUNTERS:
        served = {
            procedure
            for counter in data["counters"]
            if counter["id"] <= counters
            for procedure in counter["procedures"]
        }
        return DEFAULT_CATALOG, [p for p in procedure_ids if p in served]
    data["counters"] = [
        {"id": number, "name": f"Quầy {number}", "procedures": procedure_ids}
        for number in range(1, counters + 1)
    ]
    path = folder / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, procedure_ids


def add_officers(env: dict[str, str], counters: int) -> None:
    for number in range(1, counters + 1):
        run_motcua(
            env, "user", "add", officer_name(number), "--role", "officer", stdin=f"{PASSWORD}\n"
        )


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.50) * 1000, 1),
        "p99": round(percentile(values, 0.99) * 1000, 1),
        "max": round(max(values) * 1000, 1) if values else float("nan"),
    }


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (the first line of /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def collect(
    results: Any, count: int, timeout: float = RESULT_TIMEOUT
) -> list[tuple[str, int, Any, float]]:
    """Up to `count` workers' reports, whatever came within `timeout` seconds."""
    collected = []
    deadline = time.monotonic() + timeout
    while len(collected) < count:
        try:
            collected.append(results.get(timeout=max(0.1, deadline - time.monotonic())))
        except queue.Empty:
            break
    return collected


def bench_environment(folder: Path, counters: int) -> tuple[dict[str, str], list[str]]:
    """The servers' environment (a fresh database in `folder`, no rate or connection limit,
    no printer) with an officer per counter, and the procedures the kiosks take tickets for."""
    catalog, procedures = write_catalog(counters, folder)
    env = {
        **os.environ,
        "MOTCUA_DB": str(folder / "motcua.db"),
        "MOTCUA_CATALOG": str(catalog),
        "MOTCUA_TICKET_RATE": "0",
        "MOTCUA_PRINTER": "none",
        "MOTCUA_SECRET_KEY": "bench-secret",
        # Every simulated kiosk, counter, TV and phone connects from this one machine: the
        # bound on connections per address (bench/connections.py measures it) is lifted.
        "MOTCUA_CONNECTIONS_PER_ADDRESS": "0",
    }
    add_officers(env, counters)
    return env, procedures


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    env, procedures = bench_environment(folder, args.counters)
    port = free_port()
    server = start_server(env, port, folder / "server.log")
    if args.pin:
        # the server alone on the first core, the clients (forked from here) on the others
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(server.pid, cores[:1])
        os.sched_setaffinity(0, cores[1:])
    context = multiprocessing.get_context("fork")
    processes: list[Any] = []
    try:
        plan = Plan("127.0.0.1", port, args.seconds, procedures, PASSWORD)
        ready, results = context.Queue(), context.Queue()
        go, drain = context.Event(), context.Event()
        start_at, expected = context.Value("d", 0.0), context.Value("q", 0)
        groups = [
            min(DISPLAYS_PER_PROCESS, args.displays - first)
            for first in range(0, args.displays, DISPLAYS_PER_PROCESS)
        ]
        for group, count in enumerate(groups):
            processes.append(
                context.Process(
                    target=run_displays,
                    args=(group, count, args.display_client, plan, ready, drain, expected, results),
                )
            )
        for number in range(1, args.counters + 1):
            processes.append(
                context.Process(
                    target=run_counter, args=(number, plan, ready, go, start_at, results)
                )
            )
        for index in range(args.kiosks):
            processes.append(
                context.Process(target=run_kiosk, args=(index, plan, ready, go, start_at, results))
            )
        for process in processes:
            process.start()
        for _ in processes:
            if ready.get(timeout=START_TIMEOUT) != "ready":
                raise SystemExit("a client could not start (see the server log)")
        quiet_busy, quiet_start = machine_busy_seconds(), time.monotonic()
        time.sleep(1.0)  # everything connected and idle: what else keeps the machine busy?
        background = round(
            100 * (machine_busy_seconds() - quiet_busy) / (time.monotonic() - quiet_start)
        )
        profiler = start_profiler(args.profile, server.pid, args.seconds)
        start_at.value = time.monotonic() + 0.5
        cpu_before, busy_before = cpu_seconds(server.pid), machine_busy_seconds()
        go.set()
        http_logs = collect(results, args.counters + args.kiosks)
        cpu_used = cpu_seconds(server.pid) - cpu_before
        busy = machine_busy_seconds() - busy_before
        window = time.monotonic() - start_at.value
        logs = [log for _, _, log, _ in http_logs]
        issued = [entry for log in logs for entry in log.issued]
        called = [entry for log in logs for entry in log.called]
        finished = [entry for log in logs for entry in log.finished]
        expected.value = len(issued) + len(called) + len(finished)
        drain.set()
        display_results = collect(results, len(groups))
        screens = [screen for _, _, group, _ in display_results for screen in group]
        http_cpu = sum(cpu for *_, cpu in http_logs)
        display_cpu = sum(cpu for *_, cpu in display_results)
        rss = peak_rss_mb(server.pid)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats/today", timeout=10) as r:
            waiting_at_end = json.load(r)["waiting"]
        if profiler is not None:
            profiler.wait(timeout=args.seconds + 60)
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        stop_process(server)
    report = measure(args, plan, start_at.value, logs, issued, called, finished, screens)
    report["server_peak_rss_mb"] = round(rss, 1)
    report["waiting_at_end"] = waiting_at_end
    # CPU over the load window, in % of one core (the machine has os.cpu_count() cores);
    # the clients' figures cover their processes' whole life, so they are upper bounds.
    report["cpu_percent"] = {
        "cores": os.cpu_count(),
        "before_load": background,
        "machine": round(100 * busy / window),
        "server": round(100 * cpu_used / window),
        "kiosks_counters": round(100 * http_cpu / window),
        "displays": round(100 * display_cpu / window),
    }
    messages = sum(len(screen.arrivals) for screen in screens)
    report["display_cpu_us_per_event"] = round(1e6 * display_cpu / messages) if messages else None
    if args.keep:
        report["folder"] = str(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return report


def start_profiler(output: str | None, pid: int, seconds: float) -> Any:
    """py-spy record of the server during the load window, when asked and installed."""
    if output is None:
        return None
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds))]
    formats = {".svg": "flamegraph", ".json": "speedscope"}
    kind = formats.get(Path(output).suffix, "raw")  # raw: collapsed stacks, one per line
    command += ["--output", output, "--format", kind]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(
    args: argparse.Namespace,
    plan: Plan,
    start: float,
    logs: list[Log],
    issued: list[tuple[str, float, float]],
    called: list[tuple[str, float, float]],
    finished: list[tuple[str, float, float]],
    screens: list[ScreenLog],
) -> dict[str, Any]:
    end = start + plan.seconds
    answered = {("ticket_issued", number): at for number, _, at in issued} | {
        ("ticket_called", number): at for number, _, at in called
    }
    answered_finish = {("ticket_updated", number) for number, _, _ in finished}
    issue_delays: list[float] = []
    call_delays: list[float] = []
    delivered = 0
    seq_gaps = 0
    for screen in screens:
        seen = set()
        for name, number, _, arrived in screen.arrivals:
            key = (name, number)
            seen.add(key)
            if key in answered:
                (issue_delays if name == "ticket_issued" else call_delays).append(
                    arrived - answered[key]
                )
        delivered += len(seen & (answered.keys() | answered_finish))
        seqs = [seq for _, _, seq, _ in screen.arrivals]
        seq_gaps += sum(1 for a, b in itertools.pairwise(seqs) if b != a + 1)
    errors: dict[str, int] = {}
    for log in logs:
        for what, count in log.errors.items():
            errors[what] = errors.get(what, 0) + count
    in_window = [at for _, _, at in issued if start <= at <= end]
    calls_in_window = [at for _, _, at in called if start <= at <= end]
    return {
        "kiosks": args.kiosks,
        "counters": args.counters,
        "displays": args.displays,
        "seconds": plan.seconds,
        "tickets": len(issued),
        "tickets_per_s": round(len(in_window) / plan.seconds, 1),
        "calls": len(called),
        "calls_per_s": round(len(calls_in_window) / plan.seconds, 1),
        "finishes": len(finished),
        "empty_next": sum(log.empty for log in logs),
        "http_issue_ms": summary_ms([done - sent for _, sent, done in issued]),
        "http_call_ms": summary_ms([done - sent for _, sent, done in called]),
        "issue_to_display_ms": summary_ms(issue_delays),
        "call_to_display_ms": summary_ms(call_delays),
        "delivered": delivered,
        "expected": len(screens) * (len(issued) + len(called) + len(finished)),
        "seq_gaps": seq_gaps,
        "stats_per_display_per_s": round(
            sum(screen.stats for screen in screens) / max(1, len(screens)) / plan.seconds, 1
        ),
        "errors": errors,
    }


def print_report(report: dict[str, Any]) -> None:
    def times(name: str) -> str:
        values = report[name]
        return f"p50 {values['p50']} ms, p99 {values['p99']} ms, max {values['max']} ms"

    print(
        f"K={report['kiosks']} C={report['counters']} D={report['displays']}"
        f" over {report['seconds']} s"
    )
    print(f"  tickets/s      {report['tickets_per_s']}  ({report['tickets']} tickets)")
    print(
        f"  calls/s        {report['calls_per_s']}  ({report['calls']} calls,"
        f" {report['finishes']} finished, {report['empty_next']} empty next;"
        f" {report['waiting_at_end']} waiting at the end)"
    )
    print(f"  HTTP issue     {times('http_issue_ms')}")
    print(f"  HTTP call      {times('http_call_ms')}")
    if report["displays"]:
        print(f"  issue→display  {times('issue_to_display_ms')}")
        print(f"  call→display   {times('call_to_display_ms')}")
        print(
            f"  delivered      {report['delivered']} / {report['expected']}"
            f" (seq gaps {report['seq_gaps']}, stats/s per display"
            f" {report['stats_per_display_per_s']})"
        )
    cpu = report["cpu_percent"]
    print(f"  server         peak RSS {report['server_peak_rss_mb']} MB")
    print(
        f"  CPU            server {cpu['server']} %, kiosks+counters {cpu['kiosks_counters']} %,"
        f" displays {cpu['displays']} % ({report['display_cpu_us_per_event']} µs per event),"
        f" whole machine {cpu['machine']} % of {100 * cpu['cores']} %"
    )
    if cpu["before_load"] > 10:
        print(
            f"  warning        the machine was {cpu['before_load']} % busy with something"
            " else just before the load: these figures understate the server"
        )
    if report["errors"]:
        print(f"  errors         {report['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--displays", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--display-client",
        choices=["socketio", "lean"],
        default="socketio",
        help="python-socketio clients, or the lean client of bench/lean_display.py",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--profile",
        help="py-spy record the server into this file (.svg, .json, else collapsed stacks)",
    )
    parser.add_argument(
        "--pin", action="store_true", help="server on the first core, clients on the others"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    args = parser.parse_args()
    if args.kiosks < 1 or args.counters < 0 or args.displays < 0 or args.seconds <= 0:
        parser.error("need at least one kiosk, no negative counts, a positive duration")
    report = run(args)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
