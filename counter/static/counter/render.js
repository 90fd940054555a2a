// Drawing the console from a counter_state snapshot: the counter's state, the current
// ticket, the line, today's no-shows and finished tickets, the tally. Every time is shown in
// the center's zone on the server's clock (clock.js), never the PC's.
import { formatDay } from "/static/common/format.js";
import { centerTime, elapsed, minutesSince } from "/static/common/center-clock.js";
import { dayText } from "./duedate.js";
import { formLinks } from "./forms.js";
import { CHANNELS, OUTCOMES, PRIORITIES, T } from "./strings.js";

const $ = (id) => document.getElementById(id);
/** A "YYYY-MM-DD" day as a local Date (not UTC midnight). */
export const localDay = (iso) => {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
};

/** Fill every [data-t] element with its text from strings.js ([data-t-label]: aria-label). */
export function applyStrings(root = document) {
  for (const element of root.querySelectorAll("[data-t]")) {
    element.textContent = T[element.dataset.t];
  }
  for (const element of root.querySelectorAll("[data-t-label]")) {
    element.setAttribute("aria-label", T[element.dataset.tLabel]);
  }
}

/** Replace a list's items, keeping the keyboard focus on the same ticket's button: these
 * short lists are drawn again on every push, and a focused button must not vanish. */
function replaceKeepingFocus(container, items) {
  const focused = document.activeElement;
  const ticketId = container.contains(focused)
    ? focused.closest("[data-ticket-id]")?.dataset.ticketId
    : null;
  container.replaceChildren(...items);
  if (ticketId) {
    const again = [...container.querySelectorAll("[data-ticket-id]")]
      .find((item) => item.dataset.ticketId === ticketId)
      ?.querySelector("button:not(:disabled)");
    if (again) again.focus();
  }
}

