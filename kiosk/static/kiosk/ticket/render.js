// Draws a ticket's state: the number, the status in words, the call, the outcome, the rating.
import { formatIsoDay } from "/static/common/format.js";
import { h } from "/static/common/dom.js";
import { S } from "./strings.js";

const RATINGS = ["very_satisfied", "satisfied", "unsatisfied"];
const CHANNELS = { remote: "Số lấy từ xa", booking: "Số đặt lịch" }; // a kiosk's ticket: no mark

// Minutes only while an open counter serves the ticket's line; otherwise why not, and that
// the citizen keeps the number.
function lineLine(ticket) {
  if (ticket.line_state === "paused") return h("p", { class: "line-state" }, S.linePaused);
  if (ticket.line_state === "closed") return h("p", { class: "line-state" }, S.lineClosed);
  return ticket.estimated_wait_minutes ? h("p", {}, S.estimatedWait(ticket.estimated_wait_minutes)) : null;
}

function statusPanel(ticket, counterName) {
  if (ticket.expired) {
    return h("section", { class: "status status-over" },
      h("p", { class: "status-words" }, S.expired(formatIsoDay(ticket.day))));
  }
  if (ticket.status === "called") {
    return h("section", { class: "status status-called", role: "alert" },
      h("p", { class: "status-words" }, S.status.called),
      h("p", { class: "call" }, S.callTitle(ticket.counter_id)),
      counterName ? h("p", { class: "counter-name" }, counterName) : null,
      h("p", {}, S.callText));
  }
  if (ticket.status === "waiting") {
    return h("section", { class: "status status-waiting" },
      h("p", { class: "status-words" }, S.status.waiting),
      ticket.counter_id ? h("p", {}, S.waitingFor(ticket.counter_id)) : null,
      h("p", { class: "ahead" }, S.waitingAhead(ticket.waiting_ahead)),
      lineLine(ticket),
      h("p", { class: "hint" }, S.keepWatching));
  }
  if (ticket.status === "no_show") {
    return h("section", { class: "status status-over" },
      h("p", { class: "status-words" }, S.status.no_show),
      h("p", {}, S.noShowText));
  }
  return h("section", { class: "status status-finished" },
    h("p", { class: "status-words" }, S.status.finished),
    h("p", { class: "outcome" }, S.outcome[ticket.outcome] || ""),
    ticket.due_date ? h("p", {}, S.appointment(formatIsoDay(ticket.due_date))) : null,
    ticket.dossier_code ? h("p", {}, S.dossierCode(ticket.dossier_code)) : null);
}

function ratingPanel(ticket, rating) {
  if (ticket.status !== "finished") return null;
  if (ticket.rating) {
    return h("section", { class: "rating rated" },
      h("p", { class: "thanks" }, S.thanks),
      h("p", {}, S.yourRating(S.ratings[ticket.rating] || ticket.rating)));
  }
  return h("section", { class: "rating", "aria-labelledby": "rating-question" },
    h("h2", { id: "rating-question" }, S.ratingQuestion),
    h("div", { class: "rating-buttons" }, RATINGS.map((value) =>
      h("button", { class: `rate rate-${value}`, type: "button", disabled: rating.sending,
        dataset: { rating: value }, onclick: () => rating.send(value) }, S.ratings[value]))),
    h("p", { class: "alert", role: "alert" }, rating.sending ? S.sending : rating.error || ""));
}

export function ticketView(ticket, { counterName, rating }) {
  // The center's wall time as the server wrote it ("2026-11-26T09:00:00+07:00"), whatever
  // the phone's own time zone.
  const [issuedDay, issuedTime] = ticket.issued_at.split("T");
  return [
    h("section", { class: "card" },
      h("p", { class: "label" }, S.ticketLabel),
      h("h1", { class: "number", id: "number" }, ticket.number),
      h("p", { class: "procedure" }, ticket.procedure_name || ""),
      CHANNELS[ticket.channel] ? h("p", { class: "channel" }, CHANNELS[ticket.channel]) : null,
      ticket.no_appointment ? h("p", { class: "badge" }, S.noAppointment) : null,
      ticket.no_appointment ? h("p", { class: "badge-text" }, S.noAppointmentText) : null,
      h("p", { class: "issued" }, S.issuedAt(issuedTime.slice(0, 5), formatIsoDay(issuedDay)))),
    statusPanel(ticket, counterName),
    ratingPanel(ticket, rating),
  ];
}
