// What covers the whole kiosk for a while: the server out of reach (nothing can be taken:
// every touch is blocked until it answers again), and the idle warning. Each is a modal
// alert dialog over an `inert` page, so nothing beneath can be tapped or read out meanwhile.
import { h, replaceChildren } from "/static/common/dom.js";
import { S } from "./strings.js";

const page = () => [document.querySelector(".topbar"), document.getElementById("screen"), document.getElementById("helpbar")];

function cover(element, shown) {
  element.hidden = !shown;
  const anyShown = [...document.querySelectorAll(".overlay")].some((overlay) => !overlay.hidden);
  for (const part of page()) part.inert = anyShown;
}

// The server cannot be reached: "Vui lòng báo cán bộ tại quầy hướng dẫn", until it answers.
export function serverDownOverlay(element) {
  replaceChildren(element,
    h("div", { class: "overlay-box" },
      h("h2", { id: "server-down-title", class: "overlay-title" }, S.serverDownTitle),
      h("p", { id: "server-down-text", class: "overlay-text" }, S.serverDownText),
      h("p", { class: "overlay-note" }, S.serverDownNote)));
  return {
    show: () => cover(element, true),
    hide: () => cover(element, false),
    shown: () => !element.hidden,
  };
}

// The idle warning: "Tôi cần thêm thời gian" (anywhere on the warning counts as the button).
export function idleWarningOverlay(element, onMoreTime) {
  const countdown = h("p", { id: "idle-warning-text", class: "overlay-text" });
  replaceChildren(element,
    h("div", { class: "overlay-box" },
      h("h2", { id: "idle-warning-title", class: "overlay-title" }, S.idleTitle),
      countdown,
      h("button", { class: "button primary big more-time", type: "button" }, S.moreTime)));
  element.addEventListener("click", onMoreTime);
  return {
    show(seconds, afterSeconds) {
      element.dataset.after = String(afterSeconds);
      countdown.textContent = S.idleText(seconds);
      cover(element, true);
      element.querySelector(".more-time").focus();
    },
    tick(seconds) {
      countdown.textContent = S.idleText(seconds);
    },
    hide: () => cover(element, false),
  };
}
