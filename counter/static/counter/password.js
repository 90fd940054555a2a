// The user's own password: a dialog asking for the current one and the new one twice, sent to
// POST /api/session/password. The server ends every other session of the user and keeps this
// one; its refusals (wrong current password, a new one easy to guess) stay inside the dialog.
import { ApiError, post } from "/static/common/api.js";
import { T } from "./strings.js";

const $ = (id) => document.getElementById(id);

// Which input a refusal is about, to put the cursor back there.
const ERROR_INPUTS = {
  wrong_password: "current-password",
  invalid_current_password: "current-password",
  weak_password: "new-password",
  same_password: "new-password",
  invalid_new_password: "new-password",
};

function showProblem(message, inputId) {
  $("password-error").textContent = message;
  const input = $(inputId);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
    input.select();
  }
}

function clear() {
  $("password-form").reset();
  $("password-error").textContent = "";
  for (const input of $("password-form").querySelectorAll("input")) {
    input.removeAttribute("aria-invalid");
  }
}

/** Wire the dialog. `username()` names the logged-in user (for the browser's password
 * manager); `onChanged()` runs after a change; `onError(error)` takes what the dialog does
 * not show itself: an ended session (401 login_required), a bug. A wrong current password is
 * a 401 too, but only a refusal: it stays in the dialog and the officer stays logged in. */
export function wirePasswordChange({ username, onChanged, onError }) {
  const dialog = $("password-dialog");
  let busy = false;
  $("change-password").addEventListener("click", () => {
    clear();
    $("password-form").elements.username.value = username() || "";
    dialog.showModal();
    $("current-password").focus();
  });
  $("password-cancel").addEventListener("click", () => dialog.close());
  $("password-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const current = $("current-password").value;
    const fresh = $("new-password").value;
    if (!current || !fresh) {
      showProblem(T.passwordMissing, current ? "new-password" : "current-password");
      return;
    }
    if (fresh !== $("repeat-password").value) {
      showProblem(T.passwordMismatch, "repeat-password");
      return;
    }
    busy = true;
    $("password-save").textContent = T.savingPassword;
    try {
      await post("/api/session/password", { current_password: current, new_password: fresh });
      dialog.close();
      clear();
      onChanged();
    } catch (error) {
      if (error instanceof ApiError && error.code !== "login_required") {
        showProblem(error.message, ERROR_INPUTS[error.code] || "current-password");
      } else {
        dialog.close(); // the session ended (or a bug): the console handles it
        onError(error);
      }
    } finally {
      busy = false;
      $("password-save").textContent = T.savePassword;
    }
  });
}
