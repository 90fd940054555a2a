"""Routes of the counter's forms: each as an A4 page (printed from the browser, at once with
?print=1) and as a DOCX file, for an officer or an admin.

`/forms/receipt|supplement|refusal/<ticket_id>` and `/forms/apology/<dossier_code>`, each with
`.docx`. The answer is a page even when refused (the console opens it in a new tab): 401 with
a link to log in, 404 for an unknown ticket or dossier, 409 for a ticket whose outcome is not
the form's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from server.errors import DomainError, NotFound
from server.paperwork.counter_forms import FORM_KINDS, apology_form, ticket_form
from server.paperwork.docx_layout import write_paper
from server.paperwork.letterhead import load_letterhead
from server.paperwork.paper import Paper
from server.web.request import current_user, db

# The template is server/templates/paperwork/, its style and script server/static/paperwork/.
blueprint = Blueprint("forms", __name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE_NAMES = {
    "receipt": "giay-tiep-nhan-ho-so",
    "supplement": "phieu-yeu-cau-bo-sung",
    "refusal": "phieu-tu-choi",
    "apology": "phieu-xin-loi",
}
HEADINGS = {
    401: "Vui lòng đăng nhập",
    403: "Không có quyền xem giấy tờ này",
    404: "Không tìm thấy giấy tờ",
    409: "Không lập được giấy tờ này",
}


def refused(status: int, message: str) -> Any:
    page = render_template(
        "paperwork/error.html", heading=HEADINGS[status], message=message, login=status == 401
    )
    return page, status


def paper_for(kind: str, key: str) -> Paper:
    letterhead = load_letterhead(db())
    if kind == "apology":
        return apology_form(db(), letterhead, key)
    return ticket_form(db(), letterhead, kind, key)


def checked(kind: str, key: str) -> Paper | Any:
    """The paper, or the page that says why there is none."""
    user = current_user()
    if user is None:
        return refused(401, "Giấy tờ tại quầy chỉ dành cho cán bộ đã đăng nhập.")
    if not user.may("officer"):
        return refused(403, "Tài khoản này không được lập giấy tờ tại quầy.")
    try:
        if kind not in FORM_KINDS:
            raise NotFound(f"Không có mẫu giấy tờ '{kind[:30]}'.", "form_not_found")
        return paper_for(kind, key)
    except DomainError as error:
        return refused(error.status, error.message)


@blueprint.get("/forms/<kind>/<key>")
def form_page(kind: str, key: str) -> Any:
    paper = checked(kind, key)
    if not isinstance(paper, Paper):
        return paper
    return render_template(
        "paperwork/document.html",
        paper=paper,
        letterhead=load_letterhead(db()),
        print_now=request.args.get("print") == "1",
        docx_url=f"/forms/{kind}/{key}.docx",
    )


@blueprint.get("/forms/<kind>/<key>.docx")
def form_docx(kind: str, key: str) -> Any:
    paper = checked(kind, key)
    if not isinstance(paper, Paper):
        return paper
    data = write_paper(paper, load_letterhead(db()))
    name = f"{FILE_NAMES[kind]}-{paper.number_line.removeprefix('Số: ')}.docx"
    return (
        data,
        200,
        {
            "Content-Type": DOCX_TYPE,
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
