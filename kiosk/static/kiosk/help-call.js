// "Gọi cán bộ hỗ trợ", on every screen of the kiosk: POST /api/help-requests puts a banner on
// every officer's console; the kiosk then says it is waiting, and "Cán bộ đang đến hỗ trợ"
// once an officer answers (the `help_request` event, which the public channel hears as
// {id, status}). A second tap while the request is open is the same request.
import { ApiError, post } from "/static/common/api.js";
import { kioskName, kioskToken } from "./config.js";
import { S } from "./strings.js";

const ANSWERED_SHOWN_MS = 90 * 1000; // "Cán bộ đang đến" stays while the officer walks over
const OPEN_SHOWN_MS = 15 * 60 * 1000; // an unanswered call is said no longer than this

export function helpCall(button, status, live) {
  let request = null;
  let clearTimer = null;

  const show = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
    button.classList.toggle("called", state === "open" || state === "answered");
  };
  const forgetLater = (milliseconds) => {
    clearTimeout(clearTimer);
    clearTimer = setTimeout(() => {
      request = null;
      show("", "");
    }, milliseconds);
  };

  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    show(S.helpSending, "sending");
    try {
      const headers = {};
      if (kioskName) headers["X-Kiosk"] = kioskName;
      if (kioskToken) headers["X-Kiosk-Token"] = kioskToken;
      request = await post("/api/help-requests", undefined, headers);
      if (request.status === "answered") show(S.helpComing, "answered");
      else show(S.helpWaiting, "open");
      forgetLater(OPEN_SHOWN_MS);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      show(error.message, "error");
      forgetLater(ANSWERED_SHOWN_MS);
    } finally {
      button.disabled = false;
    }
  });

  live.on("help_request", (news) => {
    if (!request || news.id !== request.id || news.status !== "answered") return;
    request = { ...request, status: "answered" };
    show(S.helpComing, "answered");
    forgetLater(ANSWERED_SHOWN_MS);
  });
}
