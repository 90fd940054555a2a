"""Routes of the counter pages."""

from __future__ import annotations

from flask import render_template

from counter import blueprint
from server.center import setting
from server.web import db


@blueprint.get("/counter")
def console() -> str:
    """The officer's console: login, counter choice, calls, outcomes, dossier returns."""
    center_name = setting(db(), "center_name", "motcua-queue")
    return render_template("counter/console.html", center_name=center_name)
