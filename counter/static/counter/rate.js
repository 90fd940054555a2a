// The rating tablet at a counter (/rate/<id>): after each service there, the citizen rates it
// with one tap. The page never knows a ticket id: it reads GET /api/counters/ID/last-served
// (the ticket the counter just finished, if it may still be rated) when the counter's channel
// says something happened there, and rates with POST /api/counters/ID/rating.
//
// Screens (body[data-screen]): idle → rating (RATING_SECONDS, or until the counter calls its
// next ticket) → thanks (THANKS_SECONDS) → idle. ?rating=5&thanks=2 shorten them for tests.
//
// Only a registered tablet rates: `motcua kiosk add NAME` prints its address with &token=…,
// sent as X-Kiosk-Token with each request.
import { ApiError, api } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { T } from "./rate-strings.js";

const DISCONNECTED_GRACE_MS = 1500;

const $ = (id) => document.getElementById(id);
const counterId = Number(document.body.dataset.counterId);
const params = new URLSearchParams(location.search);
const seconds = (name, fallback) => {
  const value = Number(params.get(name));
  return params.has(name) && value >= 0.5 && value <= 3600 ? value : fallback;
};
const token = params.get("token");
const device = token && /^[A-Za-z0-9_-]{16,100}$/.test(token) ? { "X-Kiosk-Token": token } : {};
const RATING_SECONDS = seconds("rating", 30);
const THANKS_SECONDS = seconds("thanks", 10);

const state = { screen: "idle", served: null, sending: false, error: "", rating: null };
let dismissed = ""; // the ticket last shown: once gone from the screen, it does not come back
let timer = null;
let disconnectedTimer = null;

const keyOf = (served) => `${served.number} ${served.finished_at}`;

function render() {
  const { screen, served } = state;
  document.body.dataset.screen = screen;
  for (const name of ["idle", "rating", "thanks"]) $(`screen-${name}`).hidden = name !== screen;
  if (screen === "rating") {
    $("served-number").textContent = served.number;
    $("served-procedure").textContent = served.procedure_name;
    $("served-officer").textContent = served.officer_name ? T.officer(served.officer_name) : "";
    $("served-officer").hidden = !served.officer_name;
    for (const button of document.querySelectorAll("[data-rating]")) button.disabled = state.sending;
    $("rating-alert").textContent = state.sending ? T.sending : state.error;
  }
  if (screen === "thanks") {
    $("thanks-rating").textContent = state.rating ? T.yourRating(T[state.rating]) : "";
  }
}

function show(screen, { served = null, rating = null, after = 0, then = null } = {}) {
  if (state.served && (!served || keyOf(served) !== keyOf(state.served))) dismissed = keyOf(state.served);
  Object.assign(state, { screen, served, rating, sending: false, error: "" });
  clearTimeout(timer);
  timer = after ? setTimeout(then, after * 1000) : null;
  render();
  if (screen === "rating") restartCountdown();
}

const showIdle = () => show("idle");
const showRating = (served) => show("rating", { served, after: RATING_SECONDS, then: showIdle });
const showThanks = (rating) =>
  show("thanks", { served: state.served, rating, after: THANKS_SECONDS, then: showIdle });

function restartCountdown() {
  const bar = $("countdown-bar");
  bar.style.animation = "none";
  void bar.offsetWidth; // restart the animation
  bar.style.animation = `countdown ${RATING_SECONDS}s linear forwards`;
}

// What the server says the counter may rate now; answers older than the newest asked are dropped.
function apply(served) {
  if (!served) {
    if (state.screen === "rating") showIdle(); // rated elsewhere, or the window closed
    return;
  }
  const key = keyOf(served);
  if (key === dismissed || (state.served && keyOf(state.served) === key)) return;
  showRating(served);
}

let asked = 0;
async function refresh() {
  const mine = ++asked;
  try {
    const served = await api("GET", `/api/counters/${counterId}/last-served`, undefined, device);
    if (mine === asked) apply(served);
    $("idle-alert").textContent = "";
  } catch (error) {
    if (!(error instanceof ApiError)) throw error; // a network failure shows the connection bar
    if (error.code === "device_not_registered") $("idle-alert").textContent = error.message;
  }
}

async function rate(value) {
  if (state.sending || state.screen !== "rating") return;
  state.sending = true;
  state.error = "";
  render();
  try {
    const rated = await api("POST", `/api/counters/${counterId}/rating`, { rating: value }, device);
    showThanks(rated.rating);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "already_rated") {
      showThanks(null); // a second tap, or the phone was quicker: it is recorded
      return;
    }
    state.sending = false;
    state.error = error.message;
    render();
    if (error.code === "nothing_to_rate") {
      clearTimeout(timer);
      timer = setTimeout(showIdle, 5000);
    }
  }
}

function onEvent(name, ticket) {
  if (ticket.counter_id !== counterId) return;
  if (name === "ticket_called") {
    showIdle(); // the next citizen is at the counter
  } else if (name === "ticket_updated") {
    refresh(); // finished here (or rated, or no-show): what may be rated changed
  }
}

function onStatus(status) {
  clearTimeout(disconnectedTimer);
  if (status === "connected") {
    $("connection-lost").hidden = true;
    refresh(); // anything missed while away
    return;
  }
  disconnectedTimer = setTimeout(() => {
    $("connection-lost").hidden = false;
  }, DISCONNECTED_GRACE_MS);
}

for (const node of document.querySelectorAll("[data-t]")) node.textContent = T[node.dataset.t];
for (const button of document.querySelectorAll("[data-rating]")) {
  button.addEventListener("click", () => rate(button.dataset.rating));
}
render();
refresh();
connectLive(`counter:${counterId}`, { onEvent, onStatus });
