"""The announcement voice API: the clip vocabulary and the center's recorded clips."""

from __future__ import annotations

from flask import Blueprint

voice_api = Blueprint("voice_api", __name__)
