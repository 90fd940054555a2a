"""A compressed busy day of a city center, on one server process or two sharing events
through Redis.

    .venv/bin/python -m bench.busy_day [--processes 1|2] [--window 60] [--tickets 3000]

The day, 07:00-17:00 with no tickets over lunch (11:30-13:30), is compressed into --window
seconds: kiosks take --tickets tickets at random moments spread by DAY_PROFILE (a fixed
seed), the procedures of the demo catalog in turn; --counters officers (a copy of the demo
catalog where each counter serves every procedure: bench/load.py's write_catalog) call the
next ticket, serve the citizen for a while (by default so that the counters could serve 1.25
times the day's mean arrival rate: the line grows at the peaks and drains in the lulls),
finish, and go home at the first empty line after the kiosks stopped. --window 0 is the day
flat out: the kiosks take the tickets in closed loops, the counters call without serving,
so tickets/s is what the servers can take. Listening all day: --displays lobby screens on
"display" (--socketio-displays of them python-socketio clients, the rest bench/load.py's
lean ones), and a phone on "ticket:<key>" for one ticket in --follow-every, opened as soon as
the kiosk has the ticket and closed once it is finished. A delay to a screen runs from the
HTTP response that caused the event (the kiosk's, the officer's `next`): the event can
arrive before the response, so a p50 can be zero or below.

--processes 2 starts its own redis-server on a free port and two `motcua serve` on one
database with MOTCUA_MESSAGE_QUEUE; kiosks, counters, displays and phones are split between
the two, so an event reaches the screens of both. Reported: tickets/s and calls/s, p50/p99
issue→display and call→display (all displays, per process, and per (origin, screen)
process), call→phone, events delivered against expected, stats per screen, CPU seconds and
peak RSS of each server (and redis-server). Everything on 127.0.0.1, every wait bounded,
processes and the temporary folder removed even on failure. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.load import (
    DISPLAYS_PER_PROCESS,
    PASSWORD,
    START_TIMEOUT,
    bench_environment,
    collect,
    cpu_seconds,
    machine_busy_seconds,
    peak_rss_mb,
    summary_ms,
)
from bench.workers import (
    DRAIN_TIMEOUT,
    READY_TIMEOUT,
    Log,
    Plan,
    Quota,
    Scheduled,
    ScreenLog,
    Shift,
    day_ticket,
    run_counter,
    run_displays,
    run_kiosk,
    run_ticket_pages,
)
from tests.live_server import free_port, start_redis, start_server, stop_process

DAY_START, DAY_END = 7.0, 17.0
# Tickets per hour of a busy urban center, relative: the opening rush, a lull before lunch,
# no tickets over lunch, a smaller afternoon peak. A plausible shape, not a measured one:
# what matters is that the line grows at the peaks and drains in the lulls.
DAY_PROFILE: tuple[tuple[float, float, float], ...] = (
    (7.0, 8.0, 9),
    (8.0, 9.0, 16),
    (9.0, 10.0, 15),
    (10.0, 11.0, 11),
    (11.0, 11.5, 6),
    (11.5, 13.5, 0),
    (13.5, 14.0, 8),
    (14.0, 15.0, 13),
    (15.0, 16.0, 10),
    (16.0, 17.0, 5),
)
UTILIZATION = 0.8  # the counters' default serving time keeps them this busy on average
QUIET = 0.1  # cores busy before the day that --quiet-wait waits to go away
OVERTIME = 180.0  # at most this long after the window for the line to drain
SEED = 2026


def arrival_offsets(tickets: int, window: float, seed: int = SEED) -> list[float]:
    """When each ticket is taken, in seconds after the start of the day compressed into
    `window`: random moments (one seed, so every run has the same day) of the profile."""
    total = sum((end - start) * weight for start, end, weight in DAY_PROFILE)
    rng = random.Random(seed)
    offsets = []
    for quantile in sorted(rng.random() for _ in range(tickets)):
        mass = quantile * total
        for start, end, weight in DAY_PROFILE:
            if weight and mass < (end - start) * weight:
                hour = start + mass / weight
                break
            mass -= (end - start) * weight
        else:
            hour = DAY_END
        offsets.append((hour - DAY_START) / (DAY_END - DAY_START) * window)
    return offsets


def default_serving(tickets: int, window: float, counters: int) -> float:
    """Seconds a counter serves a citizen, so that the counters together are UTILIZATION
    busy over the opening hours (a flat-out day: none)."""
    if window <= 0 or counters == 0:
        return 0.0
    open_hours = sum(end - start for start, end, weight in DAY_PROFILE if weight)
    rate = tickets / (window * open_hours / (DAY_END - DAY_START))
    return counters * UTILIZATION / rate


def shares(total: int, parts: int) -> list[int]:
    """total split as evenly as possible, the first parts taking the remainder."""
    return [total // parts + (part < total % parts) for part in range(parts)]


@dataclass
class Day:
    """What the workers reported, with the server (0, 1) each one talked to."""

    start: float
    kiosks: list[tuple[int, Log]]
    counters: list[tuple[int, Log]]
    displays: list[ScreenLog]
    pages: list[ScreenLog]
    page_failures: int
    ports: list[int]
    cpu: dict[str, float]


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="motcua-busy-day-"))
    servers: list[subprocess.Popen[bytes]] = []
    redis: subprocess.Popen[bytes] | None = None
    try:
        env, procedures = bench_environment(folder, args.counters)
        if args.processes > 1:
            redis, env["MOTCUA_MESSAGE_QUEUE"] = start_redis(folder)
        ports = []
        for number in range(args.processes):  # one after the other: the first migrates
            ports.append(free_port())
            servers.append(start_server(env, ports[-1], folder / f"server{number}.log"))
        day, usage = run_day(args, procedures, ports, servers, redis)
        stats_url = f"http://127.0.0.1:{ports[0]}/api/stats/today"
        with urllib.request.urlopen(stats_url, timeout=10) as answer:
            at_end = json.load(answer)
    finally:
        for server in servers:
            stop_process(server)
        if redis is not None:
            stop_process(redis)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report = measure(args, day)
    report["waiting_at_end"] = at_end["waiting"]
    report["called_at_end"] = at_end["called"]
    report["usage"] = usage
    if args.keep:
        report["folder"] = str(folder)
    return report


def run_day(
    args: argparse.Namespace,
    procedures: list[str],
    ports: list[int],
    servers: list[subprocess.Popen[bytes]],
    redis: subprocess.Popen[bytes] | None,
) -> tuple[Day, dict[str, Any]]:
    """Start every worker, run the day, wait (bounded) for every report."""
    context = multiprocessing.get_context("fork")
    bound = args.window + OVERTIME
    plan = Plan("127.0.0.1", ports[0], bound, procedures, PASSWORD)
    plans = [replace(plan, port=port) for port in ports]
    ready = context.Queue()
    kiosk_results, counter_results, screen_results = (context.Queue() for _ in range(3))
    follow = context.Queue()
    go, closing, drain = context.Event(), context.Event(), context.Event()
    start_at = context.Value("d", 0.0)
    expected, pages_expected = context.Value("q", 0), context.Value("q", 0)
    left = context.Value("q", args.tickets)
    if args.window > 0:
        offsets = arrival_offsets(args.tickets, args.window)
        schedule = [
            day_ticket(i, at, procedures, args.follow_every) for i, at in enumerate(offsets)
        ]
    shift = Shift(args.serving, closing)
    processes: list[Any] = []
    groups = 0
    for server, (count, socketio_count) in enumerate(
        zip(
            shares(args.displays, len(plans)),
            shares(args.socketio_displays, len(plans)),
            strict=True,
        )
    ):
        lean = count - socketio_count
        step = DISPLAYS_PER_PROCESS
        sizes = [("lean", min(step, lean - first)) for first in range(0, lean, step)]
        sizes += [("socketio", socketio_count)] if socketio_count else []
        for kind, size in sizes:
            processes.append(
                context.Process(
                    target=run_displays,
                    args=(groups, size, kind, plans[server], ready, drain, expected),
                    kwargs={"results": screen_results, "linger": 1.0},
                )
            )
            groups += 1
    if args.follow_every:
        processes.append(
            context.Process(
                target=run_ticket_pages,
                args=(plans, follow, ready, drain, pages_expected, screen_results),
            )
        )
    for number in range(1, args.counters + 1):
        processes.append(
            context.Process(
                target=run_counter,
                args=(number, plans[(number - 1) % len(plans)], ready, go, start_at),
                kwargs={"results": counter_results, "shift": shift},
            )
        )
    for index in range(args.kiosks):
        turns: Scheduled | Quota = (
            Scheduled(schedule[index :: args.kiosks])
            if args.window > 0
            else Quota(left, args.tickets, procedures, args.follow_every, bound)
        )
        processes.append(
            context.Process(
                target=run_kiosk,
                args=(index, plans[index % len(plans)], ready, go, start_at, kiosk_results),
                kwargs={"turns": turns, "follow": follow},
            )
        )
    watched = {f"server{n}": server.pid for n, server in enumerate(servers)}
    if redis is not None:
        watched["redis"] = redis.pid
    completed = False
    try:
        for process in processes:
            process.start()
        for _ in processes:
            if ready.get(timeout=START_TIMEOUT) != "ready":
                raise SystemExit("a client could not start (see the server log)")
        background = wait_for_quiet(args.quiet_wait)
        cpu_before = {name: cpu_seconds(pid) for name, pid in watched.items()}
        split_before = machine_split_seconds()
        start_at.value = time.monotonic() + 0.5
        go.set()
        kiosks = collect(kiosk_results, args.kiosks, timeout=bound + 30)
        closing.set()
        counters = collect(counter_results, args.counters, timeout=bound + 30)
        ended = time.monotonic()
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in watched.items()}
        split_after = machine_split_seconds()
        tasks, interrupts = split_after[0] - split_before[0], split_after[1] - split_before[1]
        logs = [log for _, _, log, _ in kiosks + counters]
        expected.value = sum(len(log.issued) + len(log.called) + len(log.finished) for log in logs)
        pages_expected.value = sum(len(log.followed) for log in logs)
        drain.set()
        listened = collect(screen_results, groups + bool(args.follow_every), DRAIN_TIMEOUT + 30)
        rss = {name: peak_rss_mb(pid) for name, pid in watched.items()}
        completed = True
    finally:
        for process in processes:
            if process.pid is None:  # never started
                continue
            if not completed:  # (some wait for a start that will not come)
                process.terminate()
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
    seconds = ended - start_at.value
    clients = {
        "kiosks_counters": sum(used for *_, used in kiosks + counters),
        "displays": sum(used for kind, *_, used in listened if kind == "displays"),
        "phones": sum(used for kind, *_, used in listened if kind == "pages"),
    }
    usage = {
        "cores": os.cpu_count(),
        "seconds": round(seconds, 1),
        "background_percent": round(100 * background),
        "machine_percent": round(100 * (tasks + interrupts) / seconds),
        "interrupts_percent": round(100 * interrupts / seconds),
        "cpu_seconds": {name: round(used, 1) for name, used in cpu.items()},
        "cpu_percent": {name: round(100 * used / seconds) for name, used in cpu.items()},
        "peak_rss_mb": {name: round(value, 1) for name, value in rss.items()},
        # the clients' CPU covers their processes' whole life: upper bounds
        "client_cpu_percent": {name: round(100 * used / seconds) for name, used in clients.items()},
        # what neither the servers nor the bench's clients used: other jobs on the machine
        "other_percent": round(100 * (tasks - sum(cpu.values()) - sum(clients.values())) / seconds),
    }
    day_log = Day(
        start=start_at.value,
        kiosks=[(index % len(ports), log) for _, index, log, _ in kiosks],
        counters=[((number - 1) % len(ports), log) for _, number, log, _ in counters],
        displays=[s for kind, _, group, _ in listened if kind == "displays" for s in group],
        pages=[s for kind, _, group, _ in listened if kind == "pages" for s in group],
        page_failures=sum(failed for kind, failed, *_ in listened if kind == "pages"),
        ports=ports,
        cpu=cpu,
    )
    return day_log, usage


def machine_split_seconds() -> tuple[float, float]:
    """CPU seconds all cores spent since boot running tasks (user, nice, system), and in
    interrupts (irq, softirq, steal): the loopback's packets are mostly handled in softirq,
    which no process's CPU time counts."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(values[0:3]) / tick, sum(values[5:8]) / tick