function element(tag, className, text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function mark(text, kind, title = "") {
  const span = element("span", `mark mark-${kind}`, text);
  if (title) span.title = title;
  return span;
}

/** The marks of a ticket: taken from outside or booked (with the booked time), priority
 * (with its group), transferred here, no-appointment, the citizen's checklist answer. */
export function ticketMarks(ticket, counterId) {
  const marks = [];
  if (ticket.channel === "remote") marks.push(mark(CHANNELS.remote, "remote"));
  if (ticket.channel === "booking") {
    const booked = ticket.booked_start ? ` ${ticket.booked_start}` : "";
    marks.push(mark(`${CHANNELS.booking}${booked}`, "booking"));
  }
  if (ticket.priority) {
    const group = PRIORITIES[ticket.priority] || ticket.priority;
    marks.push(mark(`${T.priority}: ${group}`, "priority"));
  }
  if (ticket.status === "waiting" && ticket.counter_id === counterId) {
    marks.push(mark(T.transferredMark, "transferred"));
  }
  if (ticket.no_appointment) marks.push(mark(T.noAppointment, "no-appointment"));
  marks.push(
    ticket.documents_complete === false
      ? mark(T.documentsIncomplete, "incomplete")
      : mark(T.documentsComplete, "complete"),
  );
  return marks;
}

// ---- The counter's state ----------------------------------------------------------------

/** open, paused or closed: from `state`, else (a server before counter states) `open`. */
export const counterStateOf = (snapshot) => snapshot.state || (snapshot.open ? "open" : "closed");

export function renderState(snapshot) {
  const state = counterStateOf(snapshot);
  const reason = snapshot.pause_reason || "";
  $("counter-state").className = `counter-state state-${state}`;
  $("state-label").textContent =
    state === "paused" ? T.statePaused(reason) : state === "open" ? T.stateOpen : T.stateClosed;
  $("state-since").textContent =
    state !== "closed" && snapshot.state_since ? T.stateSince(centerTime(snapshot.state_since)) : "";
  $("pause").hidden = state !== "open";
  $("resume").hidden = state === "open";
  $("resume").textContent = state === "closed" ? T.openCounter : T.resume;
  $("close-counter").hidden = state === "closed";
  const paused = state === "paused" && !snapshot.current;
  $("paused-notice").hidden = !paused;
  $("paused-main").textContent = paused ? T.pausedMain(reason || T.pause) : "";
  $("paused-since").textContent =
    paused && snapshot.state_since ? T.stateSince(centerTime(snapshot.state_since)) : "";
}

// ---- The current ticket -----------------------------------------------------------------

export function renderCurrent(snapshot) {
  const ticket = snapshot.current;
  $("current-ticket").hidden = !ticket;
  const paused = !$("paused-notice").hidden;
  $("current-idle").hidden = Boolean(ticket) || !$("slip").hidden || paused;
  const noteField = $("note");
  if (!ticket) {
    noteField.dataset.ticket = "";
    return;
  }
  $("current-number").textContent = ticket.number;
  $("current-procedure").textContent = ticket.procedure_name || ticket.procedure_id;
  $("current-marks").replaceChildren(...ticketMarks(ticket, snapshot.counter_id));
  $("current-called-at").textContent = ticket.called_at
    ? T.calledAt(centerTime(ticket.called_at))
    : "";
  // The note field keeps what the officer is typing; a new ticket (or a saved note) refills it.
  const saved = ticket.note || "";
  if (noteField.dataset.ticket !== ticket.id || noteField.dataset.saved !== saved) {
    if (noteField.dataset.ticket !== ticket.id || document.activeElement !== noteField) {
      noteField.value = saved;
    }
    noteField.dataset.ticket = ticket.id;
    noteField.dataset.saved = saved;
  }
  tick(snapshot);
}

function showWaited(cell) {
  const minutes = minutesSince(cell.dataset.issuedAt);
  const text = T.minutes(minutes);
  if (cell.textContent !== text) {
    cell.textContent = text;
    cell.setAttribute("aria-label", T.waitedLabel(minutes));
  }
}

/** Advance the service timer and the minutes waited (called every second). */
export function tick(snapshot) {
  const ticket = snapshot && snapshot.current;
  if (ticket && ticket.called_at) $("current-timer").textContent = elapsed(ticket.called_at);
  for (const cell of document.querySelectorAll("#waiting-rows [data-issued-at]")) showWaited(cell);
}

// ---- The line ---------------------------------------------------------------------------

/** A line's row, built once per ticket and kept while the ticket's facts stay the same. */
function waitingRow(ticket, counterId, onCall) {
  const row = element("tr");
  row.dataset.ticketId = ticket.id;
  const number = element("td", "waiting-number", ticket.number);
  const info = element("td", "waiting-info");
  const name = ticket.procedure_name || ticket.procedure_id;
  const procedure = element("span", "waiting-procedure", name);
  procedure.title = name;
  info.append(procedure);
  const marks = element("span", "waiting-marks");
  marks.append(...ticketMarks(ticket, counterId));
  info.append(marks);
  if (ticket.note) {
    const note = element("span", "waiting-note", T.noteOf(ticket.note));
    note.title = ticket.note;
    info.append(note);
  }
  const minutes = element("td", "waiting-minutes");
  minutes.dataset.issuedAt = ticket.issued_at;
  showWaited(minutes);
  const call = element("td", "waiting-call");
  const button = element("button", "call-this quiet", T.callThis);
  button.type = "button";
  button.setAttribute("aria-label", T.callThisLabel(ticket.number));
  button.addEventListener("click", () => onCall(ticket));
  call.append(button);
  row.append(number, info, minutes, call);
  return row;
}

/** What a row shows of a ticket (its place aside): an unchanged ticket keeps its row. */
const rowKey = (ticket, counterId) => JSON.stringify([{ ...ticket, position: 0 }, counterId]);
const rowKeys = new WeakMap(); // row → the rowKey it was drawn from

/** Bring the rows in line with the snapshot with as few DOM changes as possible: a push comes
 * after every change in the center, and laying out a whole 200-ticket line again each time
 * took a tenth of a second on a busy PC; a call now removes one row, a new ticket adds one. */
function reconcileRows(container, tickets, counterId, onCall) {
  const kept = new Map();
  for (const row of [...container.children]) kept.set(row.dataset.ticketId, row);
  const wanted = tickets.map((ticket) => {
    const key = rowKey(ticket, counterId);
    const old = kept.get(ticket.id);
    if (old && rowKeys.get(old) === key) return old;
    const row = waitingRow(ticket, counterId, onCall);
    rowKeys.set(row, key);
    return row;
  });
  const keep = new Set(wanted);
  for (const row of kept.values()) if (!keep.has(row)) row.remove();
  wanted.forEach((row, index) => {
    const there = container.children[index];
    if (there !== row) container.insertBefore(row, there || null);
  });
}

export function renderWaiting(snapshot, { onCall }) {
  const serving = Boolean(snapshot.current);
  const container = $("waiting-rows");
  reconcileRows(container, snapshot.waiting, snapshot.counter_id, onCall);
  for (const button of container.querySelectorAll(".call-this")) {
    if (button.disabled !== serving) button.disabled = serving;
  }
  $("waiting-count").textContent = T.waitingCount(snapshot.waiting_count);
  $("waiting-empty").hidden = snapshot.waiting_count > 0;
  const more = snapshot.waiting_count - snapshot.waiting.length;
  $("waiting-more").hidden = more <= 0;
  $("waiting-more").textContent = more > 0 ? T.waitingMore(more) : "";
}

// ---- Today's no-shows and finished tickets ----------------------------------------------

function doneItem(ticket, facts, buttonText, buttonLabel, onClick, links = []) {
  const item = element("li", "done-item");
  item.dataset.ticketId = ticket.id;
  const head = element("p", "done-head");
  head.append(
    element("span", "done-number", ticket.number),
    element("span", "done-procedure", ticket.procedure_name || ticket.procedure_id),
  );
  const details = element("p", "done-facts");
  for (const fact of facts.filter(Boolean)) details.append(element("span", fact.kind || "", fact.text));
  const button = element("button", "secondary done-action", buttonText);
  button.type = "button";
  button.setAttribute("aria-label", buttonLabel);
  button.addEventListener("click", () => onClick(ticket));
  const forms = element("p", "done-forms");
  forms.append(...links);
  item.append(head, details, ...(links.length ? [forms] : []), button);
  return item;
}

export function renderNoShows(snapshot, { onReinstate }) {
  const tickets = snapshot.no_shows || [];
  replaceKeepingFocus(
    $("no-show-list"),
    tickets.map((ticket) =>
      doneItem(
        ticket,
        [{ text: T.absentAt(centerTime(ticket.finished_at || ticket.called_at)) }],
        T.reinstate,
        T.reinstateLabel(ticket.number),
        onReinstate,
      ),
    ),
  );
  $("no-shows-empty").hidden = tickets.length > 0;
  $("no-shows-count").textContent = tickets.length ? `(${tickets.length})` : "";
}

export function renderFinished(snapshot, { onCorrect }) {
  const tickets = snapshot.finished_today || [];
  replaceKeepingFocus(
    $("finished-list"),
    tickets.map((ticket) =>
      doneItem(
        ticket,
        [
          { text: OUTCOMES[ticket.outcome] || ticket.outcome, kind: `done-outcome outcome-${ticket.outcome}` },
          ticket.finished_at && { text: T.finishedAt(centerTime(ticket.finished_at)) },
          ticket.due_date && { text: T.dueShort(dayText(ticket.due_date)) },
          ticket.missing_documents?.length && { text: T.missingShort(ticket.missing_documents.join("; ")) },
          ticket.outcome_reason && { text: T.reasonShort(ticket.outcome_reason) },
        ],
        T.correct,
        T.correctLabel(ticket.number),
        onCorrect,
        formLinks(ticket),
      ),
    ),
  );
  $("finished-empty").hidden = tickets.length > 0;
  $("finished-count").textContent = tickets.length ? `(${tickets.length})` : "";
}

export function renderTally(tally) {
  const items = Object.entries(T.tally).map(([key, label]) => {
    const item = element("div", `tally-item tally-${key}`);
    item.append(element("dt", "", label), element("dd", "", String(tally[key] ?? 0)));
    return item;
  });
  $("tally").replaceChildren(...items);
}

export function renderSnapshot(snapshot, handlers) {
  $("heading").textContent = snapshot.name;
  renderState(snapshot);
  renderCurrent(snapshot);
  renderWaiting(snapshot, handlers);
  renderNoShows(snapshot, handlers);
  renderFinished(snapshot, handlers);
  renderTally(snapshot.tally);
}

/** The panel of a ticket just finished with a paper to hand over (or hide it: null): an
 * appointment's slip, and the A4 form of an appointment, a supplement or a refusal. */
export function renderSlip(ticket) {
  $("slip").hidden = !ticket;
  $("current-title").textContent = ticket ? T.slipSection : T.currentTitle;
  if (ticket) {
    const appointment = ticket.outcome === "appointment";
    $("slip-title").textContent = T.slipTitles[ticket.outcome] || T.slipTitle;
    $("slip-dossier").hidden = $("slip-print").hidden = !appointment;
    $("slip-note").textContent = appointment ? T.slipNote : T.formNote;
    $("slip-forms").replaceChildren(...formLinks(ticket));
    $("slip-number").textContent = ticket.number;
    $("slip-procedure").textContent = ticket.procedure_name || ticket.procedure_id;
    $("slip-code").textContent = ticket.dossier_code || "";
    $("slip-due").textContent = ticket.due_date ? formatDay(localDay(ticket.due_date)) : "";
    $("current-idle").hidden = true;
  } else {
    $("current-idle").hidden = !$("current-ticket").hidden || !$("paused-notice").hidden;
  }
}

/** A counter's state in words, for the choice and transfer buttons. */
function stateNote(counter) {
  const state = counter.state || (counter.open ? "open" : "closed");
  if (state === "paused") return T.counterPaused(counter.pause_reason);
  return state === "open" ? T.counterOpen : T.counterClosed;
}

/** The counters to choose from, as big buttons. */
export function counterButtons(counters, onChoose, { current = null, procedureId = null } = {}) {
  return counters.map((counter) => {
    const item = element("li");
    const button = element("button", "choice");
    button.type = "button";
    button.dataset.counterId = String(counter.id);
    button.dataset.state = counter.state || (counter.open ? "open" : "closed");
    const name = element("span", "choice-name", counter.name);
    const note = element("span", "choice-note");
    if (procedureId) {
      const serves = counter.procedures.includes(procedureId);
      note.textContent = serves ? T.servesProcedure : T.notServesProcedure;
      if (counter.state === "paused") {
        note.append(element("span", "choice-state", ` · ${T.transferPaused(counter.pause_reason)}`));
      }
    } else {
      note.textContent = stateNote(counter);
    }
    button.append(name, note);
    if (counter.id === current) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => onChoose(counter));
    item.append(button);
    return item;
  });
}
