// The small questions the console asks: which counter to transfer to, why the counter
// pauses, whether to log out while a ticket is still in service. (The outcome's questions
// are in outcome-dialog.js.)
import { counterButtons } from "./render.js";
import { PAUSE_REASONS, T } from "./strings.js";

const $ = (id) => document.getElementById(id);

/** Which counter to send `ticket` to: resolves with the counter, or null when cancelled.
 * A closed counter is not offered (the server refuses it); a paused one is, marked as such.
 * Counters serving the ticket's procedure come first. */
export function chooseCounter(ticket, counters) {
  const dialog = $("transfer-dialog");
  const offered = counters.filter((c) => (c.state ? c.state !== "closed" : true));
  const serves = (counter) => counter.procedures.includes(ticket.procedure_id);
  const sorted = [...offered.filter(serves), ...offered.filter((c) => !serves(c))];
  return new Promise((resolve) => {
    const choose = (counter) => {
      resolve(counter);
      dialog.close();
    };
    $("transfer-title").textContent = T.transferTitle(ticket.number);
    $("transfer-choices").replaceChildren(
      ...counterButtons(sorted, choose, { procedureId: ticket.procedure_id }),
    );
    dialog.querySelector(".dialog-error").textContent = sorted.length ? "" : T.transferNone;
    dialog.addEventListener("close", () => resolve(null), { once: true });
    dialog.showModal();
  });
}

let pauseWith = async () => {};

/** Ask why the counter pauses (a button or a typed reason) and hand it to `pause`, which
 * closes the dialog on success or leaves it open with the server's refusal shown. */
export function askPauseReason(pause) {
  pauseWith = pause;
  $("pause-reason").value = "";
  $("pause-error").textContent = "";
  $("pause-dialog").showModal();
  $("pause-reasons").querySelector("button")?.focus();
}

/** Ask before logging out while `number` is still served: resolves true to log out. */
export function confirmLogout(number) {
  const dialog = $("logout-dialog");
  $("logout-text").textContent = T.logoutServing(number);
  return new Promise((resolve) => {
    let answer = false;
    $("logout-anyway").onclick = () => {
      answer = true;
      dialog.close();
    };
    $("logout-stay").onclick = () => dialog.close();
    dialog.addEventListener("close", () => resolve(answer), { once: true });
    dialog.showModal();
    $("logout-stay").focus();
  });
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
  $("pause-reasons").replaceChildren(
    ...PAUSE_REASONS.map((reason) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.reason = reason;
      button.textContent = reason;
      button.addEventListener("click", () => pauseWith(reason));
      return button;
    }),
  );
  $("pause-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = $("pause-reason").value.trim();
    if (!reason) {
      $("pause-error").textContent = T.pauseReasonMissing;
      $("pause-reason").focus();
      return;
    }
    pauseWith(reason);
  });
  $("pause-cancel").addEventListener("click", () => $("pause-dialog").close());
}
