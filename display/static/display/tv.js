// The lobby TV: who is served where, the last calls, the line per field, today's same-day
// results, and every call announced aloud. Everything is drawn again, whole, from the newest
// state: each `stats` snapshot, and the live `ticket_called` / `ticket_updated` events that
// arrive between two snapshots (newer by seq). The counters, the spotlight and the voice all
// read that one state (`serving`), so none of them shows a citizen who has left the counter.
import { get } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { Announcer } from "./announcer.js";
import { clockDate, clockTime, clockWeekday, setServerNow } from "/static/common/center-clock.js";
import { qrSvg } from "/static/common/qr.js";
import { T } from "./tv-strings.js";

const SPOTLIGHT_MS = 20000; // how long a new call stays highlighted
const RECENT_SHOWN = 4;
const LIVE_CALLS_KEPT = 20;
const DISCONNECTED_GRACE_MS = 1500; // a blink of the connection shows no banner
const MARQUEE_PX_PER_SECOND = 110;
const ENDED = new Set(["finished", "no_show", "transferred"]);

const $ = (id) => document.getElementById(id);

let stats = null;
let center = null;
let procedures = new Map();
setServerNow(document.body.dataset.now); // the center's time from the first frame
// counter id → {seq, ticket}: who is at each counter, as of event `seq` (the snapshot's
// last_seq for what a snapshot said). A newer event wins over an older snapshot and back.
const serving = new Map();
let liveCalls = []; // ticket_called events received, newest last: {…ticket, received_at}
let spotlightTimer = null;
let disconnectedTimer = null;
let wasDisconnected = false;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// "Quầy 2 — Chứng thực, Hộ tịch" → ["Quầy 2", "Chứng thực, Hộ tịch"];
// "Bàn hỗ trợ trực tuyến (Đoàn Thanh niên)" → ["Bàn hỗ trợ trực tuyến", "Đoàn Thanh niên"].
function splitName(name) {
  const text = String(name || "");
  const dash = text.indexOf(" — ");
  if (dash > 0) return [text.slice(0, dash), text.slice(dash + 3)];
  const bracket = /^(.+?) \((.+)\)$/.exec(text);
  return bracket ? [bracket[1], bracket[2]] : [text, ""];
}

// The counter as the voice names it ("đến quầy số sáu"): its name when that starts with
// "Quầy 6", else "Quầy 6 — " and its name.
function counterLabel(id, name) {
  return new RegExp(`^${T.counterNumber(id)}\\b`).test(name || "") ? name : `${T.counterNumber(id)} — ${name}`;
}

const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);

function isServing(call) {
  const entry = serving.get(call.counter_id);
  return Boolean(entry && entry.ticket && entry.ticket.number === call.number);
}

function setServing(counterId, seq, ticket) {
  const entry = serving.get(counterId);
  if (entry && entry.seq > seq) return; // what we know of this counter is newer
  serving.set(counterId, { seq, ticket });
}

function applyStats(snapshot) {
  for (const counter of snapshot.counters) setServing(counter.id, snapshot.last_seq, counter.current);
}

function applyEvent(name, ticket) {
  if (name === "ticket_called") {
    setServing(ticket.counter_id, ticket.seq, ticket);
    liveCalls.push({ ...ticket, received_at: Date.now() });
    liveCalls = liveCalls.slice(-LIVE_CALLS_KEPT);
  } else if (name === "ticket_updated" && ENDED.has(ticket.action)) {
    for (const [counterId, entry] of serving) {
      if (entry.ticket && entry.ticket.number === ticket.number) setServing(counterId, ticket.seq, null);
    }
  }
}

// The call the spotlight shows: the newest one (live or from the snapshot) whose citizen is
// still at its counter; "active" for SPOTLIGHT_MS after it arrived live.
function spotlightCall() {
  const candidates = [...liveCalls, ...(stats ? stats.recent_calls : [])].filter(isServing);
  if (!candidates.length) return null;
  const newest = candidates.reduce((a, b) => ((b.seq ?? 0) > (a.seq ?? 0) ? b : a));
  const live = liveCalls.filter((call) => call.seq === newest.seq || call.number === newest.number);
  const arrived = Math.max(0, ...live.map((call) => call.received_at));
  const remaining = arrived + SPOTLIGHT_MS - Date.now();
  return { call: newest, active: remaining > 0, remaining };
}

const announcer = new Announcer({
  onBlocked: (blocked) => {
    $("tap-to-unmute").hidden = !blocked;
  },
  // A call whose citizen is no longer at the counter (finished meanwhile, or replayed long
  // after) is not said.
  isStale: (item) => !isServing(item),
});
window.announcer = announcer;
window.announcements = announcer.history;

