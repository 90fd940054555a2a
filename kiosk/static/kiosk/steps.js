// The steps of the flow: procedures of a field, a procedure's checklist, what happens when
// documents are missing, the priority question; and the online-help desk before its ticket.
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

// The wait a new ticket would have: minutes while an open counter serves the line, else why
// there are none (every counter of the procedure paused, or none open).
export function lineNote(procedure) {
  if (procedure.line_state === "paused") return h("span", { class: "line-state paused" }, S.linePaused);
  if (procedure.line_state === "closed") return h("span", { class: "line-state closed" }, S.lineClosed);
  return procedure.estimated_wait_minutes
    ? h("span", { class: "estimate" }, S.estimate(procedure.estimated_wait_minutes)) : null;
}

// "Quầy 2 hoặc Quầy 3": the counters serving a procedure, by the number the call reads out.
const countersServing = (procedure, counters) =>
  counters.filter((counter) => (counter.procedures || []).includes(procedure.id)).map((counter) => S.counter(counter.id));

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
          lineNote(procedure))))));
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

// "Chưa đủ giấy tờ": who guides the citizen and who else can help, before the priority step.
export function incompleteScreen(procedure, center, { counters, helpDesk }, { take, back, home }) {
  const serving = countersServing(procedure, counters);
  return h("div", { class: "step incomplete" },
    h("h2", { class: "step-title" }, S.incompleteTitle),
    h("p", { class: "step-procedure" }, procedureName(procedure)),
    h("ul", { class: "next-steps" },
      h("li", {}, serving.length ? S.incompleteCounter(serving.join(S.or)) : S.incompleteCounterAny),
      sameDayNow(procedure, center) ? h("li", {}, S.incompleteSameDay) : null,
      helpDesk ? h("li", {}, S.incompleteVolunteers(helpDesk)) : null,
      h("li", {}, S.incompleteCallHelp)),
    h("div", { class: "choices single" },
      h("button", { class: "button primary big", type: "button", onclick: take }, S.incompleteTake)),
    navigation(back, home));
}

// The online-help tile: where the desk is and what to bring, then its ticket.
export function onlineHelpScreen(procedure, helpDesk, { take, back, home }) {
  return h("div", { class: "step online-help-step" },
    h("h2", { class: "step-title" }, S.onlineHelpTitle),
    helpDesk ? h("p", { class: "help-desk" }, S.onlineHelpWhere(helpDesk)) : null,
    h("p", { class: "step-text" }, S.onlineHelpWhat),
    h("div", { class: "checklist-box" },
      h("h3", { class: "checklist-title" }, S.onlineHelpBring),
      h("ol", { class: "checklist" }, (procedure.documents || []).map((text) => h("li", {}, text))),
      procedure.fee ? h("p", { class: "note" }, S.fee(procedure.fee)) : null),
    h("p", { class: "alert", role: "alert" }),
    h("div", { class: "choices single" },
      h("button", { class: "button primary big", type: "button", onclick: take }, S.onlineHelpTake)),
    navigation(back, home));
}
