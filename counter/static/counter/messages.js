// The console's one message line (a polite live region): what just happened, or what the
// server refused, in its Vietnamese words.
import { ApiError, NETWORK_ERROR } from "/static/common/api.js";
import { showDialogError } from "./dialogs.js";
import { T } from "./strings.js";

const INFO_SECONDS = 8;
const UNDO_SECONDS = 15; // how long a finish offers "Sửa kết quả" in the message line
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

/** Say what a finish did, with a "Sửa kết quả" button for a while: a mis-pressed key is
 * put right at once (the "Đã xong" list keeps the button for the rest of the day). */
export function offerCorrection(text, onCorrect) {
  say(text);
  const box = document.getElementById("message");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "quiet message-action";
  button.textContent = T.correct;
  button.addEventListener("click", () => {
    say("");
    onCorrect();
  });
  box.append(" ", T.undoHint, " ", button);
  clearTimeout(timer);
  timer = setTimeout(() => say(""), UNDO_SECONDS * 1000);
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
