// The console's printer panel, folded by default: its summary line names the first printer in
// trouble; opened, it lists every printer (this counter's and the shared one first) with its
// state, the receipts waiting to print, the staff message as tooltip, and a reprint button.
import { post } from "/static/common/api.js";
import { PRINTER_STATE_WORDS, PrinterStates, printerLevel } from "/static/common/printers.js";
import { say, showError } from "./messages.js";
import { T } from "./strings.js";

const $ = (id) => document.getElementById(id);
const LEVELS = ["problem", "warning"]; // what the summary names, worst first

const panel = {
  counterId: null,
  reprinting: new Set(), // printers whose reprint request is under way
};

export const printers = new PrinterStates(draw);

export function showPrintersOf(counterId) {
  panel.counterId = counterId;
  draw();
}

const stateWord = (status) => PRINTER_STATE_WORDS[status.state] || status.state;

/** This counter's printer, then the shared one, then the others in the server's order. */
function ordered() {
  const rank = (status) => {
    if (status.printer === `counter:${panel.counterId}`) return 0;
    return status.printer === "default" ? 1 : 2;
  };
  return printers
    .list()
    .map((status, index) => ({ status, index }))
    .sort((a, b) => rank(a.status) - rank(b.status) || a.index - b.index)
    .map((entry) => entry.status);
}

function summary(list) {
  for (const level of LEVELS) {
    const troubled = list.filter((status) => printerLevel(status) === level);
    if (troubled.length > 0) {
      const first = `${troubled[0].label}: ${stateWord(troubled[0])}`;
      return { level, text: troubled.length > 1 ? T.printersMore(first, troubled.length - 1) : first };
    }
  }
  if (list.some((status) => printerLevel(status) === "ok")) return { level: "ok", text: T.printersReady };
  return { level: "unknown", text: list.length ? T.printersUnknown : T.printersNone };
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function row(status) {
  const item = document.createElement("li");
  item.className = `printer-row printer-${printerLevel(status)}`;
  item.dataset.printer = status.printer;
  if (status.message) item.title = status.message;
  const facts = document.createElement("span");
  facts.className = "printer-facts";
  facts.append(span("printer-name", status.label), span("printer-state", stateWord(status)));
  if (status.pending > 0) facts.append(span("printer-pending", T.printerPending(status.pending)));
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary reprint";
  button.dataset.printer = status.printer;
  button.textContent = T.reprint;
  button.setAttribute("aria-label", T.reprintLabel(status.label));
  button.disabled = panel.reprinting.has(status.printer);
  button.addEventListener("click", () => reprint(status));
  const dot = span("printer-dot", "");
  dot.setAttribute("aria-hidden", "true");
  item.append(dot, facts, button);
  return item;
}

function draw() {
  const list = ordered();
  const focused = document.activeElement?.closest?.(".reprint")?.dataset.printer;
  const { level, text } = summary(list);
  const overall = $("printers-summary");
  overall.className = `printers-summary printer-${level}`;
  overall.textContent = text;
  $("printer-list").replaceChildren(...list.map(row));
  if (focused) $("printer-list").querySelector(`.reprint[data-printer="${CSS.escape(focused)}"]`)?.focus();
}

async function reprint(status) {
  if (panel.reprinting.has(status.printer)) return;
  panel.reprinting.add(status.printer);
  draw();
  try {
    printers.update(await post(`/api/printers/${encodeURIComponent(status.printer)}/reprint`));
    say(T.reprintSent(status.label));
  } catch (error) {
    showError(error);
  } finally {
    panel.reprinting.delete(status.printer);
    draw();
  }
}
