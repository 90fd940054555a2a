// Lịch nghỉ lễ & ngày làm bù: the dated exceptions to the weekly hours, announced each year.
import { CALENDAR_KINDS, T, dayWithWeekday } from "./strings.js";
import { button, clearErrors, confirmAction, h, openDialog, row, rowError, showError, table, textOf } from "./ui.js";

const S = {
  title: "Lịch nghỉ lễ & ngày làm bù",
  hint: "Ngày nghỉ lễ: trung tâm đóng cửa, không có phiên không hẹn, ngày hẹn trả kết quả không tính ngày đó. Ngày làm bù: một ngày cuối tuần trung tâm làm việc (theo giờ của Thứ Hai).",
  day: "Ngày",
  dayInput: "Ngày (ngày/tháng/năm)",
  kind: "Loại ngày",
  name: "Tên ngày",
  dayFormat: "Ngày phải có dạng ngày/tháng/năm, ví dụ 01/01/2027.",
  namePlaceholder: "Ví dụ: Tết Nguyên đán",
  add: "Thêm vào lịch",
  empty: "Chưa có ngày nghỉ lễ hay ngày làm bù nào.",
  editTitle: (day) => `Sửa ngày ${day}`,
  removeTitle: "Xoá ngày khỏi lịch?",
  removeText: (entry) => `Xoá “${entry.name}” (${dayWithWeekday(entry.day)}) khỏi lịch? Ngày đó sẽ theo giờ làm việc thường của tuần.`,
  past: "đã qua",
};

// "01/01/2027" (or "1/1/2027", "1-1-2027") → "2027-01-01"; null when it is not that shape
// (the server checks that the date exists).
function isoDay(text) {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text || "");
  if (!match) return null;
  return `${match[3]}-${match[2].padStart(2, "0")}-${match[1].padStart(2, "0")}`;
}

const kindSelect = (value = "holiday") =>
  h("select", { name: "kind" }, Object.entries(CALENDAR_KINDS).map(([key, label]) =>
    h("option", { value: key, selected: key === value }, label)));

function addForm(app) {
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "card form inline-form", novalidate: true },
    row(S.dayInput, h("input", { name: "day", placeholder: "dd/mm/yyyy", inputmode: "numeric", maxlength: 10, size: 10, required: true, autocomplete: "off" })),
    row(S.kind, kindSelect()),
    row(S.name, h("input", { name: "name", placeholder: S.namePlaceholder, required: true, autocomplete: "off" })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, S.add)),
    error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const day = isoDay(textOf(form, "day"));
    if (!day) {
      form.querySelector('[data-error-for="day"]').textContent = S.dayFormat;
      form.elements.day.setAttribute("aria-invalid", "true");
      form.elements.day.focus();
      return;
    }
    try {
      await app.call("POST", "/api/admin/calendar", { day, kind: form.elements.kind.value, name: textOf(form, "name") });
      await app.redraw();
    } catch (failure) {
      showError(form, failure, error);
    }
  });
  return form;
}

function edit(app, entry) {
  return openDialog({
    title: S.editTitle(dayWithWeekday(entry.day)),
    body: [row(S.kind, kindSelect(entry.kind)), row(S.name, h("input", { name: "name", value: entry.name, required: true }))],
    submitLabel: T.save,
    submit: (form) => app.call("PUT", `/api/admin/calendar/${entry.day}`, {
      kind: form.elements.kind.value, name: textOf(form, "name"),
    }),
  }).then((saved) => saved && app.redraw());
}

async function remove(app, entry, tr) {
  if (!(await confirmAction(S.removeTitle, S.removeText(entry), T.remove))) return;
  try {
    await app.call("DELETE", `/api/admin/calendar/${entry.day}`);
    await app.redraw(T.deleted(`“${entry.name}”`));
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const days = await app.call("GET", "/api/admin/calendar");
  const now = new Date();
  const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  const rows = days.map((entry) => {
    const tr = h("tr", { class: entry.day < today ? "past" : "", dataset: { day: entry.day } },
      h("td", {}, dayWithWeekday(entry.day), entry.day < today ? h("span", { class: "tag" }, S.past) : null),
      h("td", {}, h("span", { class: `kind kind-${entry.kind}` }, CALENDAR_KINDS[entry.kind])),
      h("td", {}, entry.name),
      h("td", { class: "actions" },
        button(T.edit, () => edit(app, entry), "small"),
        button(T.remove, () => remove(app, entry, tr), "small danger-quiet")));
    return tr;
  });
  return h("div", {}, addForm(app), table([S.day, S.kind, S.name, T.actions], rows, S.empty));
}

export const calendar = { id: "lich", title: S.title, hint: S.hint, draw };
