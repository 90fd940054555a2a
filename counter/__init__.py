"""The officer's counter console (/counter).

Templates and static files only; the data comes from the JSON API and live events.
"""

from flask import Blueprint

# counter/static/counter/x.js is served at /static/counter/x.js.
blueprint = Blueprint(
    "counter", __name__, template_folder="templates", static_folder="static/counter",
    static_url_path="/static/counter",
)  # fmt: skip

from counter import views  # noqa: E402, F401  (registers the routes)
