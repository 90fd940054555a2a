// The officer's counter console: login, counter choice, the counter's state (open, paused,
// closed), calling (the next ticket or a chosen one), outcomes and their corrections,
// no-shows put back in line, notes, dossier returns, the due-date watch and its apologies,
// and the printers' panel.
// State comes whole from GET /api/counters/ID/state and the `counter_state` push; every
// change goes over HTTP; every failure is shown as the server's Vietnamese message.
import { api, ApiError, get, post } from "/static/common/api.js";
import { setServerNow, syncFromDateHeader } from "/static/common/center-clock.js";
import {
  askPauseReason,
  chooseCounter,
  closeDialogs,
  confirmLogout,
  dialogOpen,
  wireDialogs,
} from "./dialogs.js";
import { catchScannerKey, wireDossierReturn } from "./dossier.js";
import { workdaysOf } from "./duedate.js";
import { followHelpRequests, stopHelpRequests } from "./help.js";
import { offerCorrection, say, showError, whenLoginRequired } from "./messages.js";
import { askOutcome, wireOutcomeDialog } from "./outcome-dialog.js";
import { wirePasswordChange } from "./password.js";
import { printers, showPrintersOf } from "./printers.js";
import { hasForm } from "./forms.js";
import { applyStrings, counterButtons, renderSlip, renderSnapshot, tick } from "./render.js";
import { OUTCOMES, T } from "./strings.js";
import { afterAction, follow, liveSocket, stop } from "./sync.js";
import { showTab, wireTabs } from "./tabs.js";
import { refreshWatch, startWatch, stopWatch, wireWatch } from "./watch.js";

const COUNTER_KEY = "motcua.counter"; // localStorage: the counter this machine serves
const OUTCOME_KEYS = { resolved: "F8", appointment: "F9" };
const ASKING = new Set(["appointment", "supplement", "refused"]); // outcomes with a question
const VIEWS = ["login-view", "choose-view", "console-view"];

const $ = (id) => document.getElementById(id);

const state = {
  user: null, // {username, role} once logged in
  counterId: null,
  snapshot: null, // the latest counter_state
  busy: false, // an action is under way
  workdays: workdaysOf(null), // the center's opening weekdays (for due dates)
};

// ---- Views ------------------------------------------------------------------------------

function show(view) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  $("who").hidden = view === "login-view";
  $("change-counter").hidden = view !== "console-view";
  if (view !== "console-view") $("heading").textContent = T.consoleTitle;
}

function showLogin() {
  show("login-view");
  $("username").focus();
}

async function afterLogin() {
  $("officer-name").textContent = state.user.username;
  const counters = await get("/api/counters");
  const saved = counters.find((c) => String(c.id) === localStorage.getItem(COUNTER_KEY));
  if (saved) await enterCounter(saved);
  else await showChoose(counters);
}

async function showChoose(counters = null) {
  try {
    counters = counters || (await get("/api/counters"));
  } catch (error) {
    showError(error);
    return;
  }
  $("counter-choices").replaceChildren(
    ...counterButtons(counters, enterCounter, { current: state.counterId }),
  );
  show("choose-view");
  $("counter-choices").querySelector("button")?.focus();
}

async function enterCounter(counter) {
  localStorage.setItem(COUNTER_KEY, String(counter.id));
  if (state.counterId !== counter.id) {
    // Nothing of the previous counter stays on screen while this one loads.
    apply({
      counter_id: counter.id,
      name: counter.name,
      state: counter.state,
      open: counter.open,
      pause_reason: counter.pause_reason,
      state_since: counter.state_since,
      current: null,
      waiting: [],
      waiting_count: 0,
      no_shows: [],
      finished_today: [],
      tally: {},
    });
    renderSlip(null);
  }
  state.counterId = counter.id;
  show("console-view");
  $("heading").textContent = counter.name;
  showPrintersOf(counter.id);
  printers.reload();
  get("/api/center")
    .then((center) => {
      state.workdays = workdaysOf(center.opening_hours);
    })
    .catch(() => {}); // Monday to Friday meanwhile
  await follow(counter.id, apply, {
    onConnected: () => printers.reload(),
    onPrinterStatus: (status) => printers.update(status),
  });
  followHelpRequests(liveSocket());
  startWatch();
  document.activeElement?.blur?.(); // Space now calls next
}

function loggedOut(message, kind) {
  stop();
  stopHelpRequests();
  stopWatch();
  Object.assign(state, { user: null, counterId: null, snapshot: null });
  renderSlip(null);
  closeDialogs();
  showTab("waiting"); // the next officer starts with the line
  showLogin();
  say(message, kind);
}

const HANDLERS = {
  onCall: (ticket) => callThis(ticket),
  onReinstate: (ticket) => reinstate(ticket),
  onCorrect: (ticket) => correct(ticket),
};

function apply(snapshot) {
  state.snapshot = snapshot;
  if (snapshot.now) setServerNow(snapshot.now);
  if (snapshot.current) renderSlip(null);
  renderSnapshot(snapshot, HANDLERS);
}

