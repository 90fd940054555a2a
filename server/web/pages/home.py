"""The home page (/): the center's name and links to the public JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template_string

from server.web.request import db

blueprint = Blueprint("pages", __name__)

HOME = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ center }}</title>
<link rel="stylesheet" href="{{ url_for('static', filename='common/base.css') }}"></head>
<body class="home-page">
<h1>{{ center }}</h1>
<p>Hệ thống xếp hàng và gọi số — mô hình “Ngày Thứ năm không hẹn”.</p>
<ul>
  <li><a href="/api/procedures">Danh mục thủ tục (JSON)</a></li>
  <li><a href="/api/counters">Danh sách quầy (JSON)</a></li>
  <li><a href="/api/stats/today">Số liệu hôm nay (JSON)</a></li>
</ul>
</body></html>"""


@blueprint.get("/")
def home() -> Any:
    row = db().execute("SELECT value FROM settings WHERE key = 'center_name'").fetchone()
    return render_template_string(HOME, center=row[0] if row else "motcua-queue")
