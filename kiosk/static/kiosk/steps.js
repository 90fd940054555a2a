// The steps of the flow: procedures of a field, a procedure's checklist, the priority question.
import { procedureName, sameDayNow } from "./catalog.js";
import { h } from "/static/common/dom.js";
import { S } from "./strings.js";

const PAGE_SIZE = { portrait: 10, landscape: 9 };

function navigation(onBack, onHome, ...extra) {
  return h("nav", { class: "step-nav" },
    onBack ? h("button", { class: "button nav-button", type: "button", onclick: onBack }, S.back) : null,
    ...extra,
    h("button", { class: "button nav-button", type: "button", onclick: onHome }, S.home));
}

const mark = () => h("span", { class: "mark" }, S.noAppointmentMark);

export function proceduresScreen(field, center, page, { choose, turn, back, home }) {
  const portrait = matchMedia("(orientation: portrait)").matches;
  const size = portrait ? PAGE_SIZE.portrait : PAGE_SIZE.landscape;
  const pages = Math.max(1, Math.ceil(field.procedures.length / size));
  const current = Math.min(page, pages - 1);
  const shown = field.procedures.slice(current * size, (current + 1) * size);
  const paging = pages > 1 ? [
    h("button", { class: "button nav-button", type: "button", disabled: current === 0,
      onclick: () => turn(current - 1) }, S.previousPage),
    h("span", { class: "page-of" }, S.pageOf(current + 1, pages)),
    h("button", { class: "button nav-button", type: "button", disabled: current === pages - 1,
      onclick: () => turn(current + 1) }, S.nextPage),
  ] : [];
  const list = h("ul", { class: "tiles procedure-list" }, shown.map((procedure) =>
      h("li", {}, h("button", { class: "tile procedure-tile", type: "button",
        dataset: { procedure: procedure.id }, onclick: () => choose(procedure) },
        h("span", { class: "tile-name" }, procedureName(procedure)),
        h("span", { class: "tile-meta" },
          sameDayNow(procedure, center) ? mark() : null,
          h("span", {}, S.waitingPeople(procedure.waiting)),
          procedure.estimated_wait_minutes
            ? h("span", { class: "estimate" }, S.estimate(procedure.estimated_wait_minutes)) : null)))));
  // As many rows as the page needs (at least a few, so that two procedures are not giants).
  const columns = portrait ? 1 : 3;
  list.style.setProperty("--rows", String(Math.max(Math.ceil(shown.length / columns), portrait ? 6 : 3)));
  return h("div", { class: "step procedures" },
    h("h2", { class: "step-title" }, S.chooseProcedure(field.name)),
    list,
    navigation(back, home, ...paging));
}

export function documentsScreen(procedure, center, { complete, incomplete, back, home }) {
  const sameDay = sameDayNow(procedure, center);
  return h("div", { class: "step documents" },
    h("h2", { class: "step-title" }, procedureName(procedure), sameDay ? mark() : null),
    h("div", { class: "checklist-box" },
      h("h3", { class: "checklist-title" }, S.documentsTitle),
      h("ol", { class: "checklist" }, (procedure.documents || []).map((text) => h("li", {}, text))),
      sameDay ? h("p", { class: "note same-day" }, S.documentsSameDay) : null,
      procedure.fee ? h("p", { class: "note" }, S.fee(procedure.fee)) : null),
    h("div", { class: "choices" },
      h("button", { class: "button primary big", type: "button", onclick: complete }, S.haveAll),
      h("button", { class: "button secondary big", type: "button", onclick: incomplete }, S.needHelp)),
    navigation(back, home));
}

export function priorityScreen(center, { choose, back, home }) {
  return h("div", { class: "step priority" },
    h("h2", { class: "step-title" }, S.priorityTitle),
    h("p", { class: "step-text" }, S.priorityText),
    h("button", { class: "button primary big no-priority", type: "button", dataset: { priority: "" },
      onclick: () => choose(null) }, S.noPriority),
    h("ul", { class: "tiles priority-list" }, (center.priorities || []).map((priority) =>
      h("li", {}, h("button", { class: "button secondary big", type: "button",
        dataset: { priority: priority.id }, onclick: () => choose(priority.id) }, priority.name)))),
    h("p", { class: "alert", role: "alert" }),
    navigation(back, home));
}