def wait_for_quiet(patience: float) -> float:
    """With every client connected and idle: how busy the machine is with something else
    (cores busy over one second), measured again each second for up to `patience` seconds
    while it stays above QUIET (a shared machine's other jobs come and go)."""
    give_up = time.monotonic() + min(patience, READY_TIMEOUT / 2)
    while True:
        busy, start = machine_busy_seconds(), time.monotonic()
        time.sleep(1.0)
        background = (machine_busy_seconds() - busy) / (time.monotonic() - start)
        if background < QUIET or time.monotonic() > give_up:
            return background


def rate(moments: list[float], start: float) -> float:
    """Events per second from the start to the last of them."""
    return round(len(moments) / (max(moments) - start), 1) if moments else 0.0


def busiest_second(moments: list[float]) -> int:
    seconds: dict[int, int] = defaultdict(int)
    for moment in moments:
        seconds[int(moment)] += 1
    return max(seconds.values(), default=0)


def longest_line(issued: list[float], called: list[float]) -> int:
    """The most tickets issued and not yet called at any moment (from the HTTP answers)."""
    steps = sorted([(at, 1) for at in issued] + [(at, -1) for at in called])
    line = longest = 0
    for _, step in steps:
        line += step
        longest = max(longest, line)
    return longest


def seq_order(seqs: list[int]) -> tuple[int, int, int]:
    """How one screen's seqs came: the holes (missing from min..max), how many arrived
    after a higher one, and by how many seqs the worst of those was overtaken."""
    if not seqs:
        return 0, 0, 0
    late = displaced = 0
    highest = seqs[0]
    for seq in seqs:
        if seq < highest:
            late += 1
            displaced = max(displaced, highest - seq)
        highest = max(highest, seq)
    return max(seqs) - min(seqs) + 1 - len(set(seqs)), late, displaced


