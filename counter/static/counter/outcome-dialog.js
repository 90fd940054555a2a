// The questions an outcome asks before it is sent, for finishing a ticket and for correcting
// one finished earlier ("Sửa kết quả"): the due date of an appointment (typed day first),
// the documents a supplement still needs (ticked from the procedure's checklist, or typed),
// the reason of a refusal. One dialog, its sections shown by the outcome chosen.
import {
  autoSlash,
  dayLabel,
  dayText,
  isWorkingDay,
  parseDayText,
  shiftDays,
  shiftWorkingDays,
} from "./duedate.js";
import { OUTCOMES, T } from "./strings.js";

const $ = (id) => document.getElementById(id);
const MAX_DOCUMENTS = 20;
const MAX_DOCUMENT_CHARS = 200;

const ask = {
  ticket: null,
  procedure: null,
  today: "",
  workdays: new Set(),
  correcting: false,
  onSubmit: async () => {},
};

function chosenOutcome() {
  if (!ask.correcting) return $("outcome-form").dataset.outcome;
  return $("outcome-form").querySelector("input[name='outcome']:checked")?.value || "";
}

function showSections() {
  const outcome = chosenOutcome();
  $("due-section").hidden = outcome !== "appointment";
  $("documents-section").hidden = outcome !== "supplement";
  $("reason-section").hidden = outcome !== "refused";
  $("outcome-submit").textContent = ask.correcting
    ? T.saveCorrection
    : T.confirmOutcome[outcome] || T.confirm;
  $("outcome-submit").disabled = !outcome;
  const withdraws =
    ask.correcting && ask.ticket.dossier_code && outcome && outcome !== "appointment";
  $("outcome-withdraw").hidden = !withdraws;
  $("outcome-withdraw").textContent = withdraws ? T.withdrawDossier(ask.ticket.dossier_code) : "";
}

// ---- Due date ---------------------------------------------------------------------------

function dueIso() {
  return parseDayText($("due-date").value, ask.today);
}

function showDueDay() {
  const text = $("due-date").value.trim();
  const iso = dueIso();
  const shown = $("due-date-text");
  shown.className = "due-date-text";
  if (!text) {
    shown.textContent = "";
  } else if (!iso) {
    shown.textContent = T.dueDateInvalid;
    shown.classList.add("due-date-bad");
  } else if (iso < ask.today) {
    shown.textContent = `${dayLabel(iso)} — ${T.dueDatePast}`;
    shown.classList.add("due-date-bad");
  } else if (!isWorkingDay(iso, ask.workdays)) {
    shown.textContent = `${dayLabel(iso)} — ${T.dueDateDayOff}`;
    shown.classList.add("due-date-warn");
  } else {
    shown.textContent = dayLabel(iso);
  }
}

function setDue(iso) {
  $("due-date").value = dayText(iso);
  showDueDay();
}

function quickDue(kind) {
  const proposed = ask.procedure?.default_due_date || shiftWorkingDays(ask.today, 1, ask.workdays);
  const base = dueIso() || proposed;
  const next = {
    proposed: () => proposed,
    "working-back": () => shiftWorkingDays(base, -1, ask.workdays),
    "working-ahead": () => shiftWorkingDays(base, 1, ask.workdays),
    week: () => shiftDays(base, 7),
  }[kind]();
  setDue(next < ask.today ? ask.today : next);
  $("due-date").focus();
}

// ---- Missing documents ------------------------------------------------------------------

function documentChoices(documents, ticked) {
  return documents.map((text, index) => {
    const item = document.createElement("li");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `missing-${index}`;
    box.value = text;
    box.checked = ticked.includes(text);
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = text;
    item.append(box, label);
    return item;
  });
}

function missingDocuments() {
  const ticked = [...$("document-choices").querySelectorAll("input:checked")].map((b) => b.value);
  const typed = $("other-documents")
    .value.split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return [...new Set([...ticked, ...typed])];
}

// ---- The dialog -------------------------------------------------------------------------

function outcomeChoices(current) {
  return Object.entries(OUTCOMES).map(([outcome, label]) => {
    const item = document.createElement("label");
    item.className = "outcome-choice";
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "outcome";
    radio.value = outcome;
    const text = document.createElement("span");
    text.textContent = outcome === current ? `${label} ${T.currentOutcome}` : label;
    item.append(radio, text);
    return item;
  });
}

