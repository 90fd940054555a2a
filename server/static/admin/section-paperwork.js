// Giấy tờ: the letterhead of the center's papers (the counter's forms and the leader's report):
// the bodies in the header, the place, the symbol after the number, the signer, to whom a
// report goes and its copies, and each form's legal reference line. A value left blank goes
// back to its default.
import { T } from "./strings.js";
import { clearErrors, group, h, row, showError, textOf } from "./ui.js";

const S = {
  title: "Giấy tờ",
  hint: "Tiêu đề và chữ ký của các phiếu in tại quầy (A4, DOCX) và của báo cáo gửi cấp trên, theo thể thức Nghị định 30/2020/NĐ-CP. Để trống một ô: dùng giá trị mặc định.",
  governing: "Cơ quan chủ quản",
  governingHint: "Dòng trên cùng bên trái, ví dụ ỦY BAN NHÂN DÂN XÃ LAI KHÊ.",
  issuing: "Cơ quan ban hành",
  issuingHint: "In đậm dưới cơ quan chủ quản, ví dụ TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG.",
  place: "Địa danh",
  placeHint: "Trước ngày tháng: “Lai Khê, ngày 05 tháng 02 năm 2026”.",
  symbol: "Chữ viết tắt tên cơ quan",
  symbolHint: "Sau số văn bản: “Số: …/BC-TTPVHCC”. Chữ in hoa, số và dấu “-”.",
  signerTitle: "Chức vụ người ký",
  signerName: "Họ tên người ký",
  recipients: "Kính gửi (báo cáo)",
  copies: "Nơi nhận (báo cáo)",
  linesHint: "Mỗi dòng một nơi.",
  legal: "Căn cứ pháp lý in dưới tên từng mẫu",
  legalHint: "Các văn bản về một cửa thay đổi (Nghị định 118/2025/NĐ-CP, Thông tư 03/2025/TT-VPCP): ghi đúng mẫu của văn bản đang có hiệu lực.",
  kinds: {
    receipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    supplement: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    refusal: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    apology: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    report: "Báo cáo kết quả thực hiện",
  },
  save: "Lưu thay đổi",
};

const lines = (form, name) => form.elements[name].value.split("\n").map((line) => line.trim()).filter(Boolean);

async function draw(app) {
  const paper = await app.call("GET", "/api/admin/paperwork");
  const error = h("p", { class: "form-error", role: "alert" });
  const text = (name, value, size = 60) => h("input", { name, value, size, autocomplete: "off" });
  const area = (name, value) => h("textarea", { name, rows: 3, cols: 60 }, value.join("\n"));
  const form = h("form", { class: "card form", novalidate: true },
    row(S.governing, text("governing_body", paper.governing_body), { hint: S.governingHint }),
    row(S.issuing, text("issuing_body", paper.issuing_body), { hint: S.issuingHint }),
    row(S.place, text("place", paper.place, 30), { hint: S.placeHint }),
    row(S.symbol, text("symbol", paper.symbol, 20), { hint: S.symbolHint }),
    row(S.signerTitle, text("signer_title", paper.signer_title, 30)),
    row(S.signerName, text("signer_name", paper.signer_name, 30)),
    row(S.recipients, area("report_recipients", paper.report_recipients), { hint: S.linesHint }),
    row(S.copies, area("report_copies", paper.report_copies), { hint: S.linesHint }),
    group(S.legal, Object.entries(S.kinds).map(([kind, label]) =>
      row(label, h("textarea", { name: `legal_${kind}`, rows: 2, cols: 60 }, paper.legal_references[kind] || ""))),
    { hint: S.legalHint, name: "legal_references" }),
    error,
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, S.save)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { report_recipients: lines(form, "report_recipients"), report_copies: lines(form, "report_copies") };
    for (const name of ["governing_body", "issuing_body", "place", "symbol", "signer_title", "signer_name"]) {
      body[name] = textOf(form, name);
    }
    body.legal_references = Object.fromEntries(Object.keys(S.kinds).map((kind) => [kind, textOf(form, `legal_${kind}`)]));
    try {
      await app.call("PUT", "/api/admin/paperwork", body);
      await app.redraw(T.saved);
    } catch (failure) {
      showError(form, failure, error);
    }
  });
  return form;
}

export const paperwork = { id: "giay-to", title: S.title, hint: S.hint, draw };
