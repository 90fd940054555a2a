"""The leader's evaluation page (/reports): the review of the "Ngày Thứ năm không hẹn" model for
a month, a quarter or any range, rendered on the server and printable on A4.

The figures come from server/evaluation.py; this package only formats and lays them out.
"""

from flask import Blueprint

# reports/static/reports/x.css is served at /static/reports/x.css.
blueprint = Blueprint(
    "reports", __name__, template_folder="templates", static_folder="static/reports",
    static_url_path="/static/reports",
)  # fmt: skip

from reports import views  # noqa: E402, F401  (registers the routes)
