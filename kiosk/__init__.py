"""The citizen's pages: the touchscreen kiosk (/kiosk) and a ticket's live page (/t/<id>).

Templates and static files only; the data comes from the JSON API and live events.
"""

from flask import Blueprint

blueprint = Blueprint(
    "kiosk", __name__, template_folder="templates", static_folder="static",
    static_url_path="/static/kiosk",
)  # fmt: skip

from kiosk import views  # noqa: E402, F401  (registers the routes)
