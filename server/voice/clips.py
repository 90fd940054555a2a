"""The clips a screen plays: the center's own recordings (in the database) and the espeak-ng
stopgap rendered at install time (files next to the database).

A recorded clip is one row of voice_clips per vocabulary key; a screen uses the recorded
set only once every key has one. The espeak clips live in <database folder>/voice/espeak/,
one <key>.wav each, written by `motcua voice render-espeak`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from server.clock import Clock, iso
from server.errors import DomainError, InvalidInput, NotFound
from server.setup.audit import audited_change
from server.storage.db import Database, rows_as_dicts
from server.vocabulary import AUDIO_TYPES
from server.voice.announcement import VOCABULARY, announcement

MAX_CLIP_BYTES = 1024 * 1024  # one word, spoken: also a CHECK of the voice_clips table
TYPE_ALIASES = {"audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/mp3": "audio/mpeg"}
ESPEAK_VOICE = "vi"
ESPEAK_SPEED = 125  # words per minute; slower than espeak's 175 (bench/voice_wer.py)
SAMPLE_CALL = ("A025", 3)


class AudioTooLarge(DomainError):
    status = 413
    code = "audio_too_large"


def espeak_folder(database: Path) -> Path:
    return Path(database).parent / "voice" / "espeak"


def require_key(key: str) -> str:
    if key not in VOCABULARY:
        raise NotFound(f"Không có đoạn âm thanh '{key[:60]}' trong bộ từ gọi số.", "clip_not_found")
    return key


def looks_like(mime_type: str, audio: bytes) -> bool:
    """Whether the bytes start the way a file of this type does."""
    if mime_type == "audio/webm":
        return audio.startswith(b"\x1a\x45\xdf\xa3")
    if mime_type == "audio/ogg":
        return audio.startswith(b"OggS")
    if mime_type == "audio/wav":
        return audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    return audio.startswith(b"ID3") or (len(audio) > 1 and audio[0] == 0xFF and audio[1] >= 0xE0)


def check_audio(mime_type: str, audio: bytes) -> str:
    """The canonical type of an acceptable clip, or the refusal saying what is wrong."""
    canonical = TYPE_ALIASES.get(mime_type, mime_type)
    if canonical not in AUDIO_TYPES:
        raise InvalidInput(
            f"Định dạng âm thanh không được hỗ trợ: '{mime_type[:60] or 'không rõ'}' "
            "(dùng audio/webm, audio/ogg, audio/wav hoặc audio/mpeg).",
            "invalid_audio_type",
        )
    if not audio:
        raise InvalidInput("Tệp âm thanh trống.", "empty_audio")
    if len(audio) > MAX_CLIP_BYTES:
        raise AudioTooLarge("Đoạn âm thanh quá lớn (tối đa 1 MB): hãy ghi ngắn lại.")
    if not looks_like(canonical, audio):
        raise InvalidInput(f"Dữ liệu gửi lên không phải tệp {canonical} hợp lệ.", "invalid_audio")
    return canonical


def save_clip(
    db: Database, clock: Clock, key: str, mime_type: str, audio: bytes, user_id: int
) -> None:
    """Store (or replace) the center's recording of one vocabulary clip. The TVs hear of it
    at once (setup_changed "voice") and switch to the recorded voice once all are there."""
    require_key(key)
    canonical = check_audio(mime_type, audio)
    with audited_change(db, clock, user_id, "voice.record", "voice") as change:
        before = clip_summary(db, key)
        db.execute(
            """INSERT INTO voice_clips (key, mime_type, audio, recorded_at, recorded_by)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET mime_type = excluded.mime_type,
                 audio = excluded.audio, recorded_at = excluded.recorded_at,
                 recorded_by = excluded.recorded_by""",
            [key, canonical, audio, iso(clock.now()), user_id],
        )
        change.record(f"voice:{key}", before=before, after=clip_summary(db, key))


def delete_clip(db: Database, clock: Clock, key: str, user_id: int) -> None:
    """Forget the recording of one clip: the TVs fall back to the next voice at once."""
    require_key(key)
    with audited_change(db, clock, user_id, "voice.delete", "voice") as change:
        before = clip_summary(db, key)
        db.execute("DELETE FROM voice_clips WHERE key = ?", [key])
        if before is not None:
            change.record(f"voice:{key}", before=before)


def clip_summary(db: Database, key: str) -> dict[str, Any] | None:
    """What the audit log keeps of a recording: its type and size, never the audio."""
    row = db.execute(
        "SELECT mime_type, length(audio) FROM voice_clips WHERE key = ?", [key]
    ).fetchone()
    return {"mime_type": row[0], "bytes": row[1]} if row else None


def recorded_clip(db: Database, key: str) -> tuple[str, bytes] | None:
    """(mime type, audio) of a recorded clip, or None."""
    row = db.execute("SELECT mime_type, audio FROM voice_clips WHERE key = ?", [key]).fetchone()
    return (row[0], bytes(row[1])) if row else None


def clip_entries(db: Database, espeak: Path | None, only: str | None = None) -> list[dict]:
    """Each vocabulary clip with its text, whether and when it was recorded, and its URLs."""
    recorded = {
        row["key"]: row
        for row in rows_as_dicts(
            db,
            """SELECT c.key, c.mime_type, c.recorded_at, length(c.audio) AS size,
                      u.username AS recorded_by
               FROM voice_clips c LEFT JOIN users u ON u.id = c.recorded_by""",
        )
    }
    entries = []
    for key, text in VOCABULARY.items():
        if only is not None and key != only:
            continue
        row = recorded.get(key)
        version = f"{re.sub(r'[^0-9]', '', row['recorded_at'][:19])}-{row['size']}" if row else ""
        has_espeak = espeak is not None and (espeak / f"{key}.wav").is_file()
        entries.append(
            {
                "key": key,
                "text": text,
                "recorded": row is not None,
                "mime_type": row["mime_type"] if row else None,
                "recorded_at": row["recorded_at"] if row else None,
                "recorded_by": row["recorded_by"] if row else None,
                "url": f"/voice/recorded/{key}?v={version}" if row else None,
                "espeak_url": f"/voice/espeak/{key}.wav" if has_espeak else None,
            }
        )
    return entries


def voice_status(db: Database, espeak: Path) -> dict[str, Any]:
    """What GET /api/voice answers: the vocabulary, what is recorded, what espeak covers."""
    clips = clip_entries(db, espeak)
    recorded = sum(clip["recorded"] for clip in clips)
    number, counter_id = SAMPLE_CALL
    return {
        "total": len(clips),
        "recorded": recorded,
        "missing": len(clips) - recorded,
        "complete": recorded == len(clips),
        "espeak": all(clip["espeak_url"] for clip in clips),
        "clips": clips,
        "sample": {
            "number": number,
            "counter_id": counter_id,
            **announcement(number, counter_id).to_dict(),
        },
    }


def espeak_text(text: str) -> str:
    """espeak reads "e-lờ" better as two syllables."""
    return text.replace("-", " ")


def render_espeak(folder: Path, *, force: bool = False) -> list[str] | None:
    """Render every vocabulary clip with espeak-ng into folder/<key>.wav.

    Returns the keys rendered now (clips already rendered with the same text, voice and
    speed are kept), or None when espeak-ng is not installed. index.json records how each
    file was made.
    """
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    index_path = folder / "index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    rendered = []
    for key, text in VOCABULARY.items():
        made_as = {"text": text, "voice": ESPEAK_VOICE, "speed": ESPEAK_SPEED}
        target = folder / f"{key}.wav"
        if not force and index.get(key) == made_as and target.is_file():
            continue
        partial = folder / f"{key}.wav.part"
        subprocess.run(
            [program, "-v", ESPEAK_VOICE, "-s", str(ESPEAK_SPEED), "-w", str(partial),
             espeak_text(text)],
            check=True,
            capture_output=True,
            timeout=30,
        )  # fmt: skip
        partial.replace(target)
        index[key] = made_as
        rendered.append(key)
    index_path.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return rendered
