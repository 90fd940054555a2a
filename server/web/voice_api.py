"""The announcement voice API: the clip vocabulary and the center's recorded clips.

GET /api/voice tells a screen which clip set it can use; admins record clips through
PUT/DELETE /api/voice/clips/<key>; the audio itself is served under /voice/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_from_directory

from server.voice import clips
from server.voice.clips import MAX_CLIP_BYTES
from server.web.request import current_user, db, login_required, services

voice_api = Blueprint("voice_api", __name__)


def espeak_folder() -> Path:
    """Absolute: Flask would take a relative folder as relative to the package."""
    return clips.espeak_folder(services().settings.database).absolute()


@voice_api.get("/api/voice")
def voice() -> Any:
    return jsonify(clips.voice_status(db(), espeak_folder()))


@voice_api.put("/api/voice/clips/<key>")
@login_required("admin")
def put_clip(key: str) -> Any:
    clips.require_key(key)
    if (request.content_length or 0) > MAX_CLIP_BYTES:
        raise clips.AudioTooLarge("Đoạn âm thanh quá lớn (tối đa 1 MB): hãy ghi ngắn lại.")
    request.max_content_length = MAX_CLIP_BYTES
    audio = request.get_data(cache=False)
    clips.save_clip(db(), services().clock, key, request.mimetype, audio, current_user().id)
    return jsonify(clips.clip_entries(db(), espeak_folder(), only=key)[0])


@voice_api.delete("/api/voice/clips/<key>")
@login_required("admin")
def delete_clip(key: str) -> Any:
    clips.delete_clip(db(), services().clock, key, current_user().id)
    return "", 204


@voice_api.get("/voice/recorded/<key>")
def recorded(key: str) -> Any:
    clip = clips.recorded_clip(db(), clips.require_key(key))
    if clip is None:
        return "Đoạn này chưa được ghi âm.", 404
    mime_type, audio = clip
    return Response(audio, mimetype=mime_type, headers={"Cache-Control": "no-cache"})


@voice_api.get("/voice/espeak/<key>.wav")
def espeak(key: str) -> Any:
    clips.require_key(key)
    return send_from_directory(espeak_folder(), f"{key}.wav", mimetype="audio/wav")
