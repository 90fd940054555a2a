// The lobby TV: who is served where, the last calls, the line per field, today's same-day
// results, and every call announced aloud. Everything is drawn again, whole, from each
// `stats` snapshot; `ticket_called` events only feed the announcer (and the spotlight).
import { get } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { Announcer } from "./announcer.js";
import { centerClock } from "./clock.js";
import { qrSvg } from "/static/common/qr.js";
import { T } from "./tv-strings.js";

const SPOTLIGHT_MS = 20000; // how long a call stays highlighted
const RECENT_SHOWN = 4;
const DISCONNECTED_GRACE_MS = 1500; // a blink of the connection shows no banner
const MARQUEE_PX_PER_SECOND = 110;

const $ = (id) => document.getElementById(id);

let stats = null;
let center = null;
let procedures = new Map();
let clock = centerClock(null);
let spotlit = null; // {item, until}
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

function isServing(item) {
  const counter = stats && stats.counters.find((c) => c.id === item.counter_id);
  return Boolean(counter && counter.current && counter.current.number === item.number);
}

const announcer = new Announcer({
  onStart: (item) => spotlight(item),
  onBlocked: (blocked) => {
    $("tap-to-unmute").hidden = !blocked;
  },
  // A call whose citizen is no longer at the counter (finished meanwhile, or replayed long
  // after) is not said: only when the snapshot is at least as new as the call.
  isStale: (item) => Boolean(stats) && stats.last_seq >= item.seq && !isServing(item),
});
window.announcer = announcer;

function spotlight(item) {
  spotlit = { item, until: Date.now() + SPOTLIGHT_MS };
  clearTimeout(spotlightTimer);
  spotlightTimer = setTimeout(() => {
    spotlit = null;
    renderSpotlight();
    renderCounters();
  }, SPOTLIGHT_MS);
  renderSpotlight();
  renderCounters();
}

function renderSpotlight() {
  const box = $("spotlight");
  let number = "";
  let counterName = "";
  if (spotlit) {
    number = spotlit.item.number;
    counterName = counterLabel(spotlit.item.counter_id, spotlit.item.counter_name);
    box.dataset.state = "active";
  } else if (stats && stats.recent_calls.length) {
    number = stats.recent_calls[0].number;
    counterName = counterLabel(stats.recent_calls[0].counter_id, stats.recent_calls[0].counter_name);
    box.dataset.state = "recent";
  } else {
    box.dataset.state = "empty";
  }
  $("spotlight-number").textContent = number || "—";
  $("spotlight-number").classList.toggle("long", number.length > 4);
  $("spotlight-counter").textContent = number ? T.spotlightTo(counterName) : T.spotlightEmpty;
  $("spotlight-counter").classList.toggle("long", $("spotlight-counter").textContent.length > 34);
}

function counterCard(counter) {
  const card = element("li", "counter");
  const current = counter.current;
  card.dataset.counterId = counter.id;
  card.dataset.state = current ? "serving" : counter.open ? "idle" : "closed";
  if (spotlit && spotlit.item.counter_id === counter.id && current && current.number === spotlit.item.number) {
    card.classList.add("called");
  }
  const [title, subtitle] = splitName(counterLabel(counter.id, counter.name));
  const heading = element("div", "counter-heading");
  const titleNode = element("p", "counter-title", title);
  titleNode.classList.toggle("long", title.length > 12);
  heading.append(titleNode);
  if (subtitle) heading.append(element("p", "counter-subtitle", subtitle));
  const number = element("p", "counter-number", current ? current.number : "—");
  number.classList.toggle("long", number.textContent.length > 4);
  const status = element(
    "p",
    "counter-status",
    current ? current.procedure_name || "" : counter.open ? T.counterIdle : T.counterClosed,
  );
  card.append(heading, number, status);
  return card;
}

function renderCounters() {
  const list = $("counters");
  if (!stats) return;
  list.dataset.count = String(stats.counters.length);
  list.replaceChildren(...stats.counters.map(counterCard));
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
  const title = element(
    "h2",
    "today-title",
    T.noAppointmentProgress(
      figures.resolved,
      figures.finished,
      figures.finished ? Math.round((figures.rate ?? 0) * 100) : null,
    ),
  );
  title.id = "no-appointment-progress";
  box.append(title, bar(figures.finished ? figures.resolved / figures.finished : 0));
  box.append(element("p", "today-hint", T.noAppointmentHint(stats.no_appointment_until)));
  const list = element("ul", "procedure-progress");
  for (const row of stats.procedures) {
    const procedure = procedures.get(row.id);
    if (!procedure || !procedure.no_appointment) continue;
    const item = element("li", "procedure");
    item.append(element("span", "procedure-name", procedure.short_name || procedure.name));
    item.append(element("span", "procedure-figure", T.procedureProgress(row.resolved, row.finished)));
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
  banner.textContent = T.dayBanner(clock.weekday());
}

function render() {
  if (!stats) return;
  if (stats.center_name) $("center-name").textContent = stats.center_name;
  renderDayBanner();
  renderCounters();
  renderSpotlight();
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
  $("clock").textContent = clock.time();
  $("date").textContent = clock.date();
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
    clock = centerClock(center.now);
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
      if (name === "ticket_called") announcer.enqueue(payload);
    },
    onStats: (snapshot) => {
      stats = snapshot;
      render();
    },
    onStatus,
  }).on("setup_changed", loadMeta); // an admin saved a change: the name, hours, procedures
}

start();
