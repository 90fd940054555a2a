"""The province's dashboard: every center side by side for a period, scored and ranked, and
the centers whose figures have stopped arriving.

Built from the hub's summary (`GET /api/hub/summary`: the province's `totals` and each
center's, with the keys of a center's report), so every figure means what it means in a
center's own report. The centers' score works like the officers' emulation ranking
(ranking.py): shares a center controls, each counted only from a minimum of cases, weighted
out of 100; CENTER_RANKING_RULES writes the formula in Vietnamese from the same constants, so
the text under the table and the computation cannot drift apart.

A center that has sent nothing for more than SILENCE_LIMIT is flagged "Chưa gửi số liệu" with
how long; it is not ranked when its silence began before the period ended, since its figures
for the period may be incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from server.reporting.periods import Period
from server.reporting.reports import dossiers_returned, ratings_given, share

# The centers' score: weights of the criteria (shares from 0 to 1), out of 100 points.
CENTER_WEIGHTS = {"on_time": 40, "on_the_spot": 30, "satisfaction": 30}
CENTER_MINIMUM_ISSUED = 50  # tickets issued in the period to be ranked at all
CENTER_MINIMUM_SAMPLE = 10  # cases a criterion needs to count for a center
SILENCE_LIMIT = timedelta(days=1)
CENTER_CRITERIA = {
    "on_time": "tỷ lệ hồ sơ trả trước hạn và đúng hạn",
    "on_the_spot": "tỷ lệ giải quyết ngay phiếu không hẹn",
    "satisfaction": "tỷ lệ hài lòng",
}
CENTER_RANKING_RULES = (
    "Điểm xếp hạng trung tâm (thang 100) = "
    + " + ".join(f"{weight} × {CENTER_CRITERIA[key]}" for key, weight in CENTER_WEIGHTS.items())
    + ".",
    "Tỷ lệ đúng hạn = hồ sơ trả trước hạn và đúng hạn / hồ sơ hẹn trả đã trả kết quả trong kỳ; "
    "tỷ lệ giải quyết ngay = phiếu không hẹn giải quyết ngay / phiếu không hẹn đã phục vụ xong; "
    "tỷ lệ hài lòng = lượt “Rất hài lòng” và “Hài lòng” / lượt đánh giá tại quầy.",
    f"Một tiêu chí chỉ được tính khi có ít nhất {CENTER_MINIMUM_SAMPLE} lượt; khi có tiêu chí "
    "không đủ lượt, điểm được tính trên tổng trọng số của các tiêu chí còn lại rồi quy về "
    "thang 100.",
    f"Chỉ xếp hạng trung tâm có ít nhất {CENTER_MINIMUM_ISSUED} phiếu đã cấp trong kỳ và đã gửi "
    "đủ số liệu của kỳ. Điểm bằng nhau: xếp trên trung tâm phục vụ xong nhiều lượt hơn.",
)


@dataclass(frozen=True)
class CenterRow:
    """A center on the dashboard: its figures (`totals`, a center report's keys), each
    criterion's (good cases, cases) and share (None under the minimum), its score and rank
    (None when not ranked, with the reason), and its silence (None while it sends)."""

    id: str
    name: str
    last_received_at: datetime | None
    totals: dict[str, Any]
    samples: dict[str, tuple[int, int]]
    criteria: dict[str, float | None]
    score: float | None
    silence: str | None
    reason: str = ""
    rank: int | None = None

    @property
    def silent(self) -> bool:
        return self.silence is not None


@dataclass(frozen=True)
class Dashboard:
    """The period, the province's totals, the ranked centers (best first) and the others
    (by name), and the moment it was made."""

    period: Period
    totals: dict[str, Any]
    ranked: list[CenterRow]
    unranked: list[CenterRow]
    now: datetime

    @property
    def centers(self) -> list[CenterRow]:
        return self.ranked + self.unranked

    @property
    def silent(self) -> list[CenterRow]:
        return [row for row in self.centers if row.silent]


def criteria_samples(totals: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Each criterion's (good cases, cases) from a report's totals."""
    ratings = totals["ratings"]
    return {
        "on_time": (
            totals["dossiers_early"] + totals["dossiers_on_time"],
            dossiers_returned(totals),
        ),
        "on_the_spot": (totals["no_appointment_resolved"], totals["no_appointment_finished"]),
        "satisfaction": (ratings["very_satisfied"] + ratings["satisfied"], ratings_given(totals)),
    }


def silence_text(since: datetime | None, now: datetime) -> str | None:
    """None while the center sends; otherwise how long it has not ("Chưa gửi số liệu 3 ngày
    5 giờ", "Chưa gửi số liệu lần nào")."""
    if since is None:
        return "Chưa gửi số liệu lần nào"
    quiet = now - since
    if quiet <= SILENCE_LIMIT:
        return None
    return f"Chưa gửi số liệu {quiet.days} ngày {quiet.seconds // 3600} giờ"


def received_at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def center_row(center: dict[str, Any], period: Period, now: datetime) -> CenterRow:
    totals = center["totals"]
    last = received_at(center.get("last_received_at"))
    silence = silence_text(last, now)
    samples = criteria_samples(totals)
    criteria = {
        key: share(good, cases) if cases >= CENTER_MINIMUM_SAMPLE else None
        for key, (good, cases) in samples.items()
    }
    weights = {key: CENTER_WEIGHTS[key] for key, value in criteria.items() if value is not None}
    period_over = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), now.tzinfo)
    reason = ""
    if silence is not None and (last is None or last < min(period_over, now)):
        reason = silence
    elif totals["issued"] < CENTER_MINIMUM_ISSUED:
        reason = f"Dưới {CENTER_MINIMUM_ISSUED} phiếu đã cấp"
    elif not weights:
        reason = f"Chưa tiêu chí nào đủ {CENTER_MINIMUM_SAMPLE} lượt"
    score = None
    if not reason:
        weighted = sum(weight * (criteria[key] or 0.0) for key, weight in weights.items())
        score = round(100 * weighted / sum(weights.values()), 1)
    return CenterRow(
        id=center["id"],
        name=center["name"],
        last_received_at=last,
        totals=totals,
        samples=samples,
        criteria=criteria,
        score=score,
        silence=silence,
        reason=reason,
    )


def dashboard(summary: dict[str, Any], period: Period, now: datetime) -> Dashboard:
    """The dashboard of the hub's summary for `period`, as seen at `now` (aware)."""
    rows = [center_row(center, period, now) for center in summary["centers"]]
    ranked = sorted(
        (row for row in rows if row.score is not None),
        key=lambda row: (-(row.score or 0), -row.totals["finished"], row.name),
    )
    unranked = sorted((row for row in rows if row.score is None), key=lambda row: row.name)
    numbered = [replace(row, rank=place) for place, row in enumerate(ranked, 1)]
    return Dashboard(period, summary["totals"], numbered, unranked, now)
