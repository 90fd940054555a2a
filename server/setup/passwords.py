"""Which passwords are refused: too short, or one a guesser tries first.

The login throttle (server/web/rate_limit.py) slows a guesser down to a few hundred tries a
day; that only protects passwords outside the first few hundred of every guesser's list.
So every way a password is set (the admin page, `motcua user add`, an officer changing their
own) refuses the common ones (server/data/common-passwords.txt, also with digits and symbols
around them), the username with a few digits, one character repeated, a short pattern
repeated, a run of the keyboard or the alphabet, and digits only (a birthday, a phone number).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from server.errors import InvalidInput

MINIMUM_LENGTH = 8
COMMON_LIST = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
# Runs a finger or a habit produces; a password inside one (either way round) is refused.
RUNS = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "!@#$%^&*()",
)
LONGEST_REPEATED_UNIT = 4  # "abcabcabc", "12121212", "passpass"
# Letters and digits typed for look-alike letters ("p@ssw0rd").
LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o",
                             "$": "s", "5": "s", "7": "t"})  # fmt: skip

TOO_SHORT = f"Mật khẩu cần ít nhất {MINIMUM_LENGTH} ký tự."
TOO_COMMON = (
    "Mật khẩu này quá phổ biến, rất dễ bị đoán. Hãy chọn mật khẩu khác, "
    "ví dụ vài từ dễ nhớ ghép lại."
)
LIKE_USERNAME = "Mật khẩu không được là tên đăng nhập (kể cả khi thêm vài chữ số)."
PATTERN = (
    "Mật khẩu là ký tự lặp lại hoặc một dãy liên tiếp (như 12345678, abcdefgh, qwertyui), "
    "rất dễ bị đoán."
)
DIGITS_ONLY = (
    "Mật khẩu chỉ gồm chữ số (như ngày sinh, số điện thoại) rất dễ bị đoán: hãy thêm chữ cái."
)


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short or easy to guess (400 weak_password), saying why."""
    if len(password) < MINIMUM_LENGTH:
        raise weak(TOO_SHORT)
    folded = fold(password)
    if username and is_like_username(folded, fold(username)):
        raise weak(LIKE_USERNAME)
    if any(form in common_passwords() for form in forms(password)):
        raise weak(TOO_COMMON)
    if is_pattern(password.lower()) or (folded and is_pattern(folded)):
        raise weak(PATTERN)
    if folded.isdigit():
        raise weak(DIGITS_ONLY)


def weak(message: str) -> InvalidInput:
    return InvalidInput(message, "weak_password")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Mật-Khẩu 123" → "matkhau123"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")).lower()
    return "".join(char for char in plain if char.isascii() and char.isalnum())


def forms(password: str) -> set[str]:
    """The password as a guesser's list would hold it: folded, then without the digits
    around it ("Vietnam2026!" → "vietnam"), and with look-alikes read back ("P@ssw0rd")."""
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower())
    found = {fold(password), fold(core), fold(core.translate(LOOK_ALIKES))}
    return {form for form in found if form}


def is_like_username(folded: str, username: str) -> bool:
    """The username with at most three other letters, digits or symbols ("canbo123")."""
    if len(username) < 2 or username not in folded:
        return False
    rest = folded.replace(username, "", 1)
    return len(rest) <= 3 or rest.isdigit()


def is_pattern(text: str) -> bool:
    """Two different characters at most, a short unit repeated, or a run of RUNS."""
    if len(set(text)) <= 2:
        return True
    unit = re.fullmatch(r"(.+?)\1+", text)
    if unit and len(unit.group(1)) <= LONGEST_REPEATED_UNIT:
        return True
    return any(text in run or text in run[::-1] for run in RUNS)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
