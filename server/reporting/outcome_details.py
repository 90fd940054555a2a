"""What the officers wrote down about the services that ended without a result: the
documents citizens were missing (supplement) and why dossiers were refused, counted per
procedure over a period, most frequent first. They tell a leader which checklist to explain
better at the kiosk and on the portal."""

from __future__ import annotations

from typing import Any

from server.reporting.periods import Period
from server.storage.db import Database, rows_as_dicts


def missing_documents(db: Database, period: Period) -> list[dict[str, Any]]:
    """[{procedure_id, document, count}] over the supplements of the period."""
    return rows_as_dicts(
        db,
        """SELECT t.procedure_id, missing.value AS document, count(*) AS count
           FROM tickets t, json_each(t.missing_documents) AS missing
           WHERE t.day BETWEEN ? AND ? AND t.outcome = 'supplement'
           GROUP BY t.procedure_id, missing.value
           ORDER BY count DESC, t.procedure_id, document""",
        [period.start.isoformat(), period.end.isoformat()],
    )


def refusal_reasons(db: Database, period: Period) -> list[dict[str, Any]]:
    """[{procedure_id, reason, count}] over the refusals of the period that gave a reason."""
    return rows_as_dicts(
        db,
        """SELECT procedure_id, outcome_reason AS reason, count(*) AS count FROM tickets
           WHERE day BETWEEN ? AND ? AND outcome = 'refused' AND outcome_reason IS NOT NULL
           GROUP BY procedure_id, outcome_reason
           ORDER BY count DESC, procedure_id, reason""",
        [period.start.isoformat(), period.end.isoformat()],
    )
