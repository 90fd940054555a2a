"""The lobby TV (/display), a counter's small screen (/display/counter/<id>) and the page
where staff record the announcement voice (/admin/voice).

Templates and static files only; the data comes from the JSON API and live events.
"""

from flask import Blueprint

# display/static/display/x.js is served at /static/display/x.js.
blueprint = Blueprint(
    "display", __name__, template_folder="templates", static_folder="static/display",
    static_url_path="/static/display",
)  # fmt: skip

from display import views  # noqa: E402, F401  (registers the routes)
