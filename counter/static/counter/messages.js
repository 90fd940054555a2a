// The console's one message line (a polite live region): what just happened, or what the
// server refused, in its Vietnamese words.
import { ApiError, NETWORK_ERROR } from "/static/common/api.js";
import { showDialogError } from "./dialogs.js";

const INFO_SECONDS = 8;
let timer = null;
let shownCode = null;
let onLoginRequired = () => {};

export function say(text, kind = "info", code = null) {
  const box = document.getElementById("message");
  clearTimeout(timer);
  box.textContent = text;
  box.className = text ? `message message-${kind}` : "message";
  shownCode = code;
  if (text && kind === "info") timer = setTimeout(() => say(""), INFO_SECONDS * 1000);
}

/** Show an error: the server's message; 401 while logged in goes to the login hook. */
export function showError(error) {
  if (!(error instanceof ApiError)) {
    console.error(error); // a bug of this page: visible in the logs and in the tests
    error = new ApiError(0, "network_error", NETWORK_ERROR);
  }
  if (error.status === 401 && onLoginRequired(error)) return;
  say(error.message, "error", error.code);
  showDialogError(error.message);
}

/** `handler(error)` returns true when it took care of a 401 (the session ended). */
export function whenLoginRequired(handler) {
  onLoginRequired = handler;
}

/** Clear a "cannot reach the server" message once the connection is back. */
export function clearNetworkError() {
  if (shownCode === "network_error") say("");
}