/** The body to send, or an error to show. */
function body() {
  const outcome = chosenOutcome();
  if (!outcome) return { error: T.outcomeMissing };
  const result = { outcome };
  if (outcome === "appointment") {
    const due = dueIso();
    if (!$("due-date").value.trim()) return { error: T.dueDateMissing, focus: "due-date" };
    if (!due) return { error: T.dueDateInvalid, focus: "due-date" };
    if (due < ask.today) return { error: T.dueDatePast, focus: "due-date" };
    result.due_date = due;
  } else if (outcome === "supplement") {
    const documents = missingDocuments();
    if (!documents.length) return { error: T.documentsMissing, focus: "other-documents" };
    if (documents.length > MAX_DOCUMENTS) return { error: T.documentsTooMany(MAX_DOCUMENTS) };
    if (documents.some((d) => d.length > MAX_DOCUMENT_CHARS)) {
      return { error: T.documentTooLong(MAX_DOCUMENT_CHARS), focus: "other-documents" };
    }
    result.missing_documents = documents;
  } else if (outcome === "refused") {
    const reason = $("refusal-reason").value.trim();
    if (!reason) return { error: T.reasonMissing, focus: "refusal-reason" };
    result.reason = reason;
  }
  return result;
}

/** Ask what `outcome` needs (or, correcting, which outcome and what it needs) for `ticket`;
 * `onSubmit(body)` sends it and closes the dialog on success (a refusal stays shown in it).
 * `procedure` is the ticket's procedure from GET /api/procedures (its checklist and the
 * proposed due date), `today` "YYYY-MM-DD", `workdays` the center's opening weekdays. */
export function askOutcome({ ticket, outcome = "", correcting = false, procedure, today, workdays, onSubmit }) {
  Object.assign(ask, { ticket, procedure, today, workdays, correcting, onSubmit });
  const form = $("outcome-form");
  form.dataset.outcome = outcome;
  form.dataset.mode = correcting ? "correct" : "finish";
  $("outcome-title").textContent = correcting
    ? T.correctTitle(ticket.number)
    : T.outcomeTitleOf(outcome, ticket.number);
  $("outcome-recorded").hidden = !correcting;
  $("outcome-recorded").textContent = correcting
    ? T.recordedOutcome(OUTCOMES[ticket.outcome] || ticket.outcome)
    : "";
  $("outcome-choice").hidden = !correcting;
  $("outcome-choices").replaceChildren(...(correcting ? outcomeChoices(ticket.outcome) : []));
  const proposed = procedure?.default_due_date || shiftWorkingDays(today, 1, workdays);
  $("due-proposed").textContent = T.dueProposed(dayText(proposed));
  setDue(ticket.due_date || proposed);
  $("due-date").min = today;
  const documents = procedure?.documents || [];
  const previous = ticket.missing_documents || [];
  $("document-choices").replaceChildren(...documentChoices(documents, previous));
  $("document-choices").hidden = !documents.length;
  $("other-documents").value = previous.filter((d) => !documents.includes(d)).join("\n");
  $("refusal-reason").value = ticket.outcome_reason || "";
  $("outcome-error").textContent = "";
  showSections();
  $("outcome-dialog").showModal();
  if (correcting) $("outcome-choices").querySelector("input")?.focus();
  else if (outcome === "appointment") $("due-date").select();
  else if (outcome === "supplement") ($("document-choices").querySelector("input") || $("other-documents")).focus();
  else if (outcome === "refused") $("refusal-reason").focus();
}

export function wireOutcomeDialog() {
  const form = $("outcome-form");
  form.addEventListener("change", (event) => {
    if (event.target.name === "outcome") {
      $("outcome-error").textContent = "";
      showSections();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = body();
    if (result.error) {
      $("outcome-error").textContent = result.error;
      if (result.focus) $(result.focus).focus();
      return;
    }
    $("outcome-error").textContent = "";
    await ask.onSubmit(result);
  });
  $("due-date").addEventListener("input", (event) => {
    autoSlash($("due-date"), event);
    showDueDay();
  });
  for (const button of document.querySelectorAll("[data-due]")) {
    button.addEventListener("click", () => quickDue(button.dataset.due));
  }
  $("outcome-cancel").addEventListener("click", () => $("outcome-dialog").close());
}
