"""Routes of the display pages: the lobby TV, a counter's small screen, the voice recording page.

The pages get their data from the JSON API and the live events; the views only hand the
template the center's name (and the counter's).
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from display import blueprint
from server.center import setting
from server.errors import NotFound
from server.routing import counter_row
from server.web import db


@blueprint.get("/display")
def tv() -> Any:
    return render_template("display/tv.html", center_name=setting(db(), "center_name"))


@blueprint.get("/display/counter/<int:counter_id>")
def counter_screen(counter_id: int) -> Any:
    center_name = setting(db(), "center_name")
    try:
        counter = counter_row(db(), counter_id)
    except NotFound:
        return render_template(
            "display/counter_not_found.html", center_name=center_name, counter_id=counter_id
        ), 404
    return render_template("display/counter.html", center_name=center_name, counter=counter)


@blueprint.get("/admin/voice")
def voice_admin() -> Any:
    return render_template("display/voice_admin.html", center_name=setting(db(), "center_name"))
