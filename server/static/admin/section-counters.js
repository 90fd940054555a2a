// Quầy: the counters and the procedures each one serves (its line on the console).
import { T } from "./strings.js";
import { button, checkRow, confirmAction, group, h, numberOf, openDialog, row, rowError, table, textOf } from "./ui.js";

const S = {
  title: "Quầy",
  hint: "Mỗi quầy gọi số của những thủ tục được chọn. Đổi thủ tục của quầy áp dụng ngay cho lượt gọi tiếp theo.",
  number: "Số quầy",
  numberHint: "Để trống để lấy số tiếp theo. Số quầy được đọc khi gọi (“mời đến quầy số ba”).",
  name: "Tên quầy",
  nameHint: "Ví dụ: Quầy 7 — Đất đai",
  procedures: "Thủ tục quầy phục vụ",
  served: (count) => `${count} thủ tục`,
  none: "Chưa phục vụ thủ tục nào",
  add: "Thêm quầy",
  addTitle: "Thêm quầy",
  editTitle: (counter) => `Sửa “${counter.name}”`,
  empty: "Chưa có quầy nào.",
  removeTitle: "Xoá quầy?",
  removeText: (counter) => `Xoá “${counter.name}”? Quầy đã từng gọi số thì không xoá được.`,
  all: "Chọn cả lĩnh vực",
};

function proceduresPicker(procedures, fields, served) {
  return fields.map((field) => {
    const own = procedures.filter((procedure) => procedure.field === field.id);
    if (!own.length) return null;
    const boxes = own.map((procedure) => checkRow(procedure.short_name,
      h("input", { type: "checkbox", name: "procedure", value: procedure.id, checked: served.includes(procedure.id) }), { name: "" }));
    const all = button(S.all, () => {
      for (const box of fieldset.querySelectorAll("input[name=procedure]")) box.checked = true;
    }, "small link");
    const fieldset = h("fieldset", { class: "field-procedures" },
      h("legend", {}, `${field.letter} — ${field.name}`), all, boxes);
    return fieldset;
  });
}

function edit(app, procedures, fields, counter = null) {
  const body = (form) => ({
    ...(counter ? {} : { id: numberOf(form, "id") }),
    name: textOf(form, "name"),
    procedures: [...form.querySelectorAll("input[name=procedure]:checked")].map((input) => input.value),
  });
  return openDialog({
    title: counter ? S.editTitle(counter) : S.addTitle,
    body: [
      counter ? null : row(S.number, h("input", { name: "id", type: "number", min: 1, step: 1 }), { hint: S.numberHint }),
      row(S.name, h("input", { name: "name", value: counter?.name || "", required: true, autocomplete: "off" }), { hint: S.nameHint }),
      group(S.procedures, proceduresPicker(procedures, fields, counter?.procedures || []), { name: "procedures" }),
    ],
    submitLabel: counter ? T.save : S.add,
    submit: (form) => counter
      ? app.call("PUT", `/api/admin/counters/${counter.id}`, body(form))
      : app.call("POST", "/api/admin/counters", body(form)),
  }).then((saved) => saved && app.redraw());
}

async function remove(app, counter, tr) {
  if (!(await confirmAction(S.removeTitle, S.removeText(counter), T.remove))) return;
  try {
    await app.call("DELETE", `/api/admin/counters/${counter.id}`);
    await app.redraw(T.deleted(`“${counter.name}”`));
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const [counters, procedures, fields] = await Promise.all([
    app.call("GET", "/api/admin/counters"),
    app.call("GET", "/api/admin/procedures"),
    app.call("GET", "/api/admin/fields"),
  ]);
  const names = new Map(procedures.map((procedure) => [procedure.id, procedure.short_name]));
  const rows = counters.map((counter) => {
    const tr = h("tr", { dataset: { counter: String(counter.id) } },
      h("td", { class: "number" }, String(counter.id)),
      h("td", {}, h("strong", {}, counter.name)),
      h("td", { class: counter.procedures.length ? "" : "warning" }, counter.procedures.length
        ? h("details", {}, h("summary", {}, S.served(counter.procedures.length)),
          h("ul", { class: "plain" }, counter.procedures.map((id) => h("li", {}, names.get(id) || id))))
        : S.none),
      h("td", { class: "actions" },
        button(T.edit, () => edit(app, procedures, fields, counter), "small"),
        button(T.remove, () => remove(app, counter, tr), "small danger-quiet")));
    return tr;
  });
  return h("div", {},
    h("div", { class: "toolbar" }, button(S.add, () => edit(app, procedures, fields), "primary")),
    table([S.number, S.name, S.procedures, T.actions], rows, S.empty));
}

export const counters = { id: "quay", title: S.title, hint: S.hint, draw };
