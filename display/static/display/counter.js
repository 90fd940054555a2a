// The small screen above one counter: the number being served there, big. Drawn from each
// `stats` snapshot (and `counter_state` when the server sends it); a `ticket_called` event to
// this counter shows the new number at once, with a flash.
import { get } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { clockDate, clockTime, setServerNow } from "/static/common/center-clock.js";
import { T } from "./counter-strings.js";

const DISCONNECTED_GRACE_MS = 1500;
const ENDED = new Set(["finished", "no_show", "transferred"]);

const $ = (id) => document.getElementById(id);
const counterId = Number(document.body.dataset.counterId);

let view = { name: $("counter-name").textContent, state: "closed", pauseReason: null, current: null };
let newestEventSeq = 0; // the newest event about this counter already shown
setServerNow(document.body.dataset.now); // the center's time from the first frame
let disconnectedTimer = null;

// The counter as the voice names it ("đến quầy số sáu").
function counterLabel(name) {
  const label = T.counterNumber(counterId);
  return new RegExp(`^${label}\\b`).test(name) ? name : `${label} — ${name}`;
}

// open | paused | closed, from a stats row or a counter_state (a server without counter
// states says only `open`).
function stateOf(counter) {
  return { state: counter.state || (counter.open ? "open" : "closed"), pauseReason: counter.pause_reason || null };
}

function idleText(state) {
  if (state === "idle") return T.idle;
  if (state === "paused") return `${T.paused(view.pauseReason)}. ${T.closedHint}`;
  return `${T.closed}. ${T.closedHint}`;
}

function render() {
  const { current } = view;
  const state = current ? "serving" : view.state === "open" ? "idle" : view.state;
  document.body.dataset.state = state;
  $("counter-name").textContent = counterLabel(view.name);
  $("counter-name").classList.toggle("long", $("counter-name").textContent.length > 30);
  $("serving-label").textContent = current ? T.serving : "";
  $("serving-number").textContent = current ? current.number : state === "idle" ? "—" : "";
  $("serving-number").classList.toggle("long", Boolean(current) && current.number.length > 4);
  $("serving-procedure").textContent = current ? current.procedure_name || "" : idleText(state);
  $("serving-channel").textContent = (current && T.channels[current.channel]) || "";
  $("serving-channel").hidden = !$("serving-channel").textContent;
  document.body.dataset.ticketNumber = current ? current.number : "";
}

function flash() {
  document.body.classList.remove("flash");
  void document.body.offsetWidth; // restart the animation
  document.body.classList.add("flash");
}

function show(next, { isNewCall = false } = {}) {
  view = { ...view, ...next };
  render();
  if (isNewCall) flash();
}

function onEvent(name, ticket) {
  if (name === "ticket_called" && ticket.counter_id === counterId) {
    newestEventSeq = Math.max(newestEventSeq, ticket.seq);
    show({ current: ticket, state: "open", pauseReason: null }, { isNewCall: true });
  } else if (name === "ticket_updated" && ENDED.has(ticket.action) && view.current && view.current.number === ticket.number) {
    newestEventSeq = Math.max(newestEventSeq, ticket.seq);
    show({ current: null });
  }
}

function onStats(stats) {
  if (stats.last_seq < newestEventSeq) return; // older than what an event already showed
  const counter = stats.counters.find((c) => c.id === counterId);
  if (!counter) return;
  show({ name: counter.name, ...stateOf(counter), current: counter.current });
}

function onState(name, state) {
  if (name !== "counter_state" || state.counter_id !== counterId) return;
  show({ name: state.name || view.name, ...stateOf(state), current: state.current });
}

function onStatus(status) {
  clearTimeout(disconnectedTimer);
  if (status === "connected") {
    $("connection-lost").hidden = true;
    return;
  }
  disconnectedTimer = setTimeout(() => {
    $("connection-lost").hidden = false;
  }, DISCONNECTED_GRACE_MS);
}

function tick() {
  $("clock").textContent = `${clockTime()} · ${clockDate()}`;
}

for (const node of document.querySelectorAll("[data-t]")) node.textContent = T[node.dataset.t];
render();
tick();
setInterval(tick, 1000);
get("/api/center")
  .then((center) => {
    setServerNow(center.now);
    tick();
  })
  .catch(() => {});
connectLive(`counter:${counterId}`, { onEvent, onStats, onState, onStatus });
