// The A4 forms of a finished service (server: /forms/…): the receipt and appointment, the
// request to supplement, the refusal. "In giấy tờ (A4)" opens the form in a new tab, which
// prints at once (?print=1); "Tải DOCX" downloads it for the word processor.
import { T } from "./strings.js";

const FORM_OF_OUTCOME = { appointment: "receipt", supplement: "supplement", refused: "refusal" };

/** Whether a ticket finished this way has a form. */
export const hasForm = (ticket) => Boolean(FORM_OF_OUTCOME[ticket?.outcome]);

function link(className, text, href, label, attributes = {}) {
  const anchor = document.createElement("a");
  anchor.className = `button ${className}`;
  anchor.textContent = text;
  anchor.href = href;
  anchor.setAttribute("aria-label", label);
  for (const [name, value] of Object.entries(attributes)) anchor.setAttribute(name, value);
  return anchor;
}

/** The two links of a ticket's form ([] for an outcome without one). */
export function formLinks(ticket) {
  const kind = FORM_OF_OUTCOME[ticket.outcome];
  if (!kind) return [];
  const path = `/forms/${kind}/${encodeURIComponent(ticket.id)}`;
  return [
    link("secondary form-print", T.printForm, `${path}?print=1`, T.printFormLabel(ticket.number), { target: "_blank", rel: "noopener" }),
    link("quiet form-docx", T.formDocx, `${path}.docx`, T.formDocxLabel(ticket.number), { download: "" }),
  ];
}
