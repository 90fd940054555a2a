"""How intelligible is each announcement voice? Word error rate of an offline recognizer.

Renders 20 sample calls ("Xin mời công dân có số thứ tự A không hai mươi lăm đến quầy số
ba") from every clip set available — the espeak-ng clips joined the way the lobby TV joins
them (silence trimmed, short gaps), the same sentence read whole by espeak-ng for comparison,
and the center's recorded set when it is complete — and transcribes each with viet-asr's
core module (its model ships in the wheel; presets and other modules download, so they are
not used). Prints the word error rate per set, overall and per kind of word (the fixed
phrases, the letter, the numbers). Results go to docs/performance.md, "Voice".

    make bench-voice            # or: .venv/bin/pip install -e ".[bench]"
    .venv/bin/python -m bench.voice_wer [--calls 20] [--database var/motcua.db]
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
import wave
from pathlib import Path

import numpy as np

from server.settings import settings_from_env
from server.storage.db import open_database
from server.voice.announcement import LETTER_NAMES, VOCABULARY, announcement, number_words
from server.voice.clips import (
    ESPEAK_SPEED,
    ESPEAK_VOICE,
    espeak_folder,
    espeak_text,
    recorded_clip,
    render_espeak,
)

RATE = 16000
CLIP_GAP, PHRASE_GAP = 0.06, 0.22  # seconds: the gaps the figures of docs/performance.md had
PHRASES = ("intro", "to_counter")


def sample_calls(count: int, seed: int) -> list[tuple[str, int]]:
    """Ticket numbers and counters: the tricky readings first, then random ones."""
    tricky = [("A007", 2), ("A025", 3), ("B015", 1), ("C021", 5), ("D024", 4), ("B105", 6)]
    chooser = random.Random(seed)
    calls = tricky[:count]
    while len(calls) < count:
        letter = chooser.choice("ABCDE")
        calls.append((f"{letter}{chooser.randint(1, 199):03d}", chooser.randint(1, 6)))
    return calls


# Audio: decode, trim, join, resample.


def decode(data: bytes, mime_type: str) -> tuple[np.ndarray, int]:
    """Mono float samples and their rate; WAV natively, other types through sox or ffmpeg."""
    if mime_type != "audio/wav":
        data = convert_to_wav(data, mime_type)
    with wave.open(io.BytesIO(data)) as clip:
        rate, channels, width = clip.getframerate(), clip.getnchannels(), clip.getsampwidth()
        frames = clip.readframes(clip.getnframes())
    kind = {1: np.uint8, 2: np.int16, 4: np.int32}[width]
    samples = np.frombuffer(frames, dtype=kind).astype(np.float64)
    if width == 1:
        samples -= 128
    samples = samples.reshape(-1, channels).mean(axis=1)
    return samples / float(2 ** (8 * width - 1)), rate


def convert_to_wav(data: bytes, mime_type: str) -> bytes:
    suffix = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mpeg": ".mp3"}[mime_type]
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / f"clip{suffix}", Path(folder) / "clip.wav"
        source.write_bytes(data)
        if shutil.which("ffmpeg"):
            command = ["ffmpeg", "-loglevel", "error", "-i", str(source), str(target)]
        elif shutil.which("sox") and suffix != ".webm":
            command = ["sox", str(source), str(target)]
        else:
            raise RuntimeError(f"cannot decode {mime_type}: install ffmpeg")
        subprocess.run(command, check=True, capture_output=True)
        return target.read_bytes()


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE:
        return samples
    duration = len(samples) / rate
    positions = np.linspace(0, len(samples) - 1, int(duration * RATE))
    return np.interp(positions, np.arange(len(samples)), samples)


def trim(samples: np.ndarray) -> np.ndarray:
    """Cut leading and trailing silence, keeping 30 ms before and 60 ms after."""
    peak = np.abs(samples).max(initial=0)
    if peak == 0:
        return samples
    loud = np.nonzero(np.abs(samples) >= max(0.01, peak * 0.06))[0]
    start = max(0, loud[0] - int(0.03 * RATE))
    return samples[start : loud[-1] + int(0.06 * RATE)]


def join(clips: dict[str, np.ndarray], keys: tuple[str, ...]) -> np.ndarray:
    parts = []
    for index, key in enumerate(keys):
        parts.append(clips[key])
        following = keys[index + 1] if index + 1 < len(keys) else None
        gap = PHRASE_GAP if key == "intro" or following == "to_counter" else CLIP_GAP
        parts.append(np.zeros(int(gap * RATE)))
    return np.concatenate(parts)


def as_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(samples * 32767, -32768, 32767).astype(np.int16)


# Clip sets.


def espeak_clips(database: Path) -> dict[str, np.ndarray] | None:
    folder = espeak_folder(database)
    if not all((folder / f"{key}.wav").is_file() for key in VOCABULARY):
        folder = Path(tempfile.mkdtemp(prefix="espeak-"))
        if render_espeak(folder) is None:
            return None
    clips = {}
    for key in VOCABULARY:
        samples, rate = decode((folder / f"{key}.wav").read_bytes(), "audio/wav")
        clips[key] = trim(resample(samples, rate))
    return clips


def recorded_clips(database: Path) -> dict[str, np.ndarray] | None:
    if not database.exists():
        return None
    db = open_database(database)
    try:
        found = {key: recorded_clip(db, key) for key in VOCABULARY}
    except Exception:  # an older database without the voice_clips table
        return None
    finally:
        db.conn.close()
    if not all(found.values()):
        return None
    clips = {}
    for key, (mime_type, data) in found.items():  # type: ignore[misc]
        samples, rate = decode(data, mime_type)
        clips[key] = trim(resample(samples, rate))
    return clips


def espeak_sentence(text: str) -> np.ndarray:
    done = subprocess.run(
        ["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(ESPEAK_SPEED), "--stdout", espeak_text(text)],
        check=True,
        capture_output=True,
    )
    samples, rate = decode(done.stdout, "audio/wav")
    return resample(samples, rate)


# Scoring.

LETTERS = {chr(ord("a") + i): name for i, name in enumerate(LETTER_NAMES)}


def normalize(text: str) -> list[str]:
    """Lowercase NFC words; digits and lone letters the recognizer wrote are spelled out."""
    text = unicodedata.normalize("NFC", text.lower()).replace("-", " ")
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m[0]))} ", text)
    words = re.sub(r"[^\w\s]", " ", text).split()
    return [
        word for w in words for word in (LETTERS[w].split("-") if w in LETTERS else [w])
    ]  # fmt: skip


def reference(number: str, counter_id: int) -> list[tuple[str, str]]:
    """The spoken words of a call, each with its kind: phrase, letter or number."""
    words = []
    for key in announcement(number, counter_id).clips:
        kind = "phrase" if key in PHRASES else "letter" if key.startswith("letter_") else "number"
        words += [(word, kind) for word in normalize(VOCABULARY[key])]
    return words


def errors(ref: list[tuple[str, str]], hyp: list[str]) -> tuple[dict[str, int], int]:
    """Substitutions and deletions per kind of reference word, and insertions (Levenshtein)."""
    rows, cols = len(ref) + 1, len(hyp) + 1
    cost = np.zeros((rows, cols), dtype=int)
    cost[:, 0], cost[0, :] = range(rows), range(cols)
    for i in range(1, rows):
        for j in range(1, cols):
            cost[i, j] = min(
                cost[i - 1, j] + 1,
                cost[i, j - 1] + 1,
                cost[i - 1, j - 1] + (ref[i - 1][0] != hyp[j - 1]),
            )
    missed: dict[str, int] = {"phrase": 0, "letter": 0, "number": 0}
    inserted = 0
    i, j = len(ref), len(hyp)
    while i or j:
        if i and j and cost[i, j] == cost[i - 1, j - 1] + (ref[i - 1][0] != hyp[j - 1]):
            missed[ref[i - 1][1]] += ref[i - 1][0] != hyp[j - 1]
            i, j = i - 1, j - 1
        elif i and cost[i, j] == cost[i - 1, j] + 1:
            missed[ref[i - 1][1]] += 1
            i -= 1
        else:
            inserted += 1
            j -= 1
    return missed, inserted


def score(recognizer, name: str, audios: list[np.ndarray], calls: list[tuple[str, int]]) -> dict:
    totals = {"phrase": 0, "letter": 0, "number": 0}
    missed = {"phrase": 0, "letter": 0, "number": 0}
    inserted = 0
    example = ""
    started = time.perf_counter()
    for audio, (number, counter_id) in zip(audios, calls, strict=True):
        hypothesis = recognizer.transcribe(as_int16(audio), float(RATE)).text
        ref = reference(number, counter_id)
        wrong, extra = errors(ref, normalize(hypothesis))
        for _, kind in ref:
            totals[kind] += 1
        for kind, count in wrong.items():
            missed[kind] += count
        inserted += extra
        example = example or f"{announcement(number, counter_id).text} → {hypothesis}"
    words = sum(totals.values())
    return {
        "set": name,
        "wer": (sum(missed.values()) + inserted) / words,
        **{f"wer_{kind}": missed[kind] / totals[kind] for kind in totals},
        "seconds": time.perf_counter() - started,
        "audio_seconds": sum(len(a) for a in audios) / RATE,
        "example": example,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", type=Path, default=settings_from_env().database)
    options = parser.parse_args()

    from vietasr import Pipeline  # the bench extra: pip install -e ".[bench]"

    recognizer = Pipeline.new().add("vietasr").build()
    calls = sample_calls(options.calls, options.seed)
    results = []
    if shutil.which("espeak-ng"):
        clips = espeak_clips(options.database)
        if clips is not None:
            audios = [join(clips, announcement(n, c).clips) for n, c in calls]
            results.append(score(recognizer, "espeak clips, joined", audios, calls))
        audios = [espeak_sentence(announcement(n, c).text) for n, c in calls]
        results.append(score(recognizer, "espeak sentence (for comparison)", audios, calls))
    else:
        print("espeak-ng is not installed: no espeak set.")
    recorded = recorded_clips(options.database)
    if recorded is not None:
        audios = [join(recorded, announcement(n, c).clips) for n, c in calls]
        results.append(score(recognizer, "recorded clips, joined", audios, calls))
    else:
        print(f"No complete recorded set in {options.database}: recorded set not measured.")

    print(f"\n{len(calls)} calls, espeak-ng -v {ESPEAK_VOICE} -s {ESPEAK_SPEED}, viet-asr core\n")
    print("| clip set | WER | phrases | letter | numbers | audio | recognizer time |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['set']} | {r['wer']:.0%} | {r['wer_phrase']:.0%} | {r['wer_letter']:.0%} "
            f"| {r['wer_number']:.0%} | {r['audio_seconds']:.0f} s | {r['seconds']:.1f} s |"
        )
    for r in results:
        print(f"\n{r['set']}: {r['example']}")


if __name__ == "__main__":
    main()
