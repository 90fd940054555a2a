// The due-date watch on the console: the tab "Hồ sơ đến hạn" with its badge (overdue + due
// today; red when anything is overdue), and its list in three groups — overdue, due today,
// due on the next working day — the officer's own dossiers first. Refreshed on entering a
// counter, every minute, and after a return or an apology. A row offers "Lập phiếu xin lỗi":
// a new date (typed day first, with working-day buttons) and a reason, then the A4 form.
import { get, post } from "/static/common/api.js";
import { autoSlash, dayLabel, dayText, isWorkingDay, parseDayText, shiftDays, shiftWorkingDays } from "./duedate.js";
import { APOLOGY_REASONS, T } from "./strings.js";

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 60 * 1000;
const GROUPS = ["overdue", "due_today", "due_next"];

const watch = {
  timer: null,
  data: null, // the latest GET /api/dossiers/watch
  workdays: () => new Set(),
  onError: () => {},
  onDone: () => {},
  dossier: null, // the row the apology dialog is for
};

function element(tag, className, text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// ---- The list -------------------------------------------------------------------------

function watchItem(item, group) {
  const row = element("li", `watch-item watch-${group}${item.mine ? " watch-mine" : ""}`);
  row.dataset.code = item.code;
  const head = element("p", "watch-head");
  head.append(
    element("span", "watch-code", item.code),
    element("span", "watch-number", item.number),
    element("span", "watch-procedure", item.procedure_name),
  );
  head.lastChild.title = item.procedure_name;
  const facts = element("p", "watch-facts");
  facts.append(element("span", "watch-promised", T.watchPromised(dayText(item.promised_date))));
  if (group === "overdue") facts.append(element("span", "watch-late", T.watchLate(item.days_overdue)));
  if (item.apologies) facts.append(element("span", "watch-apologies", T.watchApologies(item.apologies)));
  facts.append(element("span", "watch-officer", item.mine ? T.watchMine : item.officer_name || "—"));
  const button = element("button", "secondary watch-apology", T.apologyButton);
  button.type = "button";
  button.setAttribute("aria-label", T.apologyLabel(item.code));
  button.addEventListener("click", () => askApology(item));
  row.append(head, facts, button);
  return row;
}

function groupTitle(group, data) {
  if (group === "overdue") return T.watchOverdue;
  if (group === "due_today") return T.watchToday;
  return T.watchNext(dayLabel(data.next_working_day).replace(/\/\d{4}$/, ""));
}

function render(data) {
  watch.data = data;
  const urgent = data.overdue.length + data.due_today.length;
  const badge = $("watch-count");
  badge.textContent = String(urgent);
  badge.className = `watch-badge${data.overdue.length ? " watch-badge-overdue" : urgent ? " watch-badge-today" : ""}`;
  badge.setAttribute("aria-label", T.watchBadgeLabel(data.overdue.length, data.due_today.length));
  const sections = GROUPS.map((group) => {
    const section = element("section", `watch-group watch-group-${group}`);
    section.dataset.group = group;
    const title = element("h3", "watch-title", `${groupTitle(group, data)} (${data[group].length})`);
    const list = element("ul", "watch-list");
    list.append(...data[group].map((item) => watchItem(item, group)));
    section.append(title, list);
    if (!data[group].length) section.append(element("p", "hint watch-empty", T.watchNone));
    return section;
  });
  $("watch-groups").replaceChildren(...sections);
}

/** Fetch the watch now (a failure leaves the last list and says why). */
export async function refreshWatch() {
  try {
    render(await get("/api/dossiers/watch"));
  } catch (error) {
    watch.onError(error);
  }
}

/** Start following the watch: at once, then every minute. */
export function startWatch() {
  stopWatch();
  refreshWatch();
  watch.timer = setInterval(refreshWatch, REFRESH_MS);
}

export function stopWatch() {
  clearInterval(watch.timer);
  watch.timer = null;
}

// ---- The apology dialog -----------------------------------------------------------------

const today = () => watch.data?.date || "";

function dateIso() {
  return parseDayText($("apology-date").value, today());
}

function showDate() {
  const iso = dateIso();
  const shown = $("apology-date-text");
  shown.className = "due-date-text";
  if (!$("apology-date").value.trim()) {
    shown.textContent = "";
  } else if (!iso) {
    shown.textContent = T.dueDateInvalid;
    shown.classList.add("due-date-bad");
  } else if (iso <= today() || iso <= watch.dossier.promised_date) {
    shown.textContent = `${dayLabel(iso)} — ${T.apologyDateTooEarly}`;
    shown.classList.add("due-date-bad");
  } else if (!isWorkingDay(iso, watch.workdays())) {
    shown.textContent = `${dayLabel(iso)} — ${T.dueDateDayOff}`;
    shown.classList.add("due-date-warn");
  } else {
    shown.textContent = dayLabel(iso);
  }
}

function setDate(iso) {
  $("apology-date").value = dayText(iso);
  showDate();
}

/** The first working day after today and after the date promised. */
function proposedDate(item) {
  const base = item.promised_date > today() ? item.promised_date : today();
  return shiftWorkingDays(base, 1, watch.workdays());
}

function quickDate(kind) {
  const base = dateIso() || proposedDate(watch.dossier);
  const next = {
    "working-back": () => shiftWorkingDays(base, -1, watch.workdays()),
    "working-ahead": () => shiftWorkingDays(base, 1, watch.workdays()),
    week: () => shiftDays(base, 7),
  }[kind]();
  setDate(next);
  $("apology-date").focus();
}

function chooseReason(reason) {
  $("apology-reason").value = reason;
  $("apology-error").textContent = "";
  for (const button of $("apology-reasons").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.reason === reason));
  }
}

