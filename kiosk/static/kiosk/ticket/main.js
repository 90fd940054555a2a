// A ticket's live page on the citizen's phone: follows the ticket over Socket.IO
// (channel "ticket:<key>"), refetching it over HTTP when it or the line changes. The key is
// the citizen's secret, from the receipt's QR code: it alone reads and rates the ticket.
import { ApiError, get, post } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { replaceChildren, h } from "/static/common/dom.js";
import { pushPanel } from "./push.js";
import { ticketView } from "./render.js";
import { S } from "./strings.js";

const key = document.body.dataset.ticketKey;
const main = document.getElementById("ticket");
const lostBar = document.getElementById("connection-lost");
let push = null; // the notification button, once the ticket's number is known
const STATS_REFETCH_GAP = 2000; // at most one refetch per 2 s for line changes
const state = { ticket: null, counterNames: {}, error: "", sending: false, lastSeq: undefined };

function vibrate() {
  // Browsers refuse (and warn) before the page was ever touched.
  const touched = navigator.userActivation ? navigator.userActivation.hasBeenActive : true;
  if (touched && typeof navigator.vibrate === "function") navigator.vibrate([400, 200, 400]);
}

function draw() {
  const ticket = state.ticket;
  if (!ticket) return;
  const counterName = state.counterNames[ticket.counter_id] || "";
  document.title = ticket.status === "called" ? S.titleCalled(ticket.number, ticket.counter_id) : S.title(ticket.number);
  main.dataset.status = ticket.status;
  push = push || pushPanel(key, ticket.number);
  push.update(!ticket.expired && (ticket.status === "waiting" || ticket.status === "called"));
  replaceChildren(main, ticketView(ticket, {
    counterName,
    rating: { sending: state.sending, error: state.error, send: rate },
  }), push.element);
}

function show(ticket) {
  const before = state.ticket;
  const newCall = ticket.status === "called" && (!before || before.status !== "called" || before.called_at !== ticket.called_at);
  state.ticket = ticket;
  if (ticket.status === "called" && !(ticket.counter_id in state.counterNames)) loadCounterNames();
  if (newCall && before) vibrate();
  draw();
}

async function loadCounterNames() {
  try {
    for (const counter of await get("/api/counters")) state.counterNames[counter.id] = counter.name;
    draw();
  } catch {
    // The call is shown without the counter's full name.
  }
}

// Refetches the ticket; answers that arrive after a newer one are dropped.
let asked = 0;
let drawn = 0;
async function fetchTicket() {
  const mine = ++asked;
  try {
    const ticket = await get(`/api/tickets/${encodeURIComponent(key)}`);
    if (mine < drawn) return;
    drawn = mine;
    show(ticket);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (!state.ticket) replaceChildren(main, h("p", { class: "alert", role: "alert" }, error.message));
  }
}

let pending = null;
let lastFetch = 0;
function refetchSoon(gap) {
  if (pending) return;
  const wait = Math.max(0, lastFetch + gap - Date.now());
  pending = setTimeout(() => {
    pending = null;
    lastFetch = Date.now();
    fetchTicket();
  }, wait);
}

async function rate(value) {
  if (state.sending) return;
  state.sending = true;
  state.error = "";
  draw();
  try {
    const ticket = await post(`/api/tickets/${encodeURIComponent(key)}/rating`, { rating: value });
    state.sending = false;
    show(ticket);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    state.sending = false;
    state.error = error.message;
    draw();
    if (error.code === "already_rated") refetchSoon(0);
  }
}

lostBar.textContent = S.connectionLost;
replaceChildren(main, h("p", { class: "loading" }, S.loading));
fetchTicket();
connectLive(`ticket:${key}`, {
  onEvent: (name, payload) => {
    if (payload.counter_name) state.counterNames[payload.counter_id] = payload.counter_name;
    if (name === "ticket_called" && payload.recall) vibrate();
    refetchSoon(0);
  },
  onState: (name, ticket) => {
    if (name === "ticket_state") {
      drawn = asked;
      show(ticket);
    }
  },
  // While waiting, the line moves with other tickets' events: a stats push whose last_seq
  // changed (or the first one after connecting) may change waiting_ahead.
  onStats: (stats) => {
    const changed = stats.last_seq !== state.lastSeq;
    state.lastSeq = stats.last_seq;
    if (changed && state.ticket && state.ticket.status === "waiting") refetchSoon(STATS_REFETCH_GAP);
  },
  onStatus: (status) => {
    const lost = status !== "connected";
    if (lost) state.lastSeq = undefined;
    if (lostBar.hidden === !lost) return;
    lostBar.hidden = !lost;
    if (!lost) refetchSoon(0);
  },
});
