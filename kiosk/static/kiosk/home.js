// The home screen: the no-appointment banner, the field tiles and the online-help tile.
import { fieldsOf, onlineHelpProcedure, procedureName, sameDayNow } from "./catalog.js";
import { h } from "/static/common/dom.js";
import { S } from "./strings.js";

function banner(center, procedures, actions) {
  if (!center.no_appointment_day) return null;
  if (!center.no_appointment_open) {
    return h("section", { class: "banner banner-closed", "aria-labelledby": "banner-title" },
      h("h2", { id: "banner-title", class: "banner-title" }, S.noAppointmentClosed(center.no_appointment_until)),
      h("p", { class: "banner-text" }, S.noAppointmentClosedText));
  }
  const eligible = procedures.filter((procedure) => sameDayNow(procedure, center));
  return h("section", { class: "banner", "aria-labelledby": "banner-title" },
    h("h2", { id: "banner-title", class: "banner-title" }, S.noAppointmentDay(center.weekday)),
    h("p", { class: "banner-text" }, S.noAppointmentText(center.no_appointment_until)),
    h("ul", { class: "chips" }, eligible.map((procedure) =>
      h("li", {}, h("button", { class: "chip", type: "button", dataset: { procedure: procedure.id },
        onclick: () => actions.procedure(procedure) }, procedureName(procedure))))));
}

export function homeScreen(center, procedures, actions) {
  const fields = fieldsOf(procedures, center);
  const help = onlineHelpProcedure(procedures);
  return h("div", { class: "home" },
    banner(center, procedures, actions),
    h("h2", { class: "step-title" }, S.chooseField),
    h("ul", { class: `tiles fields fields-${fields.length}` }, fields.map((field) =>
      h("li", {}, h("button", { class: "tile field-tile", type: "button", dataset: { field: field.id },
        onclick: () => actions.field(field) },
        h("span", { class: "letter", "aria-hidden": "true" }, field.letter),
        h("span", { class: "tile-body" },
          h("span", { class: "tile-name" }, field.name),
          h("span", { class: "tile-meta" }, S.waitingPeople(field.waiting)),
          field.sameDay > 0 ? h("span", { class: "mark" }, S.fieldNoAppointment(field.sameDay)) : null))))),
    help ? h("button", { class: "tile online-help", type: "button", dataset: { procedure: help.id },
      onclick: () => actions.onlineHelp(help) },
      h("span", { class: "tile-name" }, S.onlineHelpTitle),
      h("span", { class: "tile-meta" }, S.onlineHelpText)) : null,
    actions.booked ? h("button", { class: "tile booked", type: "button", id: "booked", onclick: actions.booked },
      h("span", { class: "tile-name" }, S.bookedTitle),
      h("span", { class: "tile-meta" }, S.bookedText)) : null,
    h("p", { class: "alert", role: "alert" }));
}