function renderSpotlight() {
  const box = $("spotlight");
  const shown = spotlightCall();
  clearTimeout(spotlightTimer);
  let number = "";
  let text = stats && stats.recent_calls.length ? T.spotlightNone : T.spotlightEmpty;
  if (shown) {
    number = shown.call.number;
    text = T.spotlightTo(counterLabel(shown.call.counter_id, shown.call.counter_name));
    box.dataset.state = shown.active ? "active" : "recent";
    if (shown.active) spotlightTimer = setTimeout(render, shown.remaining + 50);
  } else {
    box.dataset.state = "empty";
  }
  box.dataset.number = number;
  $("spotlight-number").textContent = number || "—";
  $("spotlight-number").classList.toggle("long", number.length > 4);
  $("spotlight-counter").textContent = text;
  $("spotlight-counter").classList.toggle("long", text.length > 34);
  return shown;
}

// open | paused | closed; a server without counter states says only `open`.
function counterState(counter) {
  return counter.state || (counter.open ? "open" : "closed");
}

function counterStatus(counter, current) {
  if (current) return current.procedure_name || "";
  const state = counterState(counter);
  if (state === "paused") return T.counterPaused(counter.pause_reason);
  return state === "open" ? T.counterIdle : T.counterClosed;
}

// "Từ xa" / "Đặt lịch" beside a ticket's number, for a ticket not taken at the kiosk.
function channelMark(ticket) {
  const words = ticket && T.channels[ticket.channel];
  return words ? element("span", "channel-mark", words) : null;
}

function counterCard(counter, spotlit) {
  const card = element("li", "counter");
  const entry = serving.get(counter.id);
  const current = entry ? entry.ticket : counter.current;
  const state = counterState(counter);
  card.dataset.counterId = counter.id;
  card.dataset.state = current ? "serving" : state === "open" ? "idle" : state;
  if (spotlit && spotlit.active && spotlit.call.counter_id === counter.id) card.classList.add("called");
  const [title, subtitle] = splitName(counterLabel(counter.id, counter.name));
  const heading = element("div", "counter-heading");
  const titleNode = element("p", "counter-title", title);
  titleNode.classList.toggle("long", title.length > 12);
  heading.append(titleNode);
  if (subtitle) heading.append(element("p", "counter-subtitle", subtitle));
  const number = element("p", "counter-number", current ? current.number : "—");
  number.classList.toggle("long", number.textContent.length > 4);
  const status = element("p", "counter-status", counterStatus(counter, current));
  const mark = channelMark(current);
  if (mark) status.prepend(mark, " ");
  card.append(heading, number, status);
  return card;
}

function renderCounters(spotlit) {
  const list = $("counters");
  if (!stats) return;
  list.dataset.count = String(stats.counters.length);
  list.replaceChildren(...stats.counters.map((counter) => counterCard(counter, spotlit)));
  if (!stats.counters.length) list.append(element("li", "empty", T.noCounters));
}

function renderRecent() {
  const list = $("recent-calls");
  const calls = stats.recent_calls.slice(0, RECENT_SHOWN);
  list.replaceChildren(
    ...calls.map((call, index) => {
      const row = element("li", index === 0 ? "recent-call newest" : "recent-call");
      row.dataset.number = call.number;
      row.append(element("span", "recent-number", call.number));
      const mark = channelMark(call);
      if (mark) row.append(mark);
      row.append(element("span", "recent-counter", counterLabel(call.counter_id, call.counter_name)));
      return row;
    }),
  );
  if (!calls.length) list.append(element("li", "empty", T.noCalls));
}

function renderFields() {
  $("fields").replaceChildren(
    ...stats.fields.map((field) => {
      const row = element("li", field.waiting ? "field" : "field none-waiting");
      row.append(element("span", "field-letter", field.letter));
      row.append(element("span", "field-name", field.name));
      row.append(element("span", "field-waiting", T.waitingPeople(field.waiting)));
      return row;
    }),
  );
}

function bar(fraction) {
  const outer = element("span", "bar");
  const inner = element("span", "bar-fill");
  inner.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
  outer.append(inner);
  return outer;
}

function renderNoAppointment(box) {
  const figures = stats.no_appointment;
  box.dataset.mode = "no-appointment";
  const empty = !figures.finished;
  const title = element(
    "h2",
    "today-title",
    empty
      ? T.noAppointmentTitle
      : T.noAppointmentProgress(figures.resolved, figures.finished, Math.round((figures.rate ?? 0) * 100)),
  );
  title.id = "no-appointment-progress";
  box.append(title);
  if (empty) box.append(element("p", "today-empty", T.noAppointmentNone));
  else box.append(bar(figures.resolved / figures.finished));
  // The headline's own tickets per procedure (stats.no_appointment.procedures): the rows add
  // up to it. A server without them falls back on the procedures marked no_appointment.
  const rows = figures.procedures || [];
  const list = element("ul", "procedure-progress");
  for (const row of rows) {
    const procedure = procedures.get(row.id);
    if (!procedure || (!procedure.no_appointment && !row.finished)) continue;
    const item = element("li", row.finished ? "procedure" : "procedure none-finished");
    item.dataset.procedureId = row.id;
    item.append(element("span", "procedure-name", procedure.short_name || procedure.name));
    item.append(
      element("span", "procedure-figure", row.finished ? T.procedureProgress(row.resolved, row.finished) : "—"),
    );
    list.append(item);
  }
  box.append(list);
}

