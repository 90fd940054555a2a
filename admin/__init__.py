"""The admin pages (/admin): the center, its calendar, fields, procedures, counters, accounts,
printers and the audit log, for a center's admin who is not technical.

Templates and static files only; the data comes from the admin JSON API (/api/admin).
"""

from flask import Blueprint

# admin/static/admin/x.js is served at /static/admin/x.js.
blueprint = Blueprint(
    "admin", __name__, template_folder="templates", static_folder="static/admin",
    static_url_path="/static/admin",
)  # fmt: skip

from admin import views  # noqa: E402, F401  (registers the routes)
