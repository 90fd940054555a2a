"""The route of the admin page. Anyone gets the page (with its login form); a logged-in
officer gets it as a 403 that says, in Vietnamese, that the page is for admins."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from server.setup.center import setting
from server.web.request import current_user, db

# Its template is server/templates/admin/, its script and style server/static/admin/.
blueprint = Blueprint("admin", __name__)


@blueprint.get("/admin")
def admin_page() -> Any:
    user = current_user()
    forbidden = user is not None and not user.may("admin")
    page = render_template(
        "admin/admin.html",
        center_name=setting(db(), "center_name"),
        forbidden_user=user.username if forbidden and user else None,
    )
    return (page, 403) if forbidden else page