def summary(values: list[float]) -> dict[str, float] | None:
    """p50, p99 and max in ms, or None when nothing was measured (no NaN in the JSON)."""
    return summary_ms(values) if values else None


def pooled(groups: dict[Any, list[float]], keys: Iterable[Any]) -> list[float]:
    return [value for key in keys for value in groups.get(key, [])]


def measure(args: argparse.Namespace, day: Day) -> dict[str, Any]:
    servers = range(len(day.ports))
    server_of_port = {port: number for number, port in enumerate(day.ports)}
    issued = [(server, *entry) for server, log in day.kiosks for entry in log.issued]
    called = [(server, *entry) for server, log in day.counters for entry in log.called]
    finished = [(server, *entry) for server, log in day.counters for entry in log.finished]
    # (event, ticket) -> (the server that answered the HTTP request, when)
    answered = {("ticket_issued", t): (s, at) for s, t, _, at in issued} | {
        ("ticket_called", t): (s, at) for s, t, _, at in called
    }
    wanted = answered.keys() | {("ticket_updated", t) for _, t, _, _ in finished}
    delays: dict[tuple[str, int, int], list[float]] = defaultdict(list)  # (event, origin, screen)
    seq_of: dict[tuple[str, str], int] = {}
    delivered: dict[int, int] = defaultdict(int)
    displays: dict[int, int] = defaultdict(int)
    holes = out_of_order = displaced = duplicates = 0
    stats_received: dict[int, int] = defaultdict(int)
    final_stats: dict[int, int] = defaultdict(int)
    final = {"issued": len(issued), "waiting": 0, "called": 0, "finished": len(finished)}
    for screen in day.displays:
        where = server_of_port[screen.port]
        displays[where] += 1
        seen = set()
        for name, ticket_id, seq, arrived in screen.arrivals:
            key = (name, ticket_id)
            seen.add(key)
            seq_of[key] = seq
            if key in answered:
                origin, at = answered[key]
                delays[(name, origin, where)].append(arrived - at)
        delivered[where] += len(seen & wanted)
        duplicates += len(screen.arrivals) - len(seen)
        order = seq_order([seq for _, _, seq, _ in screen.arrivals])
        holes += order[0]
        out_of_order += order[1]
        displaced = max(displaced, order[2])
        stats_received[where] += screen.stats
        final_stats[where] += screen.last_stats == final
    seconds = max((at for *_, at in finished), default=day.start) - day.start

    def latency(
        name: str, origins: Iterable[int], screens: Iterable[int]
    ) -> dict[str, float] | None:
        keys = [(name, o, s) for o in origins for s in screens]
        return summary(pooled(delays, keys))

    per_server = {}
    for server in servers:
        count = displays[server]
        per_server[f"server{server}"] = {
            "displays": count,
            "issue_to_display_ms": latency("ticket_issued", servers, [server]),
            "call_to_display_ms": latency("ticket_called", servers, [server]),
            "delivered": delivered[server],
            "expected": count * len(wanted),
            "stats_per_display_per_s": round(stats_received[server] / max(1, count) / seconds, 1),
            "final_stats_seen": f"{final_stats[server]}/{count}",
            "http_issue_ms": summary([a - s for o, _, s, a in issued if o == server]),
            "http_call_ms": summary([a - s for o, _, s, a in called if o == server]),
        }
    crossing = {
        f"{name} server{origin}→server{screen}": summary(delays[(name, origin, screen)])
        for name in ("ticket_issued", "ticket_called")
        for origin in servers
        for screen in servers
        if len(servers) > 1
    }
    behind = [late for _, log in day.kiosks for late in log.behind]
    errors: dict[str, int] = defaultdict(int)
    for _, log in day.kiosks + day.counters:
        for what, count in log.errors.items():
            errors[what] += count
    return {
        "processes": len(servers),
        "window": args.window,
        "tickets": len(issued),
        "kiosks": args.kiosks,
        "counters": args.counters,
        "displays": len(day.displays),
        "socketio_displays": args.socketio_displays,
        "serving_s": round(args.serving, 3),
        "day_seconds": round(seconds, 1),
        "tickets_per_s": rate([at - day.start for *_, at in issued], 0.0),
        "busiest_second_tickets": busiest_second([at - day.start for *_, at in issued]),
        "calls": len(called),
        "calls_per_s": rate([at - day.start for *_, at in called], 0.0),
        "finishes": len(finished),
        "longest_line": longest_line([at for *_, at in issued], [at for *_, at in called]),
        "behind_schedule_ms": summary(behind),
        "http_issue_ms": summary([a - s for _, _, s, a in issued]),
        "http_call_ms": summary([a - s for _, _, s, a in called]),
        "issue_to_display_ms": latency("ticket_issued", servers, servers),
        "call_to_display_ms": latency("ticket_called", servers, servers),
        "delivered": sum(delivered.values()),
        "expected": len(day.displays) * len(wanted),
        "duplicates": duplicates,
        "seq_holes": holes,
        "seq_out_of_order": out_of_order,
        "seq_most_displaced": displaced,
        "per_server": per_server,
        "crossing": crossing,
        "phones": measure_phones(day, answered, seq_of, server_of_port, seconds),
        "errors": dict(errors),
    }


