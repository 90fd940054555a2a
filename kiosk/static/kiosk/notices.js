// Screens instead of the flow: loading, the server unreachable, outside opening hours.
import { h } from "/static/common/dom.js";
import { hoursLines } from "./hours.js";
import { S } from "./strings.js";

export const loadingScreen = () => h("div", { class: "notice" }, h("p", { class: "notice-title" }, S.loading));

export const offlineScreen = () =>
  h("div", { class: "notice offline" },
    h("h2", { class: "notice-title" }, S.offlineTitle),
    h("p", {}, S.offlineText),
    h("p", {}, S.offlineHelp));

export const closedScreen = (center) =>
  h("div", { class: "notice closed" },
    h("h2", { class: "notice-title" }, S.closedTitle),
    h("p", {}, S.closedText),
    h("table", { class: "hours" },
      h("caption", { class: "visually-hidden" }, S.hoursTitle),
      h("tbody", {}, hoursLines(center.opening_hours || {}).map((line) =>
        h("tr", {}, h("th", { scope: "row" }, line.days), h("td", {}, line.sessions))))));
