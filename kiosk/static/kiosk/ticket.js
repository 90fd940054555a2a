// The ticket screen: the number huge, the line, the QR code to follow it on a phone.
import { h } from "./dom.js";
import { qrSvg } from "/static/common/qr.js";
import { S } from "./strings.js";

export const ticketUrl = (ticket) => new URL(`/t/${encodeURIComponent(ticket.id)}`, location.origin).href;

export function ticketScreen(ticket, center, { done }) {
  const priority = (center.priorities || []).find((entry) => entry.id === ticket.priority);
  const url = ticketUrl(ticket);
  return h("div", { class: "ticket-screen", dataset: { ticketId: ticket.id } },
    h("div", { class: "ticket-main" },
      h("p", { class: "ticket-label" }, S.ticketLabel),
      h("p", { class: "ticket-number", id: "ticket-number" }, ticket.number),
      ticket.no_appointment ? h("p", { class: "badge no-appointment" }, S.ticketNoAppointment) : null,
      h("p", { class: "ticket-procedure" }, ticket.procedure_name || ""),
      h("p", { class: "ticket-line" }, S.waitingAhead(ticket.waiting_ahead)),
      ticket.estimated_wait_minutes ? h("p", { class: "ticket-line" }, S.estimatedWait(ticket.estimated_wait_minutes)) : null,
      priority ? h("p", { class: "ticket-note" }, S.ticketPriority(priority.name)) : null,
      ticket.documents_complete === false ? h("p", { class: "ticket-note" }, S.ticketIncomplete) : null),
    h("div", { class: "ticket-side" },
      h("figure", { class: "qr", dataset: { url } },
        qrSvg(url, S.qrLabel(ticket.number)),
        h("figcaption", {}, S.qrCaption)),
      h("p", { class: "keep" }, S.keepTicket),
      h("button", { class: "button primary big done", type: "button", onclick: done }, S.done),
      h("p", { class: "countdown", id: "countdown" })));
}
