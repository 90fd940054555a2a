"""The announcement voice: reading numbers, the call sentence, the recorded clips API, espeak."""

from __future__ import annotations

import io
import shutil
import wave

import pytest

from server.cli import main
from server.voice import clips
from server.voice.announcement import (
    VOCABULARY,
    announcement,
    number_words,
    ticket_number_keys,
    words,
)


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (31, "ba mươi mốt"),
        (44, "bốn mươi tư"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm lẻ một"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm lẻ năm"),
        (1010, "một nghìn không trăm mười"),
        (1100, "một nghìn một trăm"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (15000, "mười lăm nghìn"),
    ],
)
def test_numbers_are_read_the_vietnamese_way(number, spoken):
    assert number_words(number) == spoken


@pytest.mark.parametrize(
    ("ticket", "spoken"),
    [
        ("A007", "a không không bảy"),
        ("A025", "a không hai mươi lăm"),
        ("A010", "a không mười"),
        ("B100", "bê một trăm"),
        ("C105", "xê một trăm lẻ năm"),
        ("D999", "dê chín trăm chín mươi chín"),
        ("A1000", "a một nghìn"),
        ("W021", "vê-kép không hai mươi mốt"),
    ],
)
def test_a_ticket_number_reads_each_leading_zero(ticket, spoken):
    assert words(ticket_number_keys(ticket)) == spoken


@pytest.mark.parametrize("bad", ["A7", "a007", "AB007", "", "007"])
def test_what_is_not_a_ticket_number_is_refused(bad):
    with pytest.raises(ValueError):
        ticket_number_keys(bad)


def test_the_announcement_gives_clips_and_text():
    said = announcement("A007", 2)
    assert said.text == "Xin mời công dân có số thứ tự A không không bảy đến quầy số hai"
    assert said.clips == (
        "intro", "letter_a", "digit_0", "digit_0", "digit_7", "to_counter", "digit_2",
    )  # fmt: skip
    assert announcement("A025", 3).text == (
        "Xin mời công dân có số thứ tự A không hai mươi lăm đến quầy số ba"
    )
    assert announcement("B114", 12).to_dict() == {
        "clips": [
            "intro", "letter_b", "digit_1", "hundred", "ten", "digit_4", "to_counter", "ten",
            "digit_2",
        ],
        "text": "Xin mời công dân có số thứ tự B một trăm mười bốn đến quầy số mười hai",
    }  # fmt: skip


def test_the_vocabulary_covers_every_letter_and_number_word():
    assert len(VOCABULARY) == 46
    assert all(key.isascii() and key.replace("_", "").isalnum() for key in VOCABULARY)
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        assert f"letter_{letter.lower()}" in VOCABULARY
    for number in range(1, 2000):
        for key in announcement(f"A{number:03d}", number % 40 + 1).clips:
            assert key in VOCABULARY


def test_ticket_called_carries_the_announcement(officer, issue, socket_client):
    display = socket_client("display")
    display.get_received()
    ticket = issue()
    called = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{ticket['id']}/recall")
    calls = [m["args"][0] for m in display.get_received() if m["name"] == "ticket_called"]
    assert [call["recall"] for call in calls] == [False, True]
    for call in calls:
        assert call["announcement"] == {
            "clips": [
                "intro",
                "letter_a",
                "digit_0",
                "digit_0",
                "digit_1",
                "to_counter",
                "digit_1",
            ],
            "text": "Xin mời công dân có số thứ tự A không không một đến quầy số một",
        }
    assert called["number"] == "A001"


# The recorded clips API.


