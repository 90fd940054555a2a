// The admin page: the login (admins only; an officer is told so), the side menu, and the
// section on screen (#trung-tam, #thu-tuc… in the address, so a reload stays there).
// Each section draws itself from /api/admin and saves through it; the server then tells
// every kiosk, console and TV to apply the change.
import { ApiError, api, get, post } from "/static/common/api.js";
import { SECTIONS } from "./sections.js";
import { T } from "./strings.js";
import { h } from "./ui.js";

const $ = (id) => document.getElementById(id);
let drawing = 0; // the latest section drawn: an older, slower one never overwrites it

function showView(name) {
  for (const view of ["login", "forbidden", "admin"]) $(`${view}-view`).hidden = view !== name;
  $("who").hidden = name !== "admin";
}

function showLogin(message = "") {
  showView("login");
  $("login-error").textContent = message;
  $("username").focus();
}

function showForbidden(username) {
  showView("forbidden");
  $("forbidden-text").textContent = T.notAdmin(username);
}

function signedIn(user) {
  if (user.role !== "admin") {
    showForbidden(user.username);
    return;
  }
  $("who-name").textContent = T.who(user.username);
  showView("admin");
  openSection();
}

// Every API call of the sections: a 401 (the session ended, the account was disabled)
// brings the login back.
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if ($("dialog").open) $("dialog").close();
      showLogin(T.sessionEnded);
    }
    throw error;
  }
}

function say(text, kind = "ok") {
  $("section-message").textContent = text;
  $("section-message").dataset.kind = kind;
}

// What a section gets: the API, the status line, and a redraw after a change (with its news).
const app = {
  call,
  say,
  redraw: async (message = T.saved) => {
    await openSection();
    say(message);
  },
};

function drawMenu(active) {
  $("menu").replaceChildren(...SECTIONS.map((section) =>
    h("li", {}, h("a", {
      href: `#${section.id}`,
      "aria-current": section.id === active.id ? "page" : null,
    }, section.title))));
}

async function openSection() {
  const section = SECTIONS.find((candidate) => `#${candidate.id}` === location.hash) || SECTIONS[0];
  const turn = ++drawing;
  drawMenu(section);
  $("section-title").textContent = section.title;
  $("section-hint").textContent = section.hint;
  say("");
  const body = $("section-body");
  body.replaceChildren(h("p", { class: "hint" }, T.loading));
  try {
    const content = await section.draw(app);
    if (turn === drawing) body.replaceChildren(content);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (turn === drawing) body.replaceChildren(h("p", { class: "form-error", role: "alert" }, error.message));
  }
  if (section.refreshSeconds) setTimeout(() => refresh(section, turn), section.refreshSeconds * 1000);
}

// A section that shows a state kept elsewhere (the sync with the province hub) is drawn
// again every `refreshSeconds` while it stays on screen, quietly: no "loading" line, the
// status line kept. It stops once another section (or the same one, anew) is drawn.
async function refresh(section, turn) {
  if (turn !== drawing) return;
  if (!$("admin-view").hidden) {
    try {
      const content = await section.draw(app);
      if (turn === drawing) $("section-body").replaceChildren(content);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  if (turn === drawing) setTimeout(() => refresh(section, turn), section.refreshSeconds * 1000);
}

async function login(event) {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const user = await post("/api/session", { username: $("username").value.trim(), password: $("password").value });
    $("password").value = "";
    signedIn(user);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    $("login-error").textContent = error.message;
  }
}

async function logout() {
  try {
    await api("DELETE", "/api/session");
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  showLogin();
}

async function start() {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("switch-account").addEventListener("click", logout);
  window.addEventListener("hashchange", () => {
    if (!$("admin-view").hidden) openSection();
  });
  const forbidden = document.body.dataset.forbiddenUser;
  if (forbidden) {
    showForbidden(forbidden);
    return;
  }
  try {
    signedIn(await get("/api/session"));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showLogin(error.status === 401 ? "" : error.message);
  }
}

start();
