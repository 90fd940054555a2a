"""The administrative format of Decree 30/2020/NĐ-CP in DOCX: the A4 page and its margins,
Times New Roman, the national header, the title, the signature block; and `write_paper`,
which lays out a whole `Paper` (the counter's forms).

Shared by the counter's forms and the leader's report, so both look like one office's
papers. The only module of the server that imports python-docx (with report_document.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from server.paperwork.letterhead import Letterhead
from server.paperwork.paper import DOTS, Block, Items, Line, Paper, Signer, Table, Text

FONT = "Times New Roman"
BODY_SIZE = 13  # points: Decree 30 asks 13 to 14 for the body
TEXT_WIDTH = Mm(210 - 30 - 15)  # A4 less the left and right margins
HEADER_LEFT = Mm(68)  # the issuing body's column; the national title's takes the rest
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def new_document(size: int = BODY_SIZE) -> DocumentObject:
    """An empty A4 document: margins top/bottom 20 mm, left 30 mm, right 15 mm (Decree 30),
    Times New Roman for every script, single spacing with 6 pt after each paragraph."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.0
    return document


def save(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def styled(
    paragraph: Paragraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """Add a run of `text` to the paragraph, in the given size and style."""
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def centered(container: DocumentObject | _Cell, space_after: float = 0) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def rule(cell: _Cell, width: int, length: int) -> None:
    """A short centered line under the text above it (Decree 30 draws one under the issuing
    body and under the motto): an empty 1 pt paragraph with a bottom border, indented so the
    border is `length` long in a cell `width` wide (both in EMU)."""
    paragraph = centered(cell, space_after=4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = (
        max(width - length, 0) // 2
    )
    paragraph.paragraph_format.line_spacing = Pt(1)
    styled(paragraph, "", size=1)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def layout_table(document: DocumentObject, rows: int, widths: list[int]) -> DocxTable:
    """A borderless table of fixed column widths (EMU), for laying out side by side."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def first_paragraph(cell: _Cell) -> Paragraph:
    """A new cell holds one empty paragraph: write into it instead of leaving it blank."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def national_header(
    document: DocumentObject, letterhead: Letterhead, number_line: str, place_date_line: str
) -> None:
    """The head of every paper: on the left the governing body (regular), the issuing body
    (bold) with a short rule under it, then "Số: …"; on the right the national title and the
    motto (bold) with a rule under it, then the place and date in italics, on the line of the
    number."""
    right = TEXT_WIDTH - HEADER_LEFT
    table = layout_table(document, 2, [HEADER_LEFT, right])
    left_cell, right_cell = table.rows[0].cells
    head = first_paragraph(left_cell)
    if letterhead.governing_body:
        styled(head, letterhead.governing_body.upper(), size=13)
        head = centered(left_cell)
    styled(head, letterhead.issuing_body.upper(), size=13, bold=True)
    rule(left_cell, HEADER_LEFT, Mm(25))
    styled(first_paragraph(right_cell), NATIONAL_TITLE, size=12.5, bold=True)
    styled(centered(right_cell), MOTTO, size=13.5, bold=True)
    rule(right_cell, right, Mm(58))
    number_cell, date_cell = table.rows[1].cells
    styled(first_paragraph(number_cell), number_line, size=13)
    styled(first_paragraph(date_cell), place_date_line, size=13.5, italic=True)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def title(document: DocumentObject, text: str, subtitle: str = "", note: str = "") -> None:
    """The paper's name (bold, upper case, centered), the line under it that says what it is
    about (bold), and a small italic note (a form's legal reference line)."""
    styled(
        centered(document, space_after=0 if subtitle or note else 12),
        text.upper(),
        size=14,
        bold=True,
    )
    if subtitle:
        styled(centered(document, space_after=0 if note else 12), subtitle, size=14, bold=True)
    if note:
        styled(centered(document, space_after=12), note, size=11, italic=True)


def body_paragraph(document: DocumentObject, text: str = "", *, italic: bool = False) -> Paragraph:
    """Running text: justified, the first line indented 1 cm."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    return styled(paragraph, text, italic=italic)


def keep_last_lines_with_next(document: DocumentObject, count: int = 2) -> None:
    """The body's last `count` paragraphs (or a closing table's last row) stay on the page of
    what follows: the signature is never alone at the top of a page."""
    kept = 0
    for element in reversed(list(document.element.body)):
        if element.tag == qn("w:p"):
            Paragraph(element, document._body).paragraph_format.keep_with_next = True
            kept += 1
        elif element.tag == qn("w:tbl"):
            for paragraph in element.iter(qn("w:p")):
                Paragraph(paragraph, document._body).paragraph_format.keep_with_next = True
            kept += 1
        if kept >= count:
            return


def signer_side(cell: _Cell, signer: Signer) -> None:
    styled(first_paragraph(cell), signer.title.upper(), size=13.5, bold=True)
    if signer.note:
        styled(centered(cell), signer.note, size=13, italic=True)
    for _ in range(4):  # the space for the signature (and the seal)
        centered(cell)
    styled(centered(cell), signer.name, size=13.5, bold=True)


def signature_block(
    document: DocumentObject,
    letterhead: Letterhead,
    copies: Iterable[str] = (),
    *,
    signer: Signer | None = None,
    left_signer: Signer | None = None,
) -> None:
    """ "Nơi nhận:" and its list on the left (or a second signer: the citizen), the signer
    on the right (by default the letterhead's), kept together on one page and with the last
    lines of the body."""
    keep_last_lines_with_next(document)
    signer = signer or Signer(letterhead.signer_title, "", letterhead.signer_name)
    table = layout_table(document, 1, [TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2])
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    if left_signer is not None:
        signer_side(left, left_signer)
    else:
        heading = first_paragraph(left)
        heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
        styled(heading, "Nơi nhận:" if copies else "", size=12, bold=True, italic=True)
        for line in copies:
            styled(left.add_paragraph(), f"- {line}", size=11).paragraph_format.space_after = 0
    signer_side(right, signer)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True


def add_block(document: DocumentObject, block: Block) -> None:
    if isinstance(block, Line):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        styled(paragraph, f"{block.label} ")
        if block.value:
            styled(paragraph, block.value, bold=True)
        elif block.dots:
            styled(paragraph, DOTS)
    elif isinstance(block, Text):
        body_paragraph(document, block.text, italic=block.italic)
    elif isinstance(block, Items):
        for number, item in enumerate(block.items, start=1):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Mm(10)
            paragraph.paragraph_format.first_line_indent = -Mm(6)
            paragraph.paragraph_format.space_after = Pt(2)
            styled(paragraph, f"{number}. {item}")
    elif isinstance(block, Table):
        add_grid(document, block)


def add_grid(document: DocumentObject, block: Table) -> None:
    """A table with its borders (Word's "Table Grid"), the header row bold and centered."""
    widths = [TEXT_WIDTH * share // 100 for share in block.widths]
    table = layout_table(document, 1 + len(block.rows), widths)
    table.style = document.styles["Table Grid"]
    for row_number, values in enumerate((block.headers, *block.rows)):
        for column, (cell, value) in enumerate(
            zip(table.rows[row_number].cells, values, strict=True)
        ):
            paragraph = first_paragraph(cell)
            if row_number and column == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            styled(paragraph, value, size=12, bold=row_number == 0)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def write_paper(paper: Paper, letterhead: Letterhead) -> bytes:
    """The DOCX of a paper, in the same order as its A4 page."""
    document = new_document()
    national_header(document, letterhead, paper.number_line, paper.place_date_line)
    title(document, paper.title, paper.subtitle, paper.legal_line)
    for block in (*paper.body, *paper.closing):
        add_block(document, block)
    signature_block(
        document,
        letterhead,
        paper.copies,
        signer=paper.signer,
        left_signer=paper.left_signer,
    )
    return save(document)
