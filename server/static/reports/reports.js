// The reports pages: log in (then reload: the server renders the page for the new session),
// switch to another account, log out, print. The review itself is rendered on the server.
import { api, post } from "/static/common/api.js";

const $ = (id) => document.getElementById(id);

function message(text, kind = "error") {
  const box = $("message");
  box.textContent = text || "";
  box.dataset.kind = kind;
}

async function logIn(event) {
  event.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  if (!username || !password) {
    message("Vui lòng nhập tên đăng nhập và mật khẩu.");
    (username ? $("password") : $("username")).focus();
    return;
  }
  $("login-button").disabled = true;
  try {
    await post("/api/session", { username, password });
    window.location.reload();
  } catch (error) {
    message(error.message);
    $("password").value = "";
    $("password").focus();
    $("login-button").disabled = false;
  }
}

async function logOut() {
  try {
    await api("DELETE", "/api/session");
  } catch (error) {
    if (error.status !== 401) {
      message(error.message);
      return;
    }
  }
  window.location.reload();
}

$("login-form")?.addEventListener("submit", logIn);
$("switch-account")?.addEventListener("click", logOut);
$("logout")?.addEventListener("click", logOut);
$("print")?.addEventListener("click", () => window.print());