function renderGeneral(box) {
  box.dataset.mode = "general";
  box.append(element("h2", "today-title", T.todayTitle));
  const list = element("dl", "figures");
  for (const [label, value] of [
    [T.figureIssued, stats.issued],
    [T.figureWaiting, stats.waiting],
    [T.figureFinished, stats.finished],
    [T.figureWait, T.minutes(stats.average_wait_seconds)],
  ]) {
    const figure = element("div", "figure");
    figure.append(element("dt", "", label), element("dd", "", String(value)));
    list.append(figure);
  }
  box.append(list);
}

function renderToday() {
  const box = $("today");
  box.replaceChildren();
  if (stats.no_appointment_day) renderNoAppointment(box);
  else renderGeneral(box);
}

function renderDayBanner() {
  const banner = $("day-banner");
  banner.hidden = !(stats && stats.no_appointment_day);
  banner.textContent = T.dayBanner(clockWeekday(), stats ? stats.no_appointment_until : "");
}

function render() {
  if (!stats) return;
  if (stats.center_name) $("center-name").textContent = stats.center_name;
  renderDayBanner();
  const spotlit = renderSpotlight();
  renderCounters(spotlit);
  renderRecent();
  renderFields();
  renderToday();
}

function renderCenter() {
  $("center-name").textContent = center.name;
  const names = center.priorities.map((p) => lowerFirst(p.name)).join(", ");
  $("priority-rule").textContent = T.priorityRule(names, center.priority_in_row);
  const url = center.portal_url;
  const qr = $("portal-qr");
  qr.replaceChildren();
  if (url) qr.append(qrSvg(url, T.portalQrLabel(url), 2));
  const host = url ? url.replace(/^https?:\/\//, "").replace(/\/$/, "") : "";
  $("portal-host").textContent = host;
  const text = T.marquee(host).join("     •     ");
  const marquee = $("marquee");
  marquee.replaceChildren(element("span", "", text), element("span", "", text));
  $("marquee-accessible").textContent = text;
  requestAnimationFrame(() => {
    const width = marquee.scrollWidth / 2;
    marquee.style.setProperty("--marquee-seconds", `${Math.max(20, width / MARQUEE_PX_PER_SECOND)}s`);
  });
}

function tick() {
  $("clock").textContent = clockTime();
  $("date").textContent = clockDate();
  if (stats) renderDayBanner();
}

async function loadMeta() {
  const [centerAnswer, proceduresAnswer, voiceAnswer] = await Promise.allSettled([
    get("/api/center"),
    get("/api/procedures"),
    get("/api/voice"),
  ]);
  if (centerAnswer.status === "fulfilled") {
    center = centerAnswer.value;
    setServerNow(center.now);
    renderCenter();
    tick();
  }
  if (proceduresAnswer.status === "fulfilled") {
    procedures = new Map(proceduresAnswer.value.map((procedure) => [procedure.id, procedure]));
  }
  if (voiceAnswer.status === "fulfilled") await announcer.configure(voiceAnswer.value);
  else if (!announcer.activeSet) await announcer.configure(null);
  render();
}

function onStatus(status) {
  clearTimeout(disconnectedTimer);
  if (status === "connected") {
    $("connection-lost").hidden = true;
    document.body.dataset.connection = "connected";
    if (wasDisconnected) loadMeta(); // the server may have restarted with another catalog or voice
    wasDisconnected = false;
    return;
  }
  wasDisconnected = true;
  document.body.dataset.connection = "disconnected";
  disconnectedTimer = setTimeout(() => {
    $("connection-lost").hidden = false;
  }, DISCONNECTED_GRACE_MS);
}

function start() {
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = T[node.dataset.t];
  const unlock = () => {
    $("tap-to-unmute").hidden = true;
    announcer.unlock();
  };
  $("unmute").addEventListener("click", unlock);
  document.addEventListener("pointerdown", () => announcer.blocked && unlock());
  tick();
  setInterval(tick, 1000);
  loadMeta();
  connectLive("display", {
    onEvent: (name, payload) => {
      applyEvent(name, payload);
      if (name === "ticket_called") announcer.enqueue(payload);
      render();
    },
    onStats: (snapshot) => {
      stats = snapshot;
      applyStats(snapshot);
      render();
    },
    onStatus,
  }).on("setup_changed", loadMeta); // an admin saved a change: the name, hours, procedures
}

start();
