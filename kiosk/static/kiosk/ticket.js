// The ticket screen: the number huge, the line, the QR code to follow it on a phone. When the
// printer cannot print (`noReceipt`: its state, paper_out, offline or disabled), the number is
// larger still and the citizen is asked to photograph it: the screen is their only copy.
import { h } from "/static/common/dom.js";
import { qrSvg } from "/static/common/qr.js";
import { S } from "./strings.js";

const SVG = "http://www.w3.org/2000/svg";

// The citizen's page of the ticket, by its key (the secret the issuing answer alone carries).
export const ticketUrl = (ticket) => new URL(`/t/${encodeURIComponent(ticket.key)}`, location.origin).href;

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

// A camera, for those who read slowly: "take a picture".
function cameraIcon() {
  const icon = svg("svg", { viewBox: "0 0 24 24", class: "camera", "aria-hidden": "true", focusable: "false" });
  icon.append(
    svg("path", { d: "M8 6.5 9.6 3.5h4.8L16 6.5Z", fill: "currentColor" }),
    svg("rect", { x: "1.5", y: "6", width: "21", height: "15", rx: "3", fill: "currentColor" }),
    svg("circle", { cx: "12", cy: "13.5", r: "5", fill: "#fff" }),
    svg("circle", { cx: "12", cy: "13.5", r: "3", fill: "currentColor" }),
  );
  return icon;
}

const photoNotice = (printerState) =>
  h("div", { class: "photo-notice" },
    h("p", { class: "photo-title" }, cameraIcon(), h("span", {}, S.photoTicket)),
    h("p", { class: "photo-reason" }, S.noReceipt[printerState] || S.noReceipt.offline));

// The wait in minutes while an open counter serves the ticket's line; else that the citizen
// keeps the number although no counter is open (paused, or none opened yet).
function lineLine(ticket) {
  if (ticket.line_state === "paused") return h("p", { class: "ticket-line line-state paused" }, S.ticketLinePaused);
  if (ticket.line_state === "closed") return h("p", { class: "ticket-line line-state closed" }, S.ticketLineClosed);
  return ticket.estimated_wait_minutes
    ? h("p", { class: "ticket-line" }, S.estimatedWait(ticket.estimated_wait_minutes)) : null;
}

export function ticketScreen(ticket, center, { done, noReceipt = null }) {
  const priority = (center.priorities || []).find((entry) => entry.id === ticket.priority);
  const url = ticketUrl(ticket);
  return h("div", { class: noReceipt ? "ticket-screen no-receipt" : "ticket-screen",
    dataset: { receipt: noReceipt ? "none" : "expected" } },
    h("div", { class: "ticket-main" },
      noReceipt ? photoNotice(noReceipt) : null,
      h("p", { class: "ticket-label" }, S.ticketLabel),
      h("p", { class: "ticket-number", id: "ticket-number" }, ticket.number),
      ticket.no_appointment ? h("p", { class: "badge no-appointment" }, S.ticketNoAppointment) : null,
      h("p", { class: "ticket-procedure" }, ticket.procedure_name || ""),
      h("p", { class: "ticket-line" }, S.waitingAhead(ticket.waiting_ahead)),
      lineLine(ticket),
      priority ? h("p", { class: "ticket-note" }, S.ticketPriority(priority.name)) : null,
      ticket.documents_complete === false && ticket.channel !== "booking" ? h("p", { class: "ticket-note" }, S.ticketIncomplete) : null),
    h("div", { class: "ticket-side" },
      h("figure", { class: "qr", dataset: { url } },
        qrSvg(url, S.qrLabel(ticket.number)),
        h("figcaption", {}, noReceipt ? S.qrCaptionNoReceipt : S.qrCaption)),
      h("p", { class: "keep" }, noReceipt ? S.waitForCall : S.keepTicket),
      h("button", { class: "button primary big done", type: "button", onclick: done }, S.done),
      h("p", { class: "countdown", id: "countdown" })));
}
