// Drawing the console from a counter_state snapshot: the current ticket, the line, the tally.
import { formatDay, formatTime } from "/static/common/format.js";
import { PRIORITIES, T } from "./strings.js";

const $ = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, "0");
/** A "YYYY-MM-DD" day as a local Date (not UTC midnight). */
export const localDay = (iso) => {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
};

/** Fill every [data-t] element with its text from strings.js. */
export function applyStrings(root = document) {
  for (const element of root.querySelectorAll("[data-t]")) {
    element.textContent = T[element.dataset.t];
  }
}

/** "mm:ss" since an ISO time (minutes keep counting past 59). */
export function elapsed(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

function mark(text, kind, title = "") {
  const span = document.createElement("span");
  span.className = `mark mark-${kind}`;
  span.textContent = text;
  if (title) span.title = title;
  return span;
}

/** The marks of a ticket: priority, transferred here, no-appointment, incomplete documents. */
export function ticketMarks(ticket, counterId, { full = false } = {}) {
  const marks = [];
  if (ticket.priority) {
    const group = PRIORITIES[ticket.priority] || ticket.priority;
    marks.push(mark(full ? `${T.priority}: ${group}` : T.priority, "priority", group));
  }
  if (ticket.status === "waiting" && ticket.counter_id === counterId) {
    marks.push(mark(T.transferredMark, "transferred"));
  }
  if (ticket.no_appointment) marks.push(mark(T.noAppointment, "no-appointment"));
  if (full && ticket.documents_complete === false) {
    marks.push(mark(T.documentsIncomplete, "incomplete"));
  }
  return marks;
}

export function renderCurrent(snapshot) {
  const ticket = snapshot.current;
  $("current-ticket").hidden = !ticket;
  $("current-idle").hidden = Boolean(ticket) || !$("slip").hidden;
  if (!ticket) return;
  $("current-number").textContent = ticket.number;
  $("current-procedure").textContent = ticket.procedure_name || ticket.procedure_id;
  $("current-marks").replaceChildren(...ticketMarks(ticket, snapshot.counter_id, { full: true }));
  $("current-called-at").textContent = ticket.called_at
    ? T.calledAt(formatTime(new Date(ticket.called_at)))
    : "";
  tick(snapshot);
}

/** Advance the service timer (called every second). */
export function tick(snapshot) {
  const ticket = snapshot && snapshot.current;
  if (ticket && ticket.called_at) $("current-timer").textContent = elapsed(ticket.called_at);
}

export function renderWaiting(snapshot) {
  const rows = snapshot.waiting.map((ticket) => {
    const row = document.createElement("tr");
    const number = document.createElement("td");
    number.className = "waiting-number";
    number.textContent = ticket.number;
    const procedure = document.createElement("td");
    procedure.textContent = ticket.procedure_name || ticket.procedure_id;
    const marks = document.createElement("td");
    marks.className = "waiting-marks";
    marks.append(...ticketMarks(ticket, snapshot.counter_id));
    row.append(number, procedure, marks);
    return row;
  });
  $("waiting-rows").replaceChildren(...rows);
  $("waiting-count").textContent = T.waitingCount(snapshot.waiting_count);
  $("waiting-empty").hidden = snapshot.waiting_count > 0;
  const more = snapshot.waiting_count - snapshot.waiting.length;
  $("waiting-more").hidden = more <= 0;
  $("waiting-more").textContent = more > 0 ? T.waitingMore(more) : "";
}

export function renderTally(tally) {
  const items = Object.entries(T.tally).map(([key, label]) => {
    const item = document.createElement("div");
    item.className = `tally-item tally-${key}`;
    const term = document.createElement("dt");
    term.textContent = label;
    const value = document.createElement("dd");
    value.textContent = String(tally[key] ?? 0);
    item.append(term, value);
    return item;
  });
  $("tally").replaceChildren(...items);
}

export function renderSnapshot(snapshot) {
  $("heading").textContent = snapshot.name;
  renderCurrent(snapshot);
  renderWaiting(snapshot);
  renderTally(snapshot.tally);
}

/** The appointment slip of a ticket just finished with `appointment` (or hide it: null). */
export function renderSlip(ticket) {
  $("slip").hidden = !ticket;
  $("current-title").textContent = ticket ? T.slipSection : T.currentTitle;
  if (ticket) {
    $("slip-number").textContent = ticket.number;
    $("slip-procedure").textContent = ticket.procedure_name || ticket.procedure_id;
    $("slip-code").textContent = ticket.dossier_code;
    $("slip-due").textContent = ticket.due_date ? formatDay(localDay(ticket.due_date)) : "";
    $("current-idle").hidden = true;
  } else {
    $("current-idle").hidden = !$("current-ticket").hidden;
  }
}

/** The counters to choose from, as big buttons. */
export function counterButtons(counters, onChoose, { current = null, procedureId = null } = {}) {
  return counters.map((counter) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "choice";
    button.dataset.counterId = String(counter.id);
    const name = document.createElement("span");
    name.className = "choice-name";
    name.textContent = counter.name;
    const note = document.createElement("span");
    note.className = "choice-note";
    if (procedureId) {
      note.textContent = counter.procedures.includes(procedureId)
        ? T.servesProcedure
        : T.notServesProcedure;
    } else {
      note.textContent = counter.open ? T.counterOpen : T.counterClosed;
    }
    button.append(name, note);
    if (counter.id === current) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => onChoose(counter));
    item.append(button);
    return item;
  });
}