def measure_phones(
    day: Day,
    answered: dict[tuple[str, str], tuple[int, float]],
    seq_of: dict[tuple[str, str], int],
    server_of_port: dict[int, int],
    seconds: float,
) -> dict[str, Any]:
    """A phone should get its ticket's call and finish if they came after it connected
    (their seq, known from the displays, above the log's end in its first stats)."""
    delays: dict[int, list[float]] = defaultdict(list)
    delivered = expected = states = 0
    for page in day.pages:
        ticket_id = page.ticket
        got = {(name, tid) for name, tid, _, _ in page.arrivals}
        for name in ("ticket_called", "ticket_updated"):
            seq = seq_of.get((name, ticket_id))
            if seq is not None and page.connected_seq is not None and seq > page.connected_seq:
                expected += 1
                delivered += (name, ticket_id) in got
        for name, tid, _, arrived in page.arrivals:
            if name == "ticket_called" and (name, tid) in answered:
                delays[server_of_port[page.port]].append(arrived - answered[(name, tid)][1])
        states += page.states
    return {
        "opened": len(day.pages),
        "failed": day.page_failures,
        "call_to_phone_ms": summary(pooled(delays, delays.keys())),
        "call_to_phone_ms_per_server": {
            f"server{server}": summary(values) for server, values in sorted(delays.items())
        },
        "delivered": delivered,
        "expected": expected,
        "ticket_state_per_phone": round(states / max(1, len(day.pages)), 1),
        "ticket_state_per_s": round(states / seconds, 1) if seconds else 0.0,
    }


