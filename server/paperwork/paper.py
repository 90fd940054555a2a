"""A paper as plain data: what it says, block by block, before any layout.

One content, two renderings: the HTML template (server/templates/paperwork/document.html, the
A4 page the browser prints) and the DOCX writer (docx_layout.write_paper) walk the same
`Paper`, so the page and the file never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DOTS = "…" * 40  # a blank the citizen or the officer fills in by hand


@dataclass(frozen=True)
class Line:
    """ "Mã hồ sơ: HS-261126-K7M3": a label and its value (bold); no value leaves a dotted
    blank to fill in by hand."""

    label: str
    value: str = ""
    dots: bool = True  # False: a label alone, introducing what follows

    kind = "line"


@dataclass(frozen=True)
class Text:
    """A paragraph of running text (first line indented, justified); italic for a note."""

    text: str
    italic: bool = False

    kind = "text"


@dataclass(frozen=True)
class Items:
    """A numbered list: "1. Tờ khai …"."""

    items: tuple[str, ...]

    kind = "items"


@dataclass(frozen=True)
class Table:
    """A table with a header row; `widths` are the columns' shares of the line (they add up
    to 100), the first column numbered and centered."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]

    kind = "table"


Block = Line | Text | Items | Table


@dataclass(frozen=True)
class Signer:
    """One side of a signature block: "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", the
    name under the space for the signature (blank: written by hand)."""

    title: str
    note: str = ""
    name: str = ""


@dataclass(frozen=True)
class Paper:
    """A whole paper: the header's number line and the place and date, the title and its
    legal reference line, the body, the closing blocks kept on the signature's page, the
    signature block (`copies` is the "Nơi nhận:" list on the left, when there is no
    signer there)."""

    kind: str
    number_line: str
    place_date_line: str
    title: str
    legal_line: str
    body: tuple[Block, ...]
    signer: Signer
    subtitle: str = ""
    closing: tuple[Block, ...] = ()
    left_signer: Signer | None = None
    copies: tuple[str, ...] = field(default_factory=tuple)
