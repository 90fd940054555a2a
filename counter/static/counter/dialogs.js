// The two questions the console asks: which counter to transfer to, which day to return on.
import { formatDay } from "/static/common/format.js";
import { counterButtons, localDay } from "./render.js";
import { T } from "./strings.js";

const $ = (id) => document.getElementById(id);

/** Which counter to send `ticket` to: resolves with the counter, or null when cancelled.
 * Counters serving the ticket's procedure come first. */
export function chooseCounter(ticket, counters) {
  const dialog = $("transfer-dialog");
  const serves = (counter) => counter.procedures.includes(ticket.procedure_id);
  const sorted = [...counters.filter(serves), ...counters.filter((c) => !serves(c))];
  return new Promise((resolve) => {
    const choose = (counter) => {
      resolve(counter);
      dialog.close();
    };
    $("transfer-title").textContent = T.transferTitle(ticket.number);
    $("transfer-choices").replaceChildren(
      ...counterButtons(sorted, choose, { procedureId: ticket.procedure_id }),
    );
    dialog.addEventListener("close", () => resolve(null), { once: true });
    dialog.showModal();
  });
}

function showDueDay() {
  const value = $("due-date").value;
  $("due-date-text").textContent = value ? formatDay(localDay(value)) : "";
}

/** Ask for the appointment's due date (`proposed` filled in) and hand it to `finish`, which
 * closes the dialog on success (closeDialogs) or leaves it open with the error shown. */
export function askDueDate(ticket, proposed, finish) {
  const input = $("due-date");
  input.min = ticket.day || "";
  input.value = proposed;
  showDueDay();
  $("appointment-title").textContent = T.appointmentTitle(ticket.number);
  $("appointment-error").textContent = "";
  $("appointment-form").onsubmit = async (event) => {
    event.preventDefault();
    if (!input.value) {
      $("appointment-error").textContent = T.dueDateMissing;
      return;
    }
    $("appointment-error").textContent = "";
    await finish(input.value);
  };
  $("appointment-dialog").showModal();
  input.focus();
}

/** Show an error inside the open dialog too (the page behind a modal dialog is inert). */
export function showDialogError(message) {
  const error = document.querySelector("dialog[open] .dialog-error");
  if (error) error.textContent = message;
}

export const dialogOpen = () => document.querySelector("dialog[open]") !== null;

export function closeDialogs() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
}

export function wireDialogs() {
  $("due-date").addEventListener("input", showDueDay);
  $("appointment-cancel").addEventListener("click", () => $("appointment-dialog").close());
}