def print_report(report: dict[str, Any]) -> None:
    def times(values: dict[str, float] | None) -> str:
        if not values:
            return "–"
        return f"p50 {values['p50']} ms, p99 {values['p99']} ms, max {values['max']} ms"

    pace = f"{report['window']} s window" if report["window"] else "flat out"
    print(
        f"busy day, {report['processes']} process(es), {pace}: {report['tickets']} tickets,"
        f" {report['kiosks']} kiosks, {report['counters']} counters (serving"
        f" {report['serving_s']} s), {report['displays']} displays"
        f" ({report['socketio_displays']} python-socketio), over {report['day_seconds']} s"
    )
    print(
        f"  tickets/s      {report['tickets_per_s']} (busiest second"
        f" {report['busiest_second_tickets']}; behind schedule"
        f" {times(report['behind_schedule_ms'])})"
    )
    print(
        f"  calls/s        {report['calls_per_s']} ({report['calls']} calls,"
        f" {report['finishes']} finished; longest line {report['longest_line']};"
        f" {report['waiting_at_end']} waiting, {report['called_at_end']} called at the end)"
    )
    print(f"  HTTP issue     {times(report['http_issue_ms'])}")
    print(f"  HTTP call      {times(report['http_call_ms'])}")
    print(f"  issue→display  {times(report['issue_to_display_ms'])}")
    print(f"  call→display   {times(report['call_to_display_ms'])}")
    print(
        f"  delivered      {report['delivered']} / {report['expected']}"
        f" ({report['duplicates']} twice, seq holes {report['seq_holes']};"
        f" {report['seq_out_of_order']} arrived after a"
        f" higher seq, by up to {report['seq_most_displaced']})"
    )
    usage = report["usage"]
    for name, figures in report["per_server"].items():
        print(
            f"  {name}        {figures['displays']} displays: issue→display"
            f" {times(figures['issue_to_display_ms'])}; call→display"
            f" {times(figures['call_to_display_ms'])}; delivered {figures['delivered']} /"
            f" {figures['expected']}; stats/s per display {figures['stats_per_display_per_s']},"
            f" final stats seen by {figures['final_stats_seen']}; HTTP issue"
            f" {times(figures['http_issue_ms'])}"
        )
    for name, figures in report["crossing"].items():
        print(f"  {name:37} {times(figures)}")
    phones = report["phones"]
    print(
        f"  phones         {phones['opened']} opened ({phones['failed']} failed): call→phone"
        f" {times(phones['call_to_phone_ms'])}; delivered {phones['delivered']} /"
        f" {phones['expected']}; ticket_state {phones['ticket_state_per_phone']} per phone"
    )
    for name in usage["cpu_seconds"]:
        print(
            f"  {name:14} CPU {usage['cpu_seconds'][name]} s ({usage['cpu_percent'][name]} %"
            f" of a core), peak RSS {usage['peak_rss_mb'][name]} MB"
        )
    clients = usage["client_cpu_percent"]
    print(
        f"  clients        kiosks+counters {clients['kiosks_counters']} %, displays"
        f" {clients['displays']} %, phones {clients['phones']} %; whole machine"
        f" {usage['machine_percent']} % of {100 * usage['cores']} % (interrupts"
        f" {usage['interrupts_percent']} %, other jobs {usage['other_percent']} %)"
    )
    if usage["background_percent"] > 10 or usage["other_percent"] > 15:
        print(
            f"  warning        the machine was {usage['background_percent']} % busy just"
            f" before the day and {usage['other_percent']} % busy during it with something"
            " else: these figures understate the servers"
        )
    if report["errors"]:
        print(f"  errors         {report['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument(
        "--window", type=float, default=60.0, help="seconds for 07:00-17:00; 0: flat out"
    )
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--counters", type=int, default=15)
    parser.add_argument("--displays", type=int, default=40)
    parser.add_argument("--socketio-displays", type=int, default=4)
    parser.add_argument(
        "--follow-every", type=int, default=10, help="a phone follows one ticket in N; 0: none"
    )
    parser.add_argument(
        "--serving", type=float, help="seconds a counter serves a citizen (default: see above)"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0.0,
        help="wait up to this many seconds (at most 30) for other jobs to leave the machine",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    if args.tickets < 1 or args.kiosks < 1 or args.counters < 1 or args.window < 0:
        parser.error("need a ticket, a kiosk, a counter and no negative window")
    if not 0 <= args.socketio_displays <= args.displays or args.follow_every < 0:
        parser.error("--socketio-displays is part of --displays; --follow-every >= 0")
    if args.processes > 1 and shutil.which("redis-server") is None:
        parser.error("two processes need redis-server (apt-get install redis-server)")
    if args.serving is None:
        args.serving = default_serving(args.tickets, args.window, args.counters)
    # a SIGTERM (timeout, kill) unwinds like Ctrl-C, so the servers and the folder go too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = run(args)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
