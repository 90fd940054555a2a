"""Routes of the counter pages."""

from __future__ import annotations

from typing import Any

from flask import render_template

from counter import blueprint
from server.center import setting
from server.errors import NotFound
from server.routing import counter_row
from server.web import db


@blueprint.get("/counter")
def console() -> str:
    """The officer's console: login, counter choice, calls, outcomes, dossier returns."""
    center_name = setting(db(), "center_name", "motcua-queue")
    return render_template("counter/console.html", center_name=center_name)


@blueprint.get("/rate/<int:counter_id>")
def rating_tablet(counter_id: int) -> Any:
    """The tablet facing the citizen at a counter: rate the service just received there."""
    center_name = setting(db(), "center_name", "motcua-queue")
    try:
        counter = counter_row(db(), counter_id)
    except NotFound:
        return render_template(
            "counter/rate_not_found.html", center_name=center_name, counter_id=counter_id
        ), 404
    return render_template("counter/rate.html", center_name=center_name, counter=counter)
