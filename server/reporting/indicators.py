"""The indicators a province scores its one-stop centers on, each with its formula written out,
its numerator and its denominator, so a leader can check the figure and say how it was made.

Decision 766/QĐ-TTg (2022) defines two of them: the on-time rate ((early + on time) /
resolved dossiers) and the satisfaction rate ((resolved dossiers − those rated "không hài
lòng" or late) / resolved dossiers; it also subtracts complaints, which the queue does not
record). The others are the center's own: the early and late rates, the satisfaction of the
ratings given at the counter, and the model's no-appointment rate. "Resolved dossiers" are
those of the dossier table (dossier_table.py): appointment dossiers returned in the period
and tickets resolved on the spot.
"""

from __future__ import annotations

from typing import Any

from server.reporting.dossier_table import DossierTable

DECISION_766 = "Quyết định số 766/QĐ-TTg"
RESOLVED = "Tổng số hồ sơ đã giải quyết"


def indicator(
    key: str, label: str, numerator: int, denominator: int, formula: str, source: str = ""
) -> dict[str, Any]:
    """One indicator; `value` is numerator / denominator to 4 places, None without cases."""
    return {
        "key": key,
        "label": label,
        "numerator": numerator,
        "denominator": denominator,
        "value": round(numerator / denominator, 4) if denominator else None,
        "formula": formula,
        "source": source,
    }


def indicators(totals: dict[str, Any], table: DossierTable) -> list[dict[str, Any]]:
    """The indicators of a report, in a fixed order, from its `totals` and its dossier table."""
    dossiers = table.totals
    resolved = dossiers["resolved_total"]
    early, on_time, late = (
        dossiers["resolved_early"],
        dossiers["resolved_on_time"],
        dossiers["resolved_late"],
    )
    ratings = totals["ratings"]
    return [
        indicator(
            "on_time_rate",
            "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
            early + on_time,
            resolved,
            f"(Số hồ sơ giải quyết trước hạn + Số hồ sơ giải quyết đúng hạn) / {RESOLVED} × 100%",
            DECISION_766,
        ),
        indicator(
            "early_rate",
            "Tỷ lệ hồ sơ giải quyết trước hạn",
            early,
            resolved,
            f"Số hồ sơ giải quyết trước hạn / {RESOLVED} × 100%",
        ),
        indicator(
            "late_rate",
            "Tỷ lệ hồ sơ giải quyết quá hạn",
            late,
            resolved,
            f"Số hồ sơ giải quyết quá hạn / {RESOLVED} × 100%",
        ),
        indicator(
            "satisfaction_rate",
            "Tỷ lệ đánh giá hài lòng tại quầy",
            ratings["very_satisfied"] + ratings["satisfied"],
            sum(ratings.values()),
            "(Số lượt rất hài lòng + Số lượt hài lòng) / Tổng số lượt đánh giá × 100%",
        ),
        indicator(
            "satisfaction_rate_766",
            "Tỷ lệ hài lòng về giải quyết hồ sơ",
            resolved - table.resolved_late_or_unsatisfied,
            resolved,
            f"({RESOLVED} − Số hồ sơ bị đánh giá không hài lòng hoặc giải quyết quá hạn, "
            f"mỗi hồ sơ tính một lần) / {RESOLVED} × 100%",
            DECISION_766,
        ),
        indicator(
            "no_appointment_rate",
            "Tỷ lệ giải quyết ngay của phiếu không hẹn",
            totals["no_appointment_resolved"],
            totals["no_appointment_finished"],
            "Số phiếu không hẹn giải quyết ngay tại chỗ / Số phiếu không hẹn đã phục vụ xong "
            "× 100%",
        ),
    ]