// ---- Actions ----------------------------------------------------------------------------

/** Run one officer action: one at a time, errors shown, the state refetched after
 * (unless the server pushes it). */
async function act(work) {
  if (state.busy || !state.user) return;
  state.busy = true;
  $("console-view").setAttribute("aria-busy", "true");
  try {
    await work();
  } catch (error) {
    showError(error);
  } finally {
    state.busy = false;
    $("console-view").removeAttribute("aria-busy");
  }
  await afterAction();
}

const current = () => state.snapshot && state.snapshot.current;
const ticketPath = (ticket, action) => `/api/tickets/${encodeURIComponent(ticket.id)}/${action}`;
const counterPath = (action) => `/api/counters/${state.counterId}/${action}`;
const today = () => state.snapshot?.now?.slice(0, 10) || current()?.day || "";

function callNext() {
  return act(async () => {
    const ticket = await post(counterPath("next"));
    if (ticket === null) {
      say(T.nobodyWaiting);
      return;
    }
    renderSlip(null);
    say(T.called(ticket.number));
  });
}

/** "Gọi số này": a particular ticket of the line, out of turn. */
function callThis(ticket) {
  return act(async () => {
    const called = await post(ticketPath(ticket, "call"), { counter_id: state.counterId });
    renderSlip(null);
    say(T.called(called.number));
  });
}

/** A citizen called absent came back: the ticket goes to the front of this counter's line. */
function reinstate(ticket) {
  return act(async () => {
    await post(ticketPath(ticket, "reinstate"));
    say(T.reinstated(ticket.number));
    showTab("waiting");
  });
}

function ticketAction(action, done) {
  const ticket = current();
  if (!ticket) return;
  act(async () => {
    await post(ticketPath(ticket, action));
    say(done(ticket.number));
  });
}

const recall = () => ticketAction("recall", T.recalled);
const noShow = () => ticketAction("no-show", T.noShowDone);

// ---- The counter's state ----------------------------------------------------------------

function pause() {
  if (state.busy) return;
  askPauseReason((reason) =>
    act(async () => {
      await post(counterPath("pause"), { reason });
      closeDialogs();
      say(T.paused(reason));
    }),
  );
}

const resume = () =>
  act(async () => {
    await post(counterPath("resume"));
    say(T.resumed);
  });

const closeCounter = () =>
  act(async () => {
    await post(counterPath("close"));
    say(T.closed);
  });

// ---- The current ticket's note ----------------------------------------------------------

/** Save the note field if it differs from the ticket's note: before finishing or
 * transferring too, so a note typed and not yet saved travels with the ticket. */
async function saveNote(ticket, { quiet = false } = {}) {
  const field = $("note");
  const note = field.value.trim();
  if (field.dataset.ticket !== ticket.id || note === (ticket.note || "")) return;
  const saved = await post(ticketPath(ticket, "note"), { note });
  field.dataset.saved = saved.note || "";
  if (!quiet) say(note ? T.noteSaved(ticket.number) : T.noteCleared(ticket.number));
}

function onNoteSubmit(event) {
  event.preventDefault();
  const ticket = current();
  if (ticket) act(() => saveNote(ticket));
}

// ---- Transfer and outcomes --------------------------------------------------------------

async function transfer() {
  const ticket = current();
  if (!ticket || state.busy) return;
  let counters;
  try {
    counters = await get("/api/counters");
  } catch (error) {
    showError(error);
    return;
  }
  const counter = await chooseCounter(
    ticket,
    counters.filter((c) => c.id !== state.counterId),
  );
  if (!counter) return;
  await act(async () => {
    await saveNote(ticket, { quiet: true });
    await post(ticketPath(ticket, "transfer"), { counter_id: counter.id });
    say(T.transferred(ticket.number, counter.name));
  });
}

async function procedureOf(ticket) {
  try {
    const procedures = await get("/api/procedures"); // the checklist, today's default_due_date
    return procedures.find((p) => p.id === ticket.procedure_id) || null;
  } catch (error) {
    showError(error);
    return null;
  }
}

/** After a finish or a correction: an appointment shows its slip, and a service with a form
 * (appointment, supplement, refusal) its A4 form's links; the message offers "Sửa kết quả"
 * for a few seconds (a mis-pressed F8 is put right in two clicks). */
function finished(ticket, text) {
  const serving = current();
  if (hasForm(ticket) && (!serving || serving.id === ticket.id)) renderSlip(ticket);
  offerCorrection(text, () => correct(ticket));
}

function finish(outcome) {
  const ticket = current();
  if (!ticket || state.busy) return;
  if (ASKING.has(outcome)) {
    askFinish(ticket, outcome);
    return;
  }
  act(async () => {
    await saveNote(ticket, { quiet: true });
    const done = await post(ticketPath(ticket, "finish"), { outcome });
    finished(done, T.finished(ticket.number, OUTCOMES[outcome]));
  });
}

