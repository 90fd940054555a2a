// Thủ tục: the procedures the kiosk offers, their documents, legal time, default due date,
// and which ones belong to the no-appointment model (never fewer than five).
import { T } from "./strings.js";
import { button, checkRow, confirmAction, group, h, numberOf, openDialog, row, rowError, table, textOf } from "./ui.js";

const MINIMUM_NO_APPOINTMENT = 5;
const S = {
  title: "Thủ tục",
  hint: "Sửa thủ tục chỉ áp dụng cho phiếu lấy từ nay; phiếu đã cấp giữ nguyên. Thủ tục đã có phiếu không xoá được: bỏ chọn “Đang tiếp nhận” để ki-ốt không hiện nó nữa.",
  count: (eligible) => `Đang có ${eligible} thủ tục “không hẹn” (cần ít nhất ${MINIMUM_NO_APPOINTMENT}).`,
  add: "Thêm thủ tục",
  addTitle: "Thêm thủ tục",
  editTitle: (procedure) => `Sửa thủ tục “${procedure.short_name}”`,
  name: "Tên thủ tục (đầy đủ)",
  shortName: "Tên ngắn hiện trên ki-ốt",
  shortNameHint: "Để trống thì dùng tên đầy đủ.",
  field: "Lĩnh vực",
  code: "Mã thủ tục quốc gia",
  codeHint: "Ví dụ 2.000815 (không bắt buộc).",
  legalTime: "Thời hạn giải quyết (theo quy định)",
  processingDays: "Số ngày làm việc để có kết quả",
  processingDaysHint: "0 = trả ngay trong ngày. Dùng để đề xuất ngày hẹn trả (không tính ngày nghỉ).",
  serviceMinutes: "Số phút phục vụ tại quầy (ước tính)",
  fee: "Lệ phí",
  documents: "Thành phần hồ sơ",
  documentsHint: "Mỗi dòng một giấy tờ; ki-ốt đọc danh sách này cho công dân.",
  document: (number) => `Giấy tờ ${number}`,
  addDocument: "Thêm giấy tờ",
  removeDocument: (number) => `Bỏ giấy tờ ${number}`,
  noAppointment: "Áp dụng “không hẹn” (trả kết quả ngay trong ngày không hẹn)",
  onlineHelp: "Là bàn hỗ trợ nộp hồ sơ trực tuyến (không phải thủ tục hành chính)",
  active: "Đang tiếp nhận (bỏ chọn: ki-ốt và tờ niêm yết không hiện thủ tục này; phiếu đã cấp vẫn tính trong báo cáo)",
  stopped: "Ngừng tiếp nhận",
  columns: ["Thủ tục", "Lĩnh vực", "Không hẹn", "Ngày giải quyết", "Quầy phục vụ"],
  sameDay: "trong ngày",
  days: (days) => `${days} ngày`,
  noCounter: "Chưa có quầy nào",
  counters: (ids) => `Quầy ${ids.join(", ")}`,
  empty: "Chưa có thủ tục nào.",
  removeTitle: "Xoá thủ tục?",
  removeText: (procedure) => `Xoá thủ tục “${procedure.short_name}” khỏi danh mục và khỏi mọi quầy?`,
};

function documentRow(value = "") {
  const item = h("li", {}, h("input", { name: "document", value, autocomplete: "off" }));
  item.append(button("×", () => {
    const list = item.parentElement;
    item.remove();
    renumber(list);
  }, "icon"));
  return item;
}

// Each line's label says its number, for screen readers ("Giấy tờ 2", "Bỏ giấy tờ 2").
function renumber(list) {
  [...list.children].forEach((item, index) => {
    item.querySelector("input").setAttribute("aria-label", S.document(index + 1));
    item.querySelector("button").setAttribute("aria-label", S.removeDocument(index + 1));
    item.querySelector("button").title = S.removeDocument(index + 1);
  });
}

function documentsEditor(documents) {
  const list = h("ol", { class: "documents" }, documents.map((text) => documentRow(text)));
  renumber(list);
  return h("div", {}, list, button(S.addDocument, () => {
    list.append(documentRow());
    renumber(list);
    list.lastChild.querySelector("input").focus();
  }, "small"));
}

