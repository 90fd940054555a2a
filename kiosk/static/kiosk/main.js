// The kiosk: loads the center and its procedures, then runs the citizen's flow
// home → field → procedure → checklist (→ what happens when documents are missing) →
// priority → ticket, and back home. Its printer's state comes live: while the printer cannot
// print, the ticket screen asks for a photo. Its live connection tells at once when the server
// is out of reach: a full-screen notice blocks the kiosk until it answers again. On every
// screen: "Chữ lớn" and "Gọi cán bộ hỗ trợ"; before the idle reset, a warning.
import { ApiError, get } from "/static/common/api.js";
import { cannotPrint } from "/static/common/printers.js";
import { setServerNow } from "/static/common/center-clock.js";
import { startClock } from "./clock.js";
import { timings } from "./config.js";
import { replaceChildren } from "/static/common/dom.js";
import { fieldsOf } from "./catalog.js";
import { fitToScreen } from "./fit.js";
import { helpCall } from "./help-call.js";
import { homeScreen } from "./home.js";
import { idleTimer } from "./idle.js";
import { largeTextToggle } from "./large-text.js";
import { closedScreen, loadingScreen, offlineScreen } from "./notices.js";
import { idleWarningOverlay, serverDownOverlay } from "./overlays.js";
import { watchPrinter } from "./printer.js";
import { documentsScreen, incompleteScreen, onlineHelpScreen, priorityScreen, proceduresScreen } from "./steps.js";
import { S } from "./strings.js";
import { ticketScreen } from "./ticket.js";
import { TicketRequest } from "./ticket-request.js";
import { checkIn, checkInScreen, lookUpBooking } from "./check-in.js";

const screen = document.getElementById("screen");
const centerName = document.getElementById("center-name");
const state = {
  center: null,
  procedures: [],
  counters: [],
  bookings: false, // some field takes bookings: the home screen offers "Tôi đã đặt lịch"
  request: new TicketRequest(),
  timer: null,
  countdown: null,
  ticket: null, // the ticket on screen
  noReceipt: null, // the printer's state when its receipt may not have printed (then sticky)
  homeAt: 0, // when the ticket screen goes back home (ms)
  redraw: null, // draws the list of procedures on screen again from fresh data
};
const COUNTER_NEWS_MS = 300; // counter_changed events closer than this make one reload
const STEPS = ["procedures", "documents", "incomplete", "priority", "online-help", "check-in"]; // idle-timed
const warning = idleWarningOverlay(document.getElementById("idle-warning"), () => idle.extend());
const idle = idleTimer(timings, {
  onWarn: warning.show,
  onTick: warning.tick,
  onEndWarning: warning.hide,
  onIdle: () => (state.request.busy ? idle.arm() : nextCitizen()),
});
const largeText = largeTextToggle(document.getElementById("large-text"), () => fitToScreen(screen));

function show(name, content) {
  clearTimeout(state.timer);
  clearInterval(state.countdown);
  screen.dataset.screen = name;
  replaceChildren(screen, content);
  fitToScreen(screen);
  if (STEPS.includes(name)) idle.arm();
  else idle.disarm();
}

// The citizen is done (the ticket taken, or gone without a touch): the next one starts with
// the usual idle time and the usual text size.
function nextCitizen() {
  idle.reset();
  largeText.reset();
  goHome();
}

const later = (work, milliseconds) => {
  clearTimeout(state.timer);
  state.timer = setTimeout(work, milliseconds);
};

async function load() {
  const [center, procedures, counters, remote] = await Promise.all([
    get("/api/center"), get("/api/procedures"), get("/api/counters"), get("/api/remote"),
  ]);
  state.bookings = Boolean(remote.bookings);
  state.center = center;
  state.procedures = procedures;
  state.counters = counters;
  setServerNow(center.now);
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
    procedure: (procedure) => showDocuments(procedure, goHome, walkIn(procedure)),
    onlineHelp: showOnlineHelp,
    booked: state.bookings ? showCheckIn : null,
  }));
  later(refresh, timings.refresh);
}

function showProcedures(field, page) {
  state.redraw = () => {
    const fresh = fieldsOf(state.procedures, state.center).find((entry) => entry.id === field.id);
    if (fresh) showProcedures(fresh, page);
  };
  show("procedures", proceduresScreen(field, state.center, page, {
    choose: (procedure) => showDocuments(procedure, () => showProcedures(field, page), walkIn(procedure)),
    turn: (next) => showProcedures(field, next),
    back: goHome,
    home: goHome,
  }));
}

// The desk that helps with online filing: the counter serving the online-help procedure.
function helpDesk() {
  const help = state.procedures.find((procedure) => procedure.online_help);
  return help ? state.counters.find((counter) => (counter.procedures || []).includes(help.id)) || null : null;
}

// How the citizen's answers (documents complete or not, priority) become a ticket: a walk-in
// takes one with POST /api/tickets, a booked citizen checks the booking in.
const walkIn = (procedure) => (documentsComplete, priority) =>
  issue(() => state.request.issue({ procedure_id: procedure.id, documents_complete: documentsComplete, priority }));
