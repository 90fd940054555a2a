// The kiosk's own printer: which queue prints its tickets, its state (GET /api/printers on
// load and on every reconnection, then the `printer_status` pushes), and the small badge in
// the top bar that tells staff when it is out of paper or unreachable.
import { connectLive } from "/static/common/live.js";
import { PRINTER_STATE_WORDS, PrinterStates, printerLevel } from "/static/common/printers.js";
import { kioskName, kioskToken } from "./config.js";
import { S } from "./strings.js";

// The badge shows what staff must act on (red) or soon (yellow); a working printer, or one
// whose state is not known, shows nothing.
function drawBadge(badge, status) {
  const level = printerLevel(status);
  const shown = level === "problem" || level === "warning";
  badge.hidden = !shown;
  badge.className = `printer-badge printer-${level}`;
  badge.dataset.state = status ? status.state : "";
  badge.textContent = shown ? S.printerBadge(PRINTER_STATE_WORDS[status.state] || status.state) : "";
  if (shown && status.message) badge.title = status.message;
  else badge.removeAttribute("title");
}

// Follows the printer; `onChange(status)` after every news (status null while unknown);
// `onConnection("connected" | "disconnected")` on every change of the live connection.
export function watchPrinter(badge, onChange, onConnection = () => {}) {
  const printers = new PrinterStates(() => {
    drawBadge(badge, printer.status());
    onChange(printer.status());
  });
  const printer = {
    // The kiosk's own queue when the center configured it and this kiosk is registered (its
    // token), else the default printer: the server makes the same choice.
    queue: () => (kioskName && kioskToken && printers.has(`kiosk:${kioskName}`) ? `kiosk:${kioskName}` : "default"),
    status: () => printers.get(printer.queue()),
  };
  printer.live = connectLive("display", { // the kiosk's one connection: main.js listens on it too
    onPrinterStatus: (status) => printers.update(status),
    onStatus: (status) => {
      if (status === "connected") printers.reload();
      onConnection(status);
    },
  });
  printers.reload();
  return printer;
}
