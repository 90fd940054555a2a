"""A center's facts made up for the hub (the wire format of `POST /api/hub/facts`): a small
catalog, counters and officers, then days of tickets with their dossiers, apologies and
counters' changes, all from a seeded random generator, so the province's page tests and the
benchmark (bench/hub.py) load realistic data without running centers. `send` posts them in
batches over one keep-alive connection."""

from __future__ import annotations

import http.client
import json
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

ZONE = timezone(timedelta(hours=7))
BATCH = 1000
FIELDS = [("F1", "Hộ tịch", "A"), ("F2", "Đất đai", "B"), ("F3", "Chứng thực", "C")]
PROCEDURES = [  # id, short name, field, processing days, no appointment, online help
    ("P1", "Khai sinh", "F1", 0, True, False),
    ("P2", "Kết hôn", "F1", 3, False, True),
    ("P3", "Đăng ký đất đai", "F2", 10, False, True),
    ("P4", "Chứng thực bản sao", "F3", 0, True, False),
]
COUNTERS = 4
OFFICERS = 5


def at(day: date, seconds: float) -> str:
    """A time of `day` as the center stores it: ISO 8601 with the zone's offset."""
    moment = datetime.combine(day, time(7, 30), ZONE) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="seconds")


def catalog_facts() -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    for position, (ident, name, letter) in enumerate(FIELDS):
        data = {"id": ident, "name": name, "letter": letter, "position": position}
        facts.append({"kind": "field", "key": ident, "data": data})
    for position, (ident, short, field, days, no_appointment, online) in enumerate(PROCEDURES):
        data = {
            "id": ident,
            "short_name": short,
            "field_id": field,
            "processing_days": days,
            "no_appointment": no_appointment,
            "online_help": online,
            "position": position,
        }
        facts.append({"kind": "procedure", "key": ident, "data": data})
    for number in range(1, COUNTERS + 1):
        data = {"id": number, "name": f"Quầy {number}"}
        facts.append({"kind": "counter", "key": str(number), "data": data})
    for number in range(1, OFFICERS + 1):
        data = {"id": number, "name": f"Cán bộ {number}"}
        facts.append({"kind": "officer", "key": str(number), "data": data})
    return facts


def day_facts(
    rng: random.Random, day: date, first_id: int, tickets: int, quality: float = 0.8
) -> list[dict[str, Any]]:
    """A day's tickets (ids from `first_id`), each finished or absent, their dossiers
    (returned early, on time or late by `quality`), apologies and counters opened."""
    facts: list[dict[str, Any]] = []
    for counter in range(1, COUNTERS + 1):
        ident = (first_id + counter) * 10
        data = {"id": ident, "counter_id": counter, "day": day.isoformat(), "at": at(day, 0),
                "state": "open", "pause_reason": None}  # fmt: skip
        facts.append({"kind": "counter_change", "key": str(ident), "data": data})
    numbers: dict[str, int] = {}
    for index in range(tickets):
        ident = first_id + index
        procedure, _, field, days, no_appointment, _ = rng.choice(PROCEDURES)
        letter = next(f[2] for f in FIELDS if f[0] == field)
        numbers[letter] = numbers.get(letter, 0) + 1
        issued = index * 90 + rng.randint(0, 60)
        called = issued + rng.randint(60, 1800)
        finished = called + rng.randint(120, 900)
        absent = rng.random() < 0.05
        outcome = None if absent else ("resolved" if days == 0 else "appointment")
        if not absent and rng.random() < 0.05:
            outcome = rng.choice(["supplement", "advice", "refused"])
        rating = None
        if outcome and rng.random() < 0.6:
            rating = "very_satisfied" if rng.random() < quality else rng.choice(
                ["satisfied", "unsatisfied"]
            )  # fmt: skip
        counter = rng.randint(1, COUNTERS)
        data = {
            "id": ident,
            "day": day.isoformat(),
            "number": numbers[letter],
            "procedure_id": procedure,
            "status": "no_show" if absent else "finished",
            "priority": "elderly" if rng.random() < 0.05 else None,
            "no_appointment": no_appointment and day.weekday() == 3,
            "channel": rng.choice(["kiosk", "kiosk", "kiosk", "remote", "booking"]),
            "counter_id": counter,
            "officer_id": counter,
            "issued_at": at(day, issued),
            "called_at": at(day, called),
            "finished_at": None if absent else at(day, finished),
            "outcome": outcome,
            "rating": rating,
            "corrected_at": None,
            "missing_documents": ["Bản sao giấy tờ tùy thân"] if outcome == "supplement" else None,
            "outcome_reason": "Không thuộc thẩm quyền" if outcome == "refused" else None,
        }
        facts.append({"kind": "ticket", "key": str(ident), "data": data})
        if outcome != "appointment":
            continue
        code = f"{day:%y%m%d}-{ident}"
        due = day + timedelta(days=days)
        draw = rng.random()
        late = draw > quality + (1 - quality) / 2
        returned = due + timedelta(days=2 if late else (-1 if draw < quality / 2 else 0))
        timeliness = "late" if late else ("early" if returned < due else "on_time")
        dossier = {"code": code, "ticket_id": ident, "procedure_id": procedure,
                   "received_at": at(day, finished), "due_date": due.isoformat(),
                   "returned_at": at(returned, 3600), "timeliness": timeliness}  # fmt: skip
        facts.append({"kind": "dossier", "key": code, "data": dossier})
        if late:
            apology = {"id": ident, "dossier_code": code, "apologized_at": at(due, 1800),
                       "new_due_date": returned.isoformat(), "days_late": 2}  # fmt: skip
            facts.append({"kind": "apology", "key": str(ident), "data": apology})
    return facts


def center_facts(
    seed: int, days: list[date], tickets_per_day: int, quality: float = 0.8, first_day: int = 0
) -> Iterator[dict[str, Any]]:
    """The catalog, then each day's facts, ticket ids running on across the days; a later
    load for the same center passes `first_day` past the days already sent, so its ids do
    not replace theirs."""
    rng = random.Random(seed)
    yield from catalog_facts()
    for number, day in enumerate(days, first_day):
        yield from day_facts(rng, day, number * tickets_per_day * 2 + 1, tickets_per_day, quality)


def batches(facts: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for fact in facts:
        batch.append(fact)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send(hub_url: str, token: str, center: dict[str, str], facts: Iterator[dict[str, Any]]) -> int:
    """Post the facts in batches of BATCH over one connection, as a center's sender does;
    the number of facts the hub stored. Any answer but 200 raises."""
    address = urlsplit(hub_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    stored = 0
    try:
        for through, batch in enumerate(batches(facts), 1):
            body = json.dumps({"center": center, "through": through, "facts": batch})
            connection.request("POST", "/api/hub/facts", body.encode(), headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                raise RuntimeError(f"hub answered {response.status}: {answer[:300]!r}")
            stored += json.loads(answer)["stored"]
    finally:
        connection.close()
    return stored


def register_and_send(
    hub: Any, centers: dict[str, tuple[str, float, bool]], days: list[date], tickets: int
) -> None:
    """Register each center (id → name, quality of service, whether it sends) on a LiveHub
    as the operator does, and send the days of those that send, each from its own seed."""
    for seed, (center_id, (name, quality, sends)) in enumerate(centers.items()):
        token = hub.add_center(center_id, name)
        if sends:
            center = {"id": center_id, "name": name}
            send(hub.url, token, center, center_facts(seed, days, tickets, quality))