const bookedTicket = (code) => (documentsComplete, priority) =>
  issue(() => checkIn(code, { documents_complete: documentsComplete, priority }));

function showDocuments(procedure, back, take) {
  const again = () => showDocuments(procedure, back, take);
  show("documents", documentsScreen(procedure, state.center, {
    complete: () => showPriority(true, again, take),
    incomplete: () => showIncomplete(procedure, again, take),
    back,
    home: goHome,
  }));
}

function showIncomplete(procedure, back, take) {
  const again = () => showIncomplete(procedure, back, take);
  show("incomplete", incompleteScreen(procedure, state.center, { counters: state.counters, helpDesk: helpDesk() }, {
    take: () => showPriority(false, again, take),
    back,
    home: goHome,
  }));
}

function showOnlineHelp(procedure) {
  show("online-help", onlineHelpScreen(procedure, helpDesk(), {
    take: () => walkIn(procedure)(true, null),
    back: goHome,
    home: goHome,
  }));
}

// A booked citizen's code, typed or scanned, finds the booking; then its procedure's checklist
// and the priority, as for a walk-in, give the ticket. A refusal stays on the screen.
function showCheckIn() {
  show("check-in", checkInScreen({
    submit: async (code) => {
      state.request.busy = true;
      try {
        const booking = await lookUpBooking(code);
        if (booking.check_in) return booking.check_in;
        const procedure = state.procedures.find((entry) => entry.id === booking.procedure_id);
        if (procedure) showDocuments(procedure, showCheckIn, bookedTicket(booking.code));
        else showTicket(await checkIn(booking.code)); // a procedure no longer taken: no checklist
        return null;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return error;
      } finally {
        state.request.busy = false;
      }
    },
    walkIn: goHome,
    changed: () => fitToScreen(screen),
    back: goHome,
    home: goHome,
  }));
}

function showPriority(documentsComplete, back, take) {
  show("priority", priorityScreen(state.center, {
    choose: (priority) => take(documentsComplete, priority),
    back,
    home: goHome,
  }));
}

function setBusy(busy) {
  for (const button of screen.querySelectorAll("button")) button.disabled = busy;
  screen.classList.toggle("busy", busy);
}

// Takes the ticket with `send()`. Every button is disabled while the request runs; a walk-in's
// retry (the citizen taps again after an error) resends the same Idempotency-Key.
async function issue(send) {
  if (state.request.busy) return;
  const alert = screen.querySelector(".alert");
  setBusy(true);
  if (alert) alert.textContent = S.issuing;
  try {
    const ticket = await send();
    showTicket(ticket);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    setBusy(false);
    if (alert) alert.textContent = error.message;
    fitToScreen(screen);
  }
}

const ticketContent = () =>
  ticketScreen(state.ticket, state.center, { done: nextCitizen, noReceipt: state.noReceipt });

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
  later(nextCitizen, timings.home);
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

// The live connection dropped: the server (or the network to it) is down. Nothing can be taken
// until it is back, so say so at once, over everything, with what to do; when it answers
// again, read the center and the procedures again and carry on where the citizen was.
const serverDown = serverDownOverlay(document.getElementById("server-down"));
function connectionChanged(status) {
  if (status !== "connected") {
    serverDown.show();
  } else if (serverDown.shown()) {
    serverDown.hide();
    if (!state.request.busy) refresh();
  }
}

const printer = watchPrinter(document.getElementById("printer-badge"), printerChanged, connectionChanged);
// The kiosk's own network gone (a cable pulled, the Wi-Fi down): the browser knows at once,
// where the live connection would wait for its ping to time out.
addEventListener("offline", () => serverDown.show());
addEventListener("online", () => printer.live.connected && connectionChanged("connected"));
// An admin saved a change (`setup_changed`): read the center and the procedures now, not at the
// next refresh. The home screen redraws; a citizen mid-step keeps the screen, the next uses it.
printer.live.on("setup_changed", () =>
  ["home", "closed", "offline"].includes(screen.dataset.screen) ? refresh() : load().catch(() => null));
// A counter opened, paused or closed (`counter_changed`): the waits change, and a line whose
// counters all stopped says so instead of promising minutes. Read the procedures again (once
// for a burst, as when the morning's counters open) and redraw the home screen or the list of
// procedures on screen; the other steps keep theirs.
let counterNews = null;
printer.live.on("counter_changed", () => {
  clearTimeout(counterNews);
  counterNews = setTimeout(async () => {
    if (state.request.busy) return;
    try {
      await load();
    } catch {
      return; // the next refresh tries again
    }
    if (screen.dataset.screen === "home") showHome();
    else if (screen.dataset.screen === "procedures" && state.redraw) state.redraw();
  }, COUNTER_NEWS_MS);
});
document.getElementById("large-text").textContent = S.largeText;
document.getElementById("help-call").textContent = S.helpCall;
helpCall(document.getElementById("help-call"), document.getElementById("help-status"), printer.live);
setServerNow(document.body.dataset.now); // the center's time from the first frame on
startClock(document.getElementById("clock"), document.getElementById("date"));
show("loading", loadingScreen());
fontsLoaded.catch(() => null).then(refresh);
