// The kiosk: loads the center and its procedures, then runs the citizen's flow
// home → field → procedure → checklist → priority → ticket, and back home. Its printer's
// state comes live: while the printer cannot print, the ticket screen asks for a photo.
import { ApiError, get } from "/static/common/api.js";
import { cannotPrint } from "/static/common/printers.js";
import { syncClock, startClock } from "./clock.js";
import { timings } from "./config.js";
import { replaceChildren } from "/static/common/dom.js";
import { fitToScreen } from "./fit.js";
import { homeScreen } from "./home.js";
import { idleTimer } from "./idle.js";
import { closedScreen, loadingScreen, offlineScreen } from "./notices.js";
import { watchPrinter } from "./printer.js";
import { documentsScreen, priorityScreen, proceduresScreen } from "./steps.js";
import { S } from "./strings.js";
import { ticketScreen } from "./ticket.js";
import { TicketRequest } from "./ticket-request.js";

const screen = document.getElementById("screen");
const centerName = document.getElementById("center-name");
const state = {
  center: null,
  procedures: [],
  request: new TicketRequest(),
  timer: null,
  countdown: null,
  ticket: null, // the ticket on screen
  noReceipt: null, // the printer's state when its receipt may not have printed (then sticky)
  homeAt: 0, // when the ticket screen goes back home (ms)
};
const idle = idleTimer(timings.idle, () => (state.request.busy ? idle.arm() : goHome()));

function show(name, content) {
  clearTimeout(state.timer);
  clearInterval(state.countdown);
  screen.dataset.screen = name;
  replaceChildren(screen, content);
  fitToScreen(screen);
  if (["procedures", "documents", "priority"].includes(name)) idle.arm();
  else idle.disarm();
}

const later = (work, milliseconds) => {
  clearTimeout(state.timer);
  state.timer = setTimeout(work, milliseconds);
};

async function load() {
  const [center, procedures] = await Promise.all([get("/api/center"), get("/api/procedures")]);
  state.center = center;
  state.procedures = procedures;
  syncClock(center.now);
  if (center.name) centerName.textContent = center.name;
}

// Home: shown at once from what is known, then refreshed (procedures, hours, the cut-off).
async function goHome() {
  state.request = new TicketRequest();
  if (state.center && state.center.open_now && screen.dataset.screen !== "offline") showHome();
  await refresh();
}

async function refresh() {
  if (state.request.busy) {
    // A ticket is being taken from the home screen: redrawing it now would enable its buttons.
    later(refresh, timings.refresh);
    return;
  }
  try {
    await load();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    show("offline", offlineScreen());
    later(refresh, timings.retry);
    return;
  }
  if (!state.center.open_now) {
    show("closed", closedScreen(state.center));
    later(refresh, timings.recheck);
    return;
  }
  const current = screen.dataset.screen;
  if (["home", "offline", "closed", "loading"].includes(current) || !current) showHome();
}

function showHome() {
  show("home", homeScreen(state.center, state.procedures, {
    field: (field) => showProcedures(field, 0),
    procedure: (procedure) => showDocuments(procedure, goHome),
    onlineHelp: (procedure) => issue({ procedure_id: procedure.id, documents_complete: true, priority: null }),
  }));
  later(refresh, timings.refresh);
}

function showProcedures(field, page) {
  show("procedures", proceduresScreen(field, state.center, page, {
    choose: (procedure) => showDocuments(procedure, () => showProcedures(field, page)),
    turn: (next) => showProcedures(field, next),
    back: goHome,
    home: goHome,
  }));
}

function showDocuments(procedure, back) {
  const again = () => showDocuments(procedure, back);
  show("documents", documentsScreen(procedure, state.center, {
    complete: () => showPriority(procedure, true, again),
    incomplete: () => showPriority(procedure, false, again),
    back,
    home: goHome,
  }));
}

function showPriority(procedure, documentsComplete, back) {
  show("priority", priorityScreen(state.center, {
    choose: (priority) => issue({ procedure_id: procedure.id, documents_complete: documentsComplete, priority }),
    back,
    home: goHome,
  }));
}

function setBusy(busy) {
  for (const button of screen.querySelectorAll("button")) button.disabled = busy;
  screen.classList.toggle("busy", busy);
}

// Takes the ticket. Every button is disabled while the request runs; a retry (the citizen
// taps again after an error) resends the same Idempotency-Key.
async function issue(body) {
  if (state.request.busy) return;
  const alert = screen.querySelector(".alert");
  setBusy(true);
  if (alert) alert.textContent = S.issuing;
  try {
    const ticket = await state.request.issue(body);
    showTicket(ticket);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    setBusy(false);
    if (alert) alert.textContent = error.message;
    fitToScreen(screen);
  }
}

const ticketContent = () =>
  ticketScreen(state.ticket, state.center, { done: goHome, noReceipt: state.noReceipt });

function tickCountdown() {
  const countdown = document.getElementById("countdown");
  if (countdown) countdown.textContent = S.backIn(Math.max(0, Math.ceil((state.homeAt - Date.now()) / 1000)));
}

function showTicket(ticket) {
  state.ticket = ticket;
  const status = printer.status();
  state.noReceipt = cannotPrint(status) ? status.state : null;
  show("ticket", ticketContent());
  state.homeAt = Date.now() + timings.home;
  tickCountdown();
  state.countdown = setInterval(tickCountdown, 1000);
  later(goHome, timings.home);
}

// The printer failed while a ticket is on screen (its receipt was likely the one that did
// not print): redraw it asking for a photo, keeping its countdown.
function printerChanged(status) {
  if (screen.dataset.screen !== "ticket" || state.noReceipt || !cannotPrint(status)) return;
  state.noReceipt = status.state;
  replaceChildren(screen, ticketContent());
  fitToScreen(screen);
  tickCountdown();
}

// Steps are fitted to the screen with the real font's metrics: load it before the first one.
const fontsLoaded = Promise.all(["400", "700"].map((weight) => document.fonts.load(`${weight} 1em "Noto Sans"`)));

const printer = watchPrinter(document.getElementById("printer-badge"), printerChanged);
// An admin saved a change (`setup_changed`): read the center and the procedures now, not at the
// next refresh. The home screen redraws; a citizen mid-step keeps the screen, the next uses it.
printer.live.on("setup_changed", () =>
  ["home", "closed", "offline"].includes(screen.dataset.screen) ? refresh() : load().catch(() => null));
startClock(document.getElementById("clock"), document.getElementById("date"));
show("loading", loadingScreen());
fontsLoaded.catch(() => null).then(refresh);
