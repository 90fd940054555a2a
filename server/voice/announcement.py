"""The announcement voice: the fixed vocabulary of clips and reading numbers in Vietnamese.

A call is always said with the same few dozen words ("Xin mời công dân có số thứ tự",
"đến quầy số", the digits, mười, mươi, mốt, tư, lăm, lẻ, trăm, nghìn and the names of the
letters), so a center can record each once and every call is those clips joined.
`announcement("A025", 3)` gives the clip keys and the sentence text:
"Xin mời công dân có số thứ tự A không hai mươi lăm đến quầy số ba".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

INTRO = "intro"
TO_COUNTER = "to_counter"
DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# A–Z as Vietnamese speakers name them when reading a ticket number aloud.
LETTER_NAMES = (
    "a", "bê", "xê", "dê", "e", "ép", "giê", "hát", "i", "gi", "ca", "e-lờ", "em-mờ",
    "en-nờ", "o", "pê", "quy", "e-rờ", "ét-xì", "tê", "u", "vê", "vê-kép", "ích-xì",
    "i-dài", "dét",
)  # fmt: skip
# The words of numbers besides the digits, by key.
NUMBER_WORDS = {
    "ten": "mười",  # 10–19: mười, mười một…
    "tens": "mươi",  # 20, 30…: hai mươi
    "one_after_tens": "mốt",  # 21: hai mươi mốt
    "four_after_tens": "tư",  # 24: hai mươi tư
    "five_after_ten": "lăm",  # 15, 25: mười lăm, hai mươi lăm
    "zero_tens": "lẻ",  # 105: một trăm lẻ năm
    "hundred": "trăm",
    "thousand": "nghìn",
}


def digit_key(digit: int) -> str:
    return f"digit_{digit}"


def letter_key(letter: str) -> str:
    return f"letter_{letter.lower()}"


def build_vocabulary() -> dict[str, str]:
    vocabulary = {INTRO: "Xin mời công dân có số thứ tự", TO_COUNTER: "đến quầy số"}
    vocabulary |= {digit_key(d): word for d, word in enumerate(DIGIT_WORDS)}
    vocabulary |= NUMBER_WORDS
    vocabulary |= {letter_key(chr(ord("A") + i)): name for i, name in enumerate(LETTER_NAMES)}
    return vocabulary


# Every clip a call may need, key → text, in the order the recording page lists them.
VOCABULARY: dict[str, str] = build_vocabulary()
TICKET_NUMBER = re.compile(r"([A-Z])(\d{3,})")


def below_thousand(n: int, *, full: bool) -> list[str]:
    """Keys reading 0 < n < 1000; `full` says hundreds (and "lẻ") are spelled out as after
    a thousand ("không trăm lẻ năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    keys: list[str] = []
    if hundreds or full:
        keys += [digit_key(hundreds), "hundred"]
        if tens == 0 and units:
            keys.append("zero_tens")
    if tens == 1:
        keys.append("ten")
    elif tens > 1:
        keys += [digit_key(tens), "tens"]
    if units:
        if units == 1 and tens > 1:
            keys.append("one_after_tens")
        elif units == 4 and tens > 1:
            keys.append("four_after_tens")
        elif units == 5 and tens > 0:
            keys.append("five_after_ten")
        else:
            keys.append(digit_key(units))
    return keys


def number_keys(n: int) -> list[str]:
    """The clip keys reading a whole number 0 ≤ n < 1,000,000 the Vietnamese way."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"cannot read {n}")
    if n == 0:
        return [digit_key(0)]
    thousands, rest = divmod(n, 1000)
    keys: list[str] = []
    if thousands:
        keys += [*below_thousand(thousands, full=False), "thousand"]
    if rest:
        keys += below_thousand(rest, full=bool(thousands))
    return keys


def words(keys: list[str] | tuple[str, ...]) -> str:
    return " ".join(VOCABULARY[key] for key in keys)


def number_words(n: int) -> str:
    """21 → "hai mươi mốt", 105 → "một trăm lẻ năm", 1000 → "một nghìn"."""
    return words(number_keys(n))


def ticket_number_keys(number: str) -> list[str]:
    """A007 → the letter, "không" for each leading zero, then the rest as a number."""
    match = TICKET_NUMBER.fullmatch(number)
    if match is None:
        raise ValueError(f"not a ticket number: {number!r}")
    letter, digits = match.groups()
    significant = digits.lstrip("0")
    zeros = len(digits) - len(significant)
    keys = [letter_key(letter)] + [digit_key(0)] * zeros
    return keys + (number_keys(int(significant)) if significant else [])


@dataclass(frozen=True)
class Announcement:
    """What a screen says for a call: the clip keys in order, and the same sentence as text
    (the letter written as itself, for a speech synthesizer)."""

    clips: tuple[str, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"clips": list(self.clips), "text": self.text}


def announcement(number: str, counter_id: int) -> Announcement:
    """ "Xin mời công dân có số thứ tự A không không bảy đến quầy số hai"."""
    ticket_keys = ticket_number_keys(number)
    counter_keys = number_keys(counter_id)
    clips = (INTRO, *ticket_keys, TO_COUNTER, *counter_keys)
    spoken_number = " ".join([number[0], words(ticket_keys[1:])]).strip()
    text = f"{VOCABULARY[INTRO]} {spoken_number} {VOCABULARY[TO_COUNTER]} {words(counter_keys)}"
    return Announcement(clips, text)
