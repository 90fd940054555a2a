// Building blocks of the admin page: labelled inputs with their error line, the one dialog
// (edit forms and confirmations), and errors shown next to the input that caused them.
// Elements come from the shared builder, re-exported for the sections.
import { ApiError } from "/static/common/api.js";
import { h } from "/static/common/dom.js";

export { h };

export const button = (label, onclick, className = "", props = {}) =>
  h("button", { type: "button", class: className, onclick, ...props }, label);

let lastId = 0;
const newId = () => `input-${++lastId}`;

// A labelled input, its hint and the line where its error appears (data-error-for = name).
export function row(label, input, { hint = "", name = input.name } = {}) {
  input.id = input.id || newId();
  const hintNode = hint ? h("p", { class: "hint", id: `${input.id}-hint` }, hint) : null;
  if (hintNode) input.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "form-row" },
    h("label", { for: input.id }, label),
    input,
    hintNode,
    errorLine(name));
}

// A checkbox with its label on the right.
export function checkRow(label, input, { hint = "", name = input.name } = {}) {
  input.id = input.id || newId();
  return h("div", { class: "form-row check-row" },
    h("label", { class: "check", for: input.id }, input, h("span", {}, label)),
    hint ? h("p", { class: "hint" }, hint) : null,
    name ? errorLine(name) : null);
}

// A group of inputs under a legend (weekdays, documents, a counter's procedures).
export function group(legend, content, { hint = "", name = "" } = {}) {
  return h("fieldset", { class: "group" },
    h("legend", {}, legend),
    hint ? h("p", { class: "hint" }, hint) : null,
    content,
    name ? errorLine(name) : null);
}

export const errorLine = (name) => h("p", { class: "field-error", dataset: { errorFor: name } });

// Error codes that name their input other than by "invalid_<input>".
const CODE_INPUTS = {
  letter_taken: "letter",
  username_taken: "username",
  invalid_username: "username",
  weak_password: "password",
  invalid_role: "role",
  day_taken: "day",
  counter_id_taken: "id",
  id_taken: "id",
  too_few_no_appointment: "no_appointment",
  counter_not_found: "counter",
  invalid_printer_name: "kiosk",
  invalid_booking_capacity: "fields",
  invalid_booking_slot_minutes: "fields",
};

export function clearErrors(scope) {
  for (const line of scope.querySelectorAll(".field-error, .form-error")) line.textContent = "";
  for (const input of scope.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// The server's Vietnamese message under the input it names, else on the fallback line.
export function showError(scope, error, fallback) {
  if (!(error instanceof ApiError)) throw error;
  const name = CODE_INPUTS[error.code] || (error.code.startsWith("invalid_") ? error.code.slice(8) : "");
  const line = name ? scope.querySelector(`[data-error-for="${name}"]`) : null;
  (line || fallback).textContent = error.message;
  const input = line && scope.querySelector(`[name="${name}"]`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

const $ = (id) => document.getElementById(id);

// Opens the dialog with a form; `submit(form)` saves it. An error keeps the dialog open with
// the message next to its input; success closes it and resolves with submit's result
// (null when cancelled).
export function openDialog({ title, body = [], submitLabel, submit = async () => true, danger = false, cancel = true }) {
  const dialog = $("dialog");
  const form = $("dialog-form");
  $("dialog-title").textContent = title;
  $("dialog-body").replaceChildren(...[body].flat().filter(Boolean));
  $("dialog-submit").textContent = submitLabel;
  $("dialog-submit").className = danger ? "danger" : "primary";
  $("dialog-cancel").hidden = !cancel;
  clearErrors(form);
  return new Promise((resolve) => {
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      form.onsubmit = null;
      $("dialog-cancel").onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(value);
    };
    form.onsubmit = async (event) => {
      event.preventDefault();
      clearErrors(form);
      $("dialog-submit").disabled = true;
      try {
        finish(await submit(form));
      } catch (error) {
        showError(form, error, $("dialog-error"));
      } finally {
        $("dialog-submit").disabled = false;
      }
    };
    $("dialog-cancel").onclick = () => finish(null);
    dialog.onclose = () => finish(null);
    dialog.showModal();
    const first = form.querySelector("#dialog-body input, #dialog-body select, #dialog-body textarea");
    (first || $("dialog-submit")).focus();
  });
}

// "Are you sure?" before deleting or disabling: resolves true only on the confirming button.
export async function confirmAction(title, text, confirmLabel) {
  return (await openDialog({ title, body: h("p", {}, text), submitLabel: confirmLabel, danger: true })) === true;
}

// The value of a form's input, trimmed; "" → null.
export function textOf(form, name) {
  const value = form.elements[name].value.trim();
  return value === "" ? null : value;
}

export function numberOf(form, name) {
  const value = form.elements[name].value.trim();
  return value === "" ? null : Number(value);
}

// A table with a header row; `rows` are <tr> elements.
export function table(headers, rows, emptyText) {
  return h("table", { class: "list" },
    h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: headers.length, class: "empty" }, emptyText))));
}

// A refusal of a row's action (delete, disable), shown on a line right under that row.
export function rowError(tr, error) {
  if (!(error instanceof ApiError)) throw error;
  let line = tr.nextElementSibling;
  if (!line || !line.classList.contains("row-error")) {
    line = h("tr", { class: "row-error" }, h("td", { colspan: tr.children.length, role: "alert" }));
    tr.after(line);
  }
  line.firstChild.textContent = error.message;
}
