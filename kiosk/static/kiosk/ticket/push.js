// "Nhận thông báo khi sắp đến lượt": the ticket page's Web Push button. It registers the
// service worker (/t/sw.js), asks for the notification permission on a tap, subscribes with
// the center's public key (GET /api/push/key) and sends the subscription with the ticket's
// key (POST /api/tickets/KEY/push). Browsers without push show nothing, except an iPhone
// outside the home screen, which can have push once the page is added there (iOS 16.4+).
import { get, post } from "/static/common/api.js";
import { h, replaceChildren } from "/static/common/dom.js";
import { S } from "./strings.js";

const SCOPE = "/t/";
const SUBSCRIBE_WAIT = 20000; // ms

export const pushSupported = () =>
  window.isSecureContext && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function isIphone() {
  const touchMac = navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1;
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || touchMac;
}

const standalone = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

// The panel under the ticket, one element kept across the page's redraws: update(true) while
// the ticket can still be announced (waiting or called), update(false) hides it.
export function pushPanel(key, number) {
  const panel = h("section", { class: "push", id: "push", "aria-live": "polite", hidden: true });
  const remembered = `motcua-push:${key}`;
  const told = localStorage.getItem(remembered); // N of "N people ahead", once subscribed
  const state = { active: false, busy: false, on: told !== null, error: "", ahead: Number(told) };
  let registration = null;

  function draw() {
    if (!state.active) {
      panel.hidden = true;
      return;
    }
    if (!pushSupported()) {
      replaceChildren(panel, isIphone() && !standalone()
        ? [h("h2", {}, S.push.title), h("p", {}, S.push.iphone)]
        : []);
      panel.hidden = !panel.childElementCount;
      return;
    }
    panel.hidden = false;
    if (state.on) {
      replaceChildren(panel, h("p", { class: "push-on" }, S.push.on(state.ahead)));
      return;
    }
    const denied = Notification.permission === "denied";
    replaceChildren(panel,
      h("button", { class: "push-button", type: "button", id: "push-button", disabled: state.busy || denied,
        onclick: subscribe }, state.busy ? S.push.busy : S.push.button),
      h("p", { class: "hint" }, denied ? S.push.denied : S.push.explain),
      h("p", { class: "alert", role: "alert" }, state.error));
  }

  function tellWorker(worker) {
    if (worker) worker.postMessage({ type: "ticket", number, page: location.pathname });
  }

  async function send(subscription) {
    const answer = await post(`/api/tickets/${encodeURIComponent(key)}/push`, subscription.toJSON());
    state.ahead = answer.push_ahead;
    state.on = true;
    state.error = "";
    localStorage.setItem(remembered, String(answer.push_ahead));
  }

  // The browser's push service (Google's for Chrome) may never answer on a network without
  // internet: after SUBSCRIBE_WAIT the page says so, and sends the subscription if it comes.
  async function browserSubscription(ready, publicKey) {
    const existing = await ready.pushManager.getSubscription();
    if (existing) return existing;
    const made = ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), SUBSCRIBE_WAIT); });
    const subscription = await Promise.race([made, late]).catch(() => {
      throw new Error(S.push.serviceUnreachable);
    });
    clearTimeout(timer);
    if (subscription) return subscription;
    made.then((arrived) => send(arrived).then(draw, () => {})).catch(() => {});
    throw new Error(S.push.serviceUnreachable);
  }

  async function subscribe() {
    if (state.busy) return;
    state.busy = true;
    state.error = "";
    draw();
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") throw new Error(S.push.notGranted);
      registration = registration || await navigator.serviceWorker.register("/t/sw.js", { scope: SCOPE });
      const ready = await navigator.serviceWorker.ready;
      tellWorker(ready.active);
      const { public_key: publicKey } = await get("/api/push/key");
      await send(await browserSubscription(ready, publicKey));
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error); // ApiError included
    }
    state.busy = false;
    draw();
  }

  if (pushSupported()) {
    // Registered at once: the page is then an installable web app, and a subscription made
    // earlier keeps being shown its messages.
    navigator.serviceWorker.register("/t/sw.js", { scope: SCOPE }).then((made) => {
      registration = made;
      tellWorker(made.active || made.installing || made.waiting);
    }).catch(() => {});
  }
  return {
    element: panel,
    update(active) {
      if (state.active === active) return;
      state.active = active;
      draw();
    },
  };
}