async function askFinish(ticket, outcome) {
  const procedure = await procedureOf(ticket);
  askOutcome({
    ticket,
    outcome,
    procedure,
    today: ticket.day || today(),
    workdays: state.workdays,
    onSubmit: (body) =>
      act(async () => {
        await saveNote(ticket, { quiet: true });
        const done = await post(ticketPath(ticket, "finish"), body);
        closeDialogs();
        finished(done, T.finished(ticket.number, OUTCOMES[outcome]));
      }),
  });
}

/** "Sửa kết quả": a ticket finished today by this officer gets another outcome. */
async function correct(ticket) {
  if (state.busy || dialogOpen()) return;
  const known = (state.snapshot?.finished_today || []).find((t) => t.id === ticket.id) || ticket;
  const procedure = await procedureOf(known);
  askOutcome({
    ticket: known,
    correcting: true,
    procedure,
    today: known.day || today(),
    workdays: state.workdays,
    onSubmit: (body) =>
      act(async () => {
        const done = await post(ticketPath(known, "correct"), body);
        closeDialogs();
        finished(done, T.corrected(known.number, OUTCOMES[done.outcome] || done.outcome));
      }),
  });
}

// ---- Login ------------------------------------------------------------------------------

async function login(event) {
  event.preventDefault();
  if (state.busy) return;
  state.busy = true;
  $("login-button").textContent = T.loggingIn;
  try {
    state.user = await post("/api/session", {
      username: $("username").value.trim(),
      password: $("password").value,
    });
    $("password").value = "";
    say("");
  } catch (error) {
    showError(error);
    $("password").value = "";
    $("password").focus();
  } finally {
    state.busy = false;
    $("login-button").textContent = T.login;
  }
  if (state.user) await afterLogin().catch(showError);
}

async function logout() {
  const serving = current();
  if (serving && !(await confirmLogout(serving.number))) return;
  try {
    await api("DELETE", "/api/session");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      showError(error);
      return;
    }
  }
  loggedOut(T.loggedOut, "info");
}

// ---- Keyboard ---------------------------------------------------------------------------

const isTyping = (target) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target.matches("input, textarea, select"));

/** Space and F2 call next, F3 recalls, F4 records a no-show, F8/F9 finish. Function keys
 * work in the dossier box too (they type nothing); Space there is a character. */
function onKey(event) {
  if ($("console-view").hidden || dialogOpen()) return;
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  const typing = isTyping(event.target);
  const actions = { F2: callNext, F3: recall, F4: noShow };
  if (!typing) actions[" "] = callNext;
  for (const [outcome, key] of Object.entries(OUTCOME_KEYS)) actions[key] = () => finish(outcome);
  const action = actions[event.key];
  if (action) {
    event.preventDefault(); // Space must not also press the focused button
    if (!event.repeat) action();
  } else if (!typing) {
    catchScannerKey(event);
  }
}

// ---- Start ------------------------------------------------------------------------------

function labelOutcomes() {
  for (const button of document.querySelectorAll("[data-outcome]")) {
    const outcome = button.dataset.outcome;
    const label = document.createElement("span");
    label.textContent = OUTCOMES[outcome];
    button.replaceChildren(label);
    if (OUTCOME_KEYS[outcome]) {
      const key = document.createElement("kbd");
      key.textContent = OUTCOME_KEYS[outcome];
      button.append(" ", key);
    }
    button.addEventListener("click", () => finish(outcome));
  }
}

function wire() {
  labelOutcomes();
  whenLoginRequired(() => {
    if (!state.user) return false; // a wrong login: its own message
    loggedOut(T.sessionEnded, "error");
    return true;
  });
  wireDialogs();
  wireOutcomeDialog();
  wireTabs();
  wirePasswordChange({
    username: () => state.user?.username,
    onChanged: () => say(T.passwordChanged),
    onError: showError,
  });
  wireDossierReturn({
    onError: showError,
    onEmpty: (text) => say(text, "error"),
    onReturned: () => refreshWatch(),
  });
  wireWatch({ workdays: () => state.workdays, onError: showError, onDone: (text) => say(text) });
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("change-counter").addEventListener("click", () => showChoose());
  $("call-next").addEventListener("click", callNext);
  $("recall").addEventListener("click", recall);
  $("no-show").addEventListener("click", noShow);
  $("transfer").addEventListener("click", transfer);
  $("pause").addEventListener("click", pause);
  $("resume").addEventListener("click", resume);
  $("close-counter").addEventListener("click", closeCounter);
  $("note-form").addEventListener("submit", onNoteSubmit);
  $("slip-print").addEventListener("click", () => window.print());
  $("slip-close").addEventListener("click", () => renderSlip(null));
  document.addEventListener("keydown", onKey);
  setInterval(() => tick(state.snapshot), 1000);
}

async function start() {
  applyStrings();
  wire();
  syncFromDateHeader(); // until a console state brings the server's `now`
  try {
    state.user = await get("/api/session");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) showError(error);
    showLogin();
    return;
  }
  await afterLogin().catch(showError);
}

start();
