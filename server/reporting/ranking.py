"""The officers' emulation ranking ("bình xét thi đua") of an evaluation period.

A fair, explainable score out of 100 from three shares an officer controls, minus a penalty
for late dossiers, with minimum volumes so that a handful of lucky services never ranks first.
RANKING_RULES is the formula in Vietnamese, printed under the ranking: it is built from the
same constants as the computation, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from server.reporting.reports import dossiers_returned, ratings_given, share

# The emulation score: weights of the criteria (shares from 0 to 1), out of 100 points.
WEIGHTS = {"on_the_spot": 40, "on_time": 30, "satisfaction": 30}
LATE_PENALTY = 2  # points per dossier returned late
MAXIMUM_PENALTY = 20
MINIMUM_FINISHED = 20  # finished tickets in the period to be ranked at all
MINIMUM_SAMPLE = 5  # cases a criterion needs to count for an officer
CRITERIA_NAMES = {
    "on_the_spot": "tỷ lệ giải quyết ngay phiếu không hẹn",
    "on_time": "tỷ lệ hồ sơ trả đúng hạn hoặc trước hạn",
    "satisfaction": "tỷ lệ hài lòng",
}
RANKING_RULES = (
    "Điểm thi đua (thang 100) = "
    + " + ".join(f"{weight} × {CRITERIA_NAMES[key]}" for key, weight in WEIGHTS.items())
    + f" − {LATE_PENALTY} điểm cho mỗi hồ sơ trả quá hạn (trừ tối đa {MAXIMUM_PENALTY} điểm).",
    "Tỷ lệ giải quyết ngay = phiếu không hẹn giải quyết ngay / phiếu không hẹn đã phục vụ xong; "
    "tỷ lệ đúng hạn = hồ sơ trả trước hạn và đúng hạn / hồ sơ đã trả trong kỳ; "
    "tỷ lệ hài lòng = lượt “Rất hài lòng” và “Hài lòng” / lượt đánh giá.",
    f"Một tiêu chí chỉ được tính khi có ít nhất {MINIMUM_SAMPLE} lượt; khi có tiêu chí không đủ "
    "lượt, điểm được tính trên tổng trọng số của các tiêu chí còn lại rồi quy về thang 100.",
    f"Chỉ xếp hạng cán bộ có ít nhất {MINIMUM_FINISHED} lượt phục vụ xong trong kỳ. "
    "Điểm bằng nhau: xếp trên người phục vụ xong nhiều lượt hơn.",
)


@dataclass(frozen=True)
class OfficerScore:
    """An officer's place in the emulation review: id, name, finished tickets, each
    criterion's share (None when it has too few cases to count), late dossiers, the penalty,
    the score (None when not ranked), the rank, and why not ranked."""

    id: int
    name: str
    finished: int
    criteria: dict[str, float | None]
    samples: dict[str, tuple[int, int]]  # criterion → (good cases, cases)
    late: int
    penalty: int
    score: float | None
    rank: int | None = None
    reason: str = ""


def score_officer(row: dict[str, Any]) -> OfficerScore:
    samples = {
        "on_the_spot": (row["no_appointment_resolved"], row["no_appointment_finished"]),
        "on_time": (row["dossiers_early"] + row["dossiers_on_time"], dossiers_returned(row)),
        "satisfaction": (
            row["ratings"]["very_satisfied"] + row["ratings"]["satisfied"],
            ratings_given(row),
        ),
    }
    criteria = {
        key: share(good, cases) if cases >= MINIMUM_SAMPLE else None
        for key, (good, cases) in samples.items()
    }
    penalty = min(LATE_PENALTY * row["dossiers_late"], MAXIMUM_PENALTY)
    weights = {key: WEIGHTS[key] for key, value in criteria.items() if value is not None}
    reason = ""
    if row["finished"] < MINIMUM_FINISHED:
        reason = f"Dưới {MINIMUM_FINISHED} lượt phục vụ xong"
    elif not weights:
        reason = f"Chưa tiêu chí nào đủ {MINIMUM_SAMPLE} lượt"
    score = None
    if not reason:
        weighted = sum(weight * (criteria[key] or 0.0) for key, weight in weights.items())
        score = round(max(0.0, 100 * weighted / sum(weights.values()) - penalty), 1)
    return OfficerScore(
        id=row["id"],
        name=row["name"],
        finished=row["finished"],
        criteria=criteria,
        samples=samples,
        late=row["dossiers_late"],
        penalty=penalty,
        score=score,
        reason=reason,
    )


def rank_officers(rows: list[dict[str, Any]]) -> tuple[list[OfficerScore], list[OfficerScore]]:
    """The ranked officers, best first, and those not ranked (too few cases), by name."""
    scores = [score_officer(row) for row in rows]
    ranked = sorted(
        (s for s in scores if s.score is not None),
        key=lambda s: (-(s.score or 0), -s.finished, s.name),
    )
    unranked = sorted((s for s in scores if s.score is None), key=lambda s: s.name)
    numbered = [replace(s, rank=place) for place, s in enumerate(ranked, 1)]
    return numbered, unranked