function askApology(item) {
  watch.dossier = item;
  $("apology-title").textContent = T.apologyTitle(item.code);
  $("apology-facts").textContent = T.apologyFacts(
    item.number,
    item.procedure_name,
    dayText(item.due_date),
    dayText(item.promised_date),
  );
  setDate(proposedDate(item));
  chooseReason("");
  $("apology-error").textContent = "";
  $("apology-dialog").showModal();
  $("apology-date").select();
}

async function submitApology(event) {
  event.preventDefault();
  const item = watch.dossier;
  const iso = dateIso();
  const reason = $("apology-reason").value.trim();
  const fail = (text, field) => {
    $("apology-error").textContent = text;
    if (field) $(field).focus();
  };
  if (!$("apology-date").value.trim()) return fail(T.apologyDateMissing, "apology-date");
  if (!iso) return fail(T.dueDateInvalid, "apology-date");
  if (iso <= today() || iso <= item.promised_date) return fail(T.apologyDateTooEarlyError, "apology-date");
  if (!reason) return fail(T.apologyReasonMissing, "apology-reason");
  const submit = $("apology-submit");
  submit.disabled = true;
  try {
    const apology = await post(`/api/dossiers/${encodeURIComponent(item.code)}/apology`, {
      new_due_date: iso,
      reason,
    });
    $("apology-dialog").close();
    window.open(`/forms/apology/${encodeURIComponent(apology.code)}?print=1`, "_blank", "noopener");
    watch.onDone(T.apologyDone(apology.code, dayText(apology.new_due_date)));
    await refreshWatch();
  } catch (error) {
    watch.onError(error);
  } finally {
    submit.disabled = false;
  }
}

/** Wire the dialog once: `workdays()` the center's opening weekdays, `onError(error)` and
 * `onDone(text)` the console's message line. */
export function wireWatch({ workdays, onError, onDone }) {
  Object.assign(watch, { workdays, onError, onDone });
  $("apology-reasons").replaceChildren(
    ...APOLOGY_REASONS.map((reason) => {
      const button = element("button", "secondary", reason);
      button.type = "button";
      button.dataset.reason = reason;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => chooseReason(reason));
      return button;
    }),
  );
  $("apology-form").addEventListener("submit", submitApology);
  $("apology-date").addEventListener("input", (event) => {
    autoSlash($("apology-date"), event);
    $("apology-error").textContent = "";
    showDate();
  });
  for (const button of document.querySelectorAll("[data-apology-due]")) {
    button.addEventListener("click", () => quickDate(button.dataset.apologyDue));
  }
  $("apology-reason").addEventListener("input", () => {
    const typed = $("apology-reason").value;
    $("apology-error").textContent = "";
    for (const button of $("apology-reasons").querySelectorAll("button")) {
      button.setAttribute("aria-pressed", String(button.dataset.reason === typed));
    }
  });
  $("apology-cancel").addEventListener("click", () => $("apology-dialog").close());
}
