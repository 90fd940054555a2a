// The steps of a phone page's flow (/lay-so, /dat-lich): the first step is rendered by the
// server; each next one is drawn into one box, and the phone's own Back button (or "Quay lại")
// goes back one step, because each step is a history entry.
import { h, replaceChildren } from "/static/common/dom.js";
import { formatMinutes } from "/static/common/format.js";
import { S } from "./strings.js";

export function steps(first, box) {
  const stack = []; // the drawing function of each step after the first
  function render(depth) {
    stack.length = depth;
    document.body.dataset.depth = String(depth);
    first.hidden = depth > 0;
    box.hidden = depth === 0;
    if (depth > 0) replaceChildren(box, stack[depth - 1]());
    const heading = (depth > 0 ? box : first).querySelector("h2");
    window.scrollTo(0, 0);
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
  addEventListener("popstate", (event) => render(Math.min((event.state && event.state.depth) || 0, stack.length)));
  return {
    go(draw) {
      stack.push(draw);
      history.pushState({ depth: stack.length }, "");
      render(stack.length);
    },
    back: () => history.back(),
    redraw: () => render(stack.length),
  };
}

export const heading = (count, total, title) =>
  h("h2", {}, h("span", { class: "step-count" }, S.stepOf(count, total)), " ", title);

export const backButton = (flow) =>
  h("button", { type: "button", class: "back", onclick: flow.back }, S.back);

export const choice = (name, meta, onclick, dataset = {}, disabled = false) =>
  h("li", {}, h("button", { type: "button", class: "choice", dataset, onclick, disabled },
    h("span", { class: "choice-body" },
      h("span", { class: "choice-name" }, name),
      meta ? h("span", { class: "choice-meta" }, meta) : null)));

export const procedureName = (procedure) => procedure.short_name || procedure.name;

// The wait a ticket taken now would have, in words (as the public queue says it).
export function waitWords(procedure) {
  if (procedure.line_state === "paused") return S.linePaused;
  if (procedure.line_state === "closed") return S.lineClosed;
  return formatMinutes(procedure.estimated_wait_minutes);
}

export const checklist = (procedure) =>
  h("div", { class: "checklist" },
    h("h3", {}, S.documentsTitle),
    h("ol", {}, (procedure.documents || []).map((text) => h("li", {}, text))),
    procedure.fee ? h("p", { class: "fee" }, S.fee(procedure.fee)) : null);

// The catalog the server put in the page (a JSON block).
export const pageData = (id) => JSON.parse(document.getElementById(id).textContent);
