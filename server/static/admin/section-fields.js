// Lĩnh vực: the fields of procedures and the letter of their ticket numbers (A025).
import { T } from "./strings.js";
import { button, confirmAction, h, openDialog, row, rowError, table, textOf } from "./ui.js";

const S = {
  title: "Lĩnh vực",
  hint: "Mỗi lĩnh vực có một chữ cái riêng đứng đầu số phiếu (ví dụ A025). Phiếu đã cấp giữ nguyên số của mình.",
  letter: "Chữ cái",
  letterHint: "Một chữ từ A đến Z, không trùng lĩnh vực khác.",
  name: "Tên lĩnh vực",
  procedures: "Số thủ tục",
  add: "Thêm lĩnh vực",
  addTitle: "Thêm lĩnh vực",
  editTitle: (field) => `Sửa lĩnh vực “${field.name}”`,
  empty: "Chưa có lĩnh vực nào.",
  removeTitle: "Xoá lĩnh vực?",
  removeText: (field) => `Xoá lĩnh vực “${field.name}” (chữ ${field.letter})?`,
};

function form(field = {}) {
  return [
    row(S.name, h("input", { name: "name", value: field.name || "", required: true, autocomplete: "off" })),
    row(S.letter, h("input", { name: "letter", value: field.letter || "", maxlength: 1, required: true, class: "letter-input", autocomplete: "off" }), { hint: S.letterHint }),
  ];
}

const body = (form) => ({ name: textOf(form, "name"), letter: (textOf(form, "letter") || "").toUpperCase() });

function edit(app, field = null) {
  return openDialog({
    title: field ? S.editTitle(field) : S.addTitle,
    body: form(field || {}),
    submitLabel: field ? T.save : S.add,
    submit: (dialog) => field
      ? app.call("PUT", `/api/admin/fields/${encodeURIComponent(field.id)}`, body(dialog))
      : app.call("POST", "/api/admin/fields", body(dialog)),
  }).then((saved) => saved && app.redraw());
}

async function remove(app, field, tr) {
  if (!(await confirmAction(S.removeTitle, S.removeText(field), T.remove))) return;
  try {
    await app.call("DELETE", `/api/admin/fields/${encodeURIComponent(field.id)}`);
    await app.redraw(T.deleted(`lĩnh vực “${field.name}”`));
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const fields = await app.call("GET", "/api/admin/fields");
  const rows = fields.map((field) => {
    const tr = h("tr", { dataset: { field: field.id } },
      h("td", {}, h("span", { class: "letter" }, field.letter)),
      h("td", {}, field.name),
      h("td", { class: "number" }, String(field.procedures)),
      h("td", { class: "actions" },
        button(T.edit, () => edit(app, field), "small"),
        button(T.remove, () => remove(app, field, tr), "small danger-quiet")));
    return tr;
  });
  return h("div", {},
    h("div", { class: "toolbar" }, button(S.add, () => edit(app), "primary")),
    table([S.letter, S.name, S.procedures, T.actions], rows, S.empty));
}

export const fields = { id: "linh-vuc", title: S.title, hint: S.hint, draw };
