// The kiosks' calls for an officer on the console: a banner per open call ("Ki-ốt sanh-1
// cần hỗ trợ — 09:14") with "Tôi đến hỗ trợ" (POST /api/help-requests/ID/answer). Every
// console shows the same calls: the open ones from GET /api/help-requests on each
// (re)connection, then each `help_request` event of the consoles' room; an answer, from this
// console or another, drops the banner everywhere.
//
// It listens on the console's own live connection (the counter's channel joins the consoles'
// room): the console hands it over with followHelpRequests(socket) once it follows a counter.
import { ApiError, get, post } from "/static/common/api.js";
import { centerTime } from "/static/common/center-clock.js";
import { h, replaceChildren } from "/static/common/dom.js";

const T = {
  title: "Người dân cần hỗ trợ tại ki-ốt",
  call: (kiosk, time) => `Ki-ốt ${kiosk} gọi cán bộ hỗ trợ lúc ${time}`,
  answer: "Tôi đến hỗ trợ",
  answering: "Đang nhận…",
};

const state = { socket: null, requests: new Map(), error: "", sending: null };
let banner = null;

function mountBanner() {
  if (banner) return banner;
  const link = h("link", { rel: "stylesheet", href: new URL("./help.css", import.meta.url).href });
  document.head.append(link);
  banner = h("section", { id: "help-requests", class: "help-requests", "aria-labelledby": "help-requests-title", hidden: true });
  const message = document.getElementById("message");
  if (message) message.after(banner);
  else document.body.prepend(banner);
  return banner;
}

function draw() {
  const open = [...state.requests.values()].filter((request) => request.status === "open");
  banner.hidden = open.length === 0;
  replaceChildren(banner,
    h("h2", { id: "help-requests-title", class: "help-requests-title" }, T.title),
    h("ul", { class: "help-request-list" }, open.map((request) =>
      h("li", { class: "help-request", dataset: { request: request.id } },
        h("span", { class: "help-request-text" }, T.call(request.kiosk, centerTime(request.requested_at))),
        h("button", { type: "button", class: "primary help-answer", disabled: state.sending === request.id,
          onclick: () => answer(request.id) }, state.sending === request.id ? T.answering : T.answer)))),
    state.error ? h("p", { class: "help-error", role: "alert" }, state.error) : null);
}

function keep(request) {
  if (request.status === "open") state.requests.set(request.id, request);
  else state.requests.delete(request.id);
}

async function reload() {
  try {
    const open = await get("/api/help-requests");
    state.requests = new Map(open.map((request) => [request.id, request]));
    draw();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

async function answer(id) {
  if (state.sending !== null) return;
  state.sending = id;
  state.error = "";
  draw();
  try {
    keep(await post(`/api/help-requests/${id}/answer`));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    state.error = error.message;
    if (error.status === 404 || error.status === 409) state.requests.delete(id);
  } finally {
    state.sending = null;
    draw();
  }
}

export function followHelpRequests(socket) {
  stopHelpRequests();
  mountBanner();
  state.socket = socket;
  socket.on("connect", () => {
    if (state.socket === socket) reload(); // what was asked while the console was away
  });
  socket.on("help_request", (request) => {
    if (state.socket !== socket) return;
    keep(request);
    draw();
  });
  if (socket.connected) reload();
}

// The console stopped following its counter (it owns the connection and closes it).
export function stopHelpRequests() {
  state.socket = null;
  state.requests.clear();
  state.error = "";
  if (banner) draw();
}
