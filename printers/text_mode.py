"""The optional code-page text mode, for a printer that does print a Vietnamese code page.

Raster is the default because cheap printers disagree about code pages (docs/printers.md). Some do
print Windows-1258 or TCVN-3 well, and text is smaller and crisper; `motcua print-test`
prints both so an installer can choose with `?text=cp1258` or `?text=tcvn3` on the URL.

- CP1258 has the letters with a hat, horn or breve (â ê ô ơ ư ă đ) but writes tones as a
  separate combining mark after the letter: "ế" is ê + U+0301. Python's codec wants exactly
  that order, so each letter is split into its base and its tone first.
- TCVN-3 comes in two pages: TCVN-3-1 (lower case, plus ASCII) and TCVN-3-2 (capitals).
  python-escpos lists "Ð" (U+00D0) where the standard has "Đ" (U+0110); we map Đ there.
  Each line picks the page that covers it best.

Only the layout's own commands reach the printer: a control character typed or pasted into a
name (ESC @ resets the printer, GS V cuts the paper, NUL, DLE...) is dropped before encoding.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from escpos.capabilities import get_profile
from escpos.codepages import CodePages

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
PROFILE_NAMES = {"cp1258": ("CP1258",), "tcvn3": ("TCVN-3-1", "TCVN-3-2")}
LINE_BREAKS = "\t\n\v\f\r\x85"  # controls that separate words: a space keeps them apart


def printable(text: str) -> str:
    """The text without C0 and C1 control characters (and DEL), NFC-normalized.

    In text mode the characters go to the printer as bytes, and a control byte is a command,
    not a letter: a center, procedure or officer name holding ESC @ would reset the printer
    mid-receipt, GS V would cut the paper. Tabs and line breaks become a space (one block is
    one line here); every other control character is dropped.
    """
    return "".join(
        " " if char in LINE_BREAKS else char
        for char in unicodedata.normalize("NFC", text)
        if char in LINE_BREAKS or unicodedata.category(char) != "Cc"
    )


def cp1258_bytes(text: str) -> bytes:
    """Letters as base + tone mark, the way Windows-1258 writes Vietnamese; '?' for the rest,
    control characters dropped (printable)."""
    out = []
    for char in printable(text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in parts if mark in TONES)
        base = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="replace")


@cache
def _tcvn3_table(page: str) -> dict[str, int]:
    rows = CodePages.get_encoding(page)["data"]
    table = {char: 0x80 + index for index, char in enumerate("".join(rows)) if char != " "}
    if "Ð" in table:
        table["Đ"] = table.pop("Ð")
    return table


def tcvn3_line(text: str) -> tuple[str, bytes]:
    """(page name, bytes) for one line, in whichever TCVN-3 page covers more of it."""
    text = printable(text)
    best: tuple[int, str, bytes] | None = None
    for page in PROFILE_NAMES["tcvn3"]:
        table = _tcvn3_table(page)
        encoded, missing = bytearray(), 0
        for char in text:
            if char.isascii():
                encoded.append(ord(char))
            elif char in table:
                encoded.append(table[char])
            else:
                encoded.append(ord("?"))
                missing += 1
        if best is None or missing < best[0]:
            best = (missing, page, bytes(encoded))
    assert best is not None
    return best[1], best[2]


def codepage_number(profile: str, page: str) -> int | None:
    """The printer's ESC t number for a code page name, from its python-escpos profile."""
    number = get_profile(profile).get_code_pages().get(page)
    return None if number is None else int(number)


def select_codepage(profile: str, page: str) -> bytes:
    """ESC t n; a profile that does not list the page gets nothing (the text prints as is)."""
    number = codepage_number(profile, page)
    return b"" if number is None else b"\x1bt" + bytes([number])


def encode_line(text: str, codepage: str, profile: str) -> bytes:
    """One line of text, preceded by the code page it needs (again after every INIT)."""
    if codepage == "cp1258":
        return select_codepage(profile, "CP1258") + cp1258_bytes(text)
    page, data = tcvn3_line(text)
    return select_codepage(profile, page) + data