function form(procedure, fields) {
  return [
    row(S.field, h("select", { name: "field", required: true }, fields.map((field) =>
      h("option", { value: field.id, selected: field.id === procedure.field }, `${field.letter} — ${field.name}`)))),
    row(S.name, h("textarea", { name: "name", rows: 3, required: true, value: procedure.name || "" })),
    row(S.shortName, h("input", { name: "short_name", value: procedure.short_name || "", autocomplete: "off" }), { hint: S.shortNameHint }),
    row(S.code, h("input", { name: "code", value: procedure.code || "", autocomplete: "off" }), { hint: S.codeHint }),
    row(S.legalTime, h("textarea", { name: "legal_time", rows: 2, value: procedure.legal_time || "" })),
    h("div", { class: "form-pair" },
      row(S.processingDays, h("input", { name: "processing_days", type: "number", min: 0, step: 1, value: procedure.processing_days ?? 0 }), { hint: S.processingDaysHint }),
      row(S.serviceMinutes, h("input", { name: "service_minutes", type: "number", min: 1, step: 1, value: procedure.service_minutes ?? 5 }))),
    row(S.fee, h("input", { name: "fee", value: procedure.fee || "", autocomplete: "off" })),
    group(S.documents, documentsEditor(procedure.documents || []), { hint: S.documentsHint, name: "documents" }),
    checkRow(S.noAppointment, h("input", { type: "checkbox", name: "no_appointment", checked: Boolean(procedure.no_appointment) })),
    checkRow(S.onlineHelp, h("input", { type: "checkbox", name: "online_help", checked: Boolean(procedure.online_help) })),
    checkRow(S.active, h("input", { type: "checkbox", name: "active", checked: procedure.active !== false })),
  ];
}

function body(form) {
  return {
    field: form.elements.field.value,
    name: textOf(form, "name"),
    short_name: textOf(form, "short_name"),
    code: textOf(form, "code"),
    legal_time: textOf(form, "legal_time"),
    processing_days: numberOf(form, "processing_days"),
    service_minutes: numberOf(form, "service_minutes"),
    fee: textOf(form, "fee"),
    documents: [...form.querySelectorAll("input[name=document]")].map((input) => input.value.trim()).filter(Boolean),
    no_appointment: form.elements.no_appointment.checked,
    online_help: form.elements.online_help.checked,
    active: form.elements.active.checked,
  };
}

function edit(app, fields, procedure = null) {
  const path = procedure ? `/api/admin/procedures/${encodeURIComponent(procedure.id)}` : "/api/admin/procedures";
  return openDialog({
    title: procedure ? S.editTitle(procedure) : S.addTitle,
    body: form(procedure || { field: fields[0]?.id }, fields),
    submitLabel: procedure ? T.save : S.add,
    submit: (dialog) => app.call(procedure ? "PUT" : "POST", path, body(dialog)),
  }).then((saved) => saved && app.redraw());
}

async function remove(app, procedure, tr) {
  if (!(await confirmAction(S.removeTitle, S.removeText(procedure), T.remove))) return;
  try {
    await app.call("DELETE", `/api/admin/procedures/${encodeURIComponent(procedure.id)}`);
    await app.redraw(T.deleted(`thủ tục “${procedure.short_name}”`));
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const [procedures, fields] = await Promise.all([
    app.call("GET", "/api/admin/procedures"),
    app.call("GET", "/api/admin/fields"),
  ]);
  const letters = new Map(fields.map((field) => [field.id, field]));
  const rows = procedures.map((procedure) => {
    const field = letters.get(procedure.field);
    const tr = h("tr", { dataset: { procedure: procedure.id }, class: procedure.active ? "" : "stopped" },
      h("td", {}, h("strong", { class: "procedure-name" }, procedure.short_name),
        procedure.code ? h("span", { class: "code" }, procedure.code) : null,
        procedure.active ? null : h("span", { class: "badge stopped" }, S.stopped)),
      h("td", {}, h("span", { class: "letter", title: field?.name }, field?.letter || "?")),
      h("td", { class: "center" }, procedure.no_appointment ? h("span", { class: "badge" }, T.yes) : ""),
      h("td", {}, procedure.processing_days ? S.days(procedure.processing_days) : S.sameDay),
      h("td", { class: procedure.counters.length ? "" : "warning" },
        procedure.counters.length ? S.counters(procedure.counters) : S.noCounter),
      h("td", { class: "actions" },
        button(T.edit, () => edit(app, fields, procedure), "small"),
        button(T.remove, () => remove(app, procedure, tr), "small danger-quiet")));
    return tr;
  });
  const eligible = procedures.filter((procedure) => procedure.no_appointment && procedure.active).length;
  return h("div", {},
    h("div", { class: "toolbar" },
      h("p", { class: eligible < MINIMUM_NO_APPOINTMENT ? "count warning" : "count" }, S.count(eligible)),
      button(S.add, () => edit(app, fields), "primary")),
    table([...S.columns, T.actions], rows, S.empty));
}

export const procedures = { id: "thu-tuc", title: S.title, hint: S.hint, draw };