def wav_bytes(seconds: float = 0.2, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x10" * int(seconds * rate))
    return buffer.getvalue()


def put(client, key, body, content_type="audio/wav"):
    return client.put(f"/api/voice/clips/{key}", data=body, content_type=content_type)


def stored_keys(db):
    return [row[0] for row in db.execute("SELECT key FROM voice_clips ORDER BY key")]


def test_the_vocabulary_is_public_and_nothing_is_recorded_at_first(client):
    voice = client.get("/api/voice").json
    assert voice["total"] == 46
    assert (voice["recorded"], voice["missing"], voice["complete"]) == (0, 46, False)
    assert voice["espeak"] is False  # nothing rendered next to the test database
    first = voice["clips"][0]
    assert first == {
        "key": "intro",
        "text": "Xin mời công dân có số thứ tự",
        "recorded": False,
        "mime_type": None,
        "recorded_at": None,
        "recorded_by": None,
        "url": None,
        "espeak_url": None,
    }
    assert voice["sample"]["text"].startswith("Xin mời công dân có số thứ tự A không")


def test_an_admin_uploads_listens_and_deletes_a_clip(admin, client, db):
    audio = wav_bytes()
    response = put(admin, "digit_7", audio)
    assert response.status_code == 200, response.json
    assert response.json["recorded"] is True
    assert response.json["recorded_by"] == "quantri"
    assert response.json["recorded_at"] == "2026-11-26T09:00:00+07:00"
    assert stored_keys(db) == ["digit_7"]

    voice = client.get("/api/voice").json
    assert (voice["recorded"], voice["missing"], voice["complete"]) == (1, 45, False)
    clip = next(c for c in voice["clips"] if c["key"] == "digit_7")
    assert clip["mime_type"] == "audio/wav"
    served = client.get(clip["url"])
    assert served.status_code == 200
    assert served.mimetype == "audio/wav"
    assert served.data == audio

    again = put(admin, "digit_7", wav_bytes(0.3), content_type="audio/x-wav")
    assert again.status_code == 200
    assert client.get("/voice/recorded/digit_7").data == wav_bytes(0.3)

    assert admin.delete("/api/voice/clips/digit_7").status_code == 204
    assert stored_keys(db) == []
    assert client.get("/voice/recorded/digit_7").status_code == 404


def test_only_admins_record(officer, client, db):
    anonymous = put(client, "digit_7", wav_bytes())
    assert anonymous.status_code == 401
    assert anonymous.json["error"]["message"] == "Vui lòng đăng nhập."
    refused = put(officer, "digit_7", wav_bytes())
    assert refused.status_code == 403
    assert "không có quyền" in refused.json["error"]["message"]
    assert officer.delete("/api/voice/clips/digit_7").status_code == 403
    assert client.delete("/api/voice/clips/digit_7").status_code == 401
    assert stored_keys(db) == []


@pytest.mark.parametrize(
    ("key", "body", "content_type", "status", "code", "words_in_message"),
    [
        ("xin_chao", wav_bytes(), "audio/wav", 404, "clip_not_found", "Không có đoạn âm thanh"),
        ("digit_7", wav_bytes(), "text/plain", 400, "invalid_audio_type", "không được hỗ trợ"),
        ("digit_7", wav_bytes(), "application/json", 400, "invalid_audio_type", "định dạng"),
        ("digit_7", b"", "audio/wav", 400, "empty_audio", "trống"),
        ("digit_7", b"OggS" + bytes(100), "audio/wav", 400, "invalid_audio", "không phải tệp"),
        ("digit_7", b"not webm at all", "audio/webm", 400, "invalid_audio", "không phải tệp"),
        (
            "digit_7",
            b"RIFF" + bytes(clips.MAX_CLIP_BYTES),
            "audio/wav",
            413,
            "audio_too_large",
            "quá lớn",
        ),
    ],
)
def test_bad_uploads_are_refused_in_vietnamese_and_write_nothing(
    admin, db, key, body, content_type, status, code, words_in_message
):
    response = put(admin, key, body, content_type)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert words_in_message.lower() in response.json["error"]["message"].lower()
    assert stored_keys(db) == []


def test_unknown_keys_are_404_everywhere(admin, client):
    assert admin.delete("/api/voice/clips/khong-co").status_code == 404
    assert client.get("/voice/recorded/khong-co").status_code == 404
    assert client.get("/voice/espeak/khong-co.wav").status_code == 404
    assert client.get("/voice/espeak/intro.wav").status_code == 404  # not rendered here


def test_the_accepted_types(admin, db):
    samples = {
        "audio/webm": b"\x1a\x45\xdf\xa3" + bytes(40),
        "audio/ogg": b"OggS" + bytes(40),
        "audio/mpeg": b"ID3" + bytes(40),
        "audio/wav": wav_bytes(),
    }
    for index, (content_type, body) in enumerate(samples.items()):
        key = f"digit_{index}"
        response = put(admin, key, body, content_type + ";codecs=opus")
        assert response.status_code == 200, response.json
        assert response.json["mime_type"] == content_type
    assert len(stored_keys(db)) == 4


def test_a_complete_set_is_reported_complete(admin, client):
    for key in VOCABULARY:
        assert put(admin, key, wav_bytes(0.05)).status_code == 200
    voice = client.get("/api/voice").json
    assert (voice["recorded"], voice["missing"], voice["complete"]) == (46, 0, True)
    assert all(clip["url"] for clip in voice["clips"])


# espeak clips, rendered at install time.


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_render_espeak_writes_every_clip_once(tmp_path, monkeypatch, app_config):
    database = tmp_path / "espeak" / "motcua.db"
    monkeypatch.setenv("MOTCUA_DB", str(database))
    from click.testing import CliRunner

    runner = CliRunner()
    first = runner.invoke(main, ["voice", "render-espeak"])
    assert first.exit_code == 0, first.output
    assert "tạo mới 46 đoạn" in first.output
    folder = database.parent / "voice" / "espeak"
    assert sorted(p.stem for p in folder.glob("*.wav")) == sorted(VOCABULARY)
    with wave.open(str(folder / "intro.wav")) as clip:
        assert clip.getnframes() / clip.getframerate() > 0.5
    again = runner.invoke(main, ["voice", "render-espeak"])
    assert "tạo mới 0 đoạn" in again.output

    from server import create_app

    app = create_app({**app_config, "database": database})
    client = app.test_client()
    voice = client.get("/api/voice").json
    assert voice["espeak"] is True
    with client.get(voice["clips"][0]["espeak_url"]) as served:
        assert served.status_code == 200
        assert served.data[:4] == b"RIFF"


def test_render_espeak_skips_quietly_without_espeak(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "motcua.db"))
    monkeypatch.setattr(clips.shutil, "which", lambda name: None)
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["voice", "render-espeak"])
    assert result.exit_code == 0
    assert "Không có espeak-ng" in result.output
    assert not (tmp_path / "voice").exists()
