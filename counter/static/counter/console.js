// The officer's counter console: login, counter choice, calling, outcomes, dossier returns,
// and the printers' panel.
// State comes whole from GET /api/counters/ID/state and the `counter_state` push; every
// change goes over HTTP; every failure is shown as the server's Vietnamese message.
import { api, ApiError, get, post } from "/static/common/api.js";
import { askDueDate, chooseCounter, closeDialogs, dialogOpen, wireDialogs } from "./dialogs.js";
import { catchScannerKey, wireDossierReturn } from "./dossier.js";
import { followHelpRequests, stopHelpRequests } from "./help.js";
import { say, showError, whenLoginRequired } from "./messages.js";
import { wirePasswordChange } from "./password.js";
import { printers, showPrintersOf } from "./printers.js";
import { applyStrings, counterButtons, renderSlip, renderSnapshot, tick } from "./render.js";
import { OUTCOMES, T } from "./strings.js";
import { afterAction, follow, stop } from "./sync.js";

const COUNTER_KEY = "motcua.counter"; // localStorage: the counter this machine serves
const OUTCOME_KEYS = { resolved: "F8", appointment: "F9" };
const VIEWS = ["login-view", "choose-view", "console-view"];

const $ = (id) => document.getElementById(id);

const state = {
  user: null, // {username, role} once logged in
  counterId: null,
  snapshot: null, // the latest counter_state
  busy: false, // an action is under way
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
    apply({ counter_id: counter.id, name: counter.name, current: null, waiting: [], waiting_count: 0, tally: {} });
    renderSlip(null);
  }
  state.counterId = counter.id;
  show("console-view");
  $("heading").textContent = counter.name;
  showPrintersOf(counter.id);
  printers.reload();
  await follow(counter.id, apply, {
    onConnected: () => printers.reload(),
    onPrinterStatus: (status) => printers.update(status),
  });
  followHelpRequests(counter.id);
  document.activeElement?.blur?.(); // Space now calls next
}

function loggedOut(message, kind) {
  stop();
  stopHelpRequests();
  Object.assign(state, { user: null, counterId: null, snapshot: null });
  renderSlip(null);
  closeDialogs();
  showLogin();
  say(message, kind);
}

function apply(snapshot) {
  state.snapshot = snapshot;
  if (snapshot.current) renderSlip(null);
  renderSnapshot(snapshot);
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

function callNext() {
  return act(async () => {
    const ticket = await post(`/api/counters/${state.counterId}/next`);
    if (ticket === null) {
      say(T.nobodyWaiting);
      return;
    }
    renderSlip(null);
    say(T.called(ticket.number));
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
    await post(ticketPath(ticket, "transfer"), { counter_id: counter.id });
    say(T.transferred(ticket.number, counter.name));
  });
}

function finish(outcome) {
  const ticket = current();
  if (!ticket) return;
  if (outcome === "appointment") {
    appointment(ticket);
    return;
  }
  act(async () => {
    await post(ticketPath(ticket, "finish"), { outcome });
    say(T.finished(ticket.number, OUTCOMES[outcome]));
  });
}

async function appointment(ticket) {
  if (state.busy) return;
  let proposed = "";
  try {
    const procedures = await get("/api/procedures"); // today's default_due_date
    proposed = procedures.find((p) => p.id === ticket.procedure_id)?.default_due_date || "";
  } catch (error) {
    showError(error);
  }
  askDueDate(ticket, proposed, (dueDate) =>
    act(async () => {
      const finished = await post(ticketPath(ticket, "finish"), {
        outcome: "appointment",
        due_date: dueDate,
      });
      closeDialogs();
      renderSlip(finished);
      say(T.finished(ticket.number, OUTCOMES.appointment));
    }),
  );
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
  wirePasswordChange({
    username: () => state.user?.username,
    onChanged: () => say(T.passwordChanged),
    onError: showError,
  });
  wireDossierReturn({ onError: showError, onEmpty: (text) => say(text, "error") });
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("change-counter").addEventListener("click", () => showChoose());
  $("call-next").addEventListener("click", callNext);
  $("recall").addEventListener("click", recall);
  $("no-show").addEventListener("click", noShow);
  $("transfer").addEventListener("click", transfer);
  $("slip-print").addEventListener("click", () => window.print());
  $("slip-close").addEventListener("click", () => renderSlip(null));
  document.addEventListener("keydown", onKey);
  setInterval(() => tick(state.snapshot), 1000);
}

async function start() {
  applyStrings();
  wire();
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
