"""Routes of the counter pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from server.errors import NotFound
from server.line.counter_states import load_counter
from server.setup.center import setting
from server.web.request import db

# The templates and static files live in the `counter` package;
# its static files are served under /static/counter/.
blueprint = Blueprint(
    "counter",
    "counter",
    template_folder="templates",
    static_folder="static/counter",
    static_url_path="/static/counter",
)


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
        counter = load_counter(db(), counter_id)
    except NotFound:
        return render_template(
            "counter/rate_not_found.html", center_name=center_name, counter_id=counter_id
        ), 404
    return render_template("counter/rate.html", center_name=center_name, counter=counter)
