// Printer health, for the kiosk and the console: every printer queue's last known status
// (an item of GET /api/printers: {printer, label, state, message, pending, checked_at}).
// `printer_status` pushes are not replayed, so a page reloads the list on every
// (re)connection and applies each push after it.
import { ApiError, get } from "./api.js";

// A state's word for staff, after "Máy in: " or a printer's label.
export const PRINTER_STATE_WORDS = {
  online: "sẵn sàng",
  paper_low: "sắp hết giấy",
  paper_out: "hết giấy",
  offline: "mất kết nối",
  unknown: "chưa rõ",
  disabled: "không dùng",
};

// The printer cannot print: the kiosk asks the citizen to photograph the number instead.
export const cannotPrint = (status) => ["paper_out", "offline", "disabled"].includes(status?.state);

// How a state looks: "problem" (red), "warning" (yellow), "ok" (green), "unknown" (grey).
export function printerLevel(status) {
  if (cannotPrint(status)) return "problem";
  if (status?.state === "paper_low") return "warning";
  return status?.state === "online" ? "ok" : "unknown";
}

export class PrinterStates {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.byName = new Map();
    this.pushes = 0; // pushes applied so far
    this.pushedAt = new Map(); // printer → the count of pushes when it last got one
  }

  // One `printer_status` push.
  update(status) {
    if (!status || typeof status.printer !== "string") return;
    this.pushes += 1;
    this.pushedAt.set(status.printer, this.pushes);
    this.byName.set(status.printer, status);
    this.onChange(this);
  }

  // GET /api/printers. A push that arrived while the list was on its way is newer than the
  // list's item for that printer and is kept. False when the server could not be reached.
  async reload() {
    const before = this.pushes;
    let list;
    try {
      list = await get("/api/printers");
    } catch (error) {
      if (error instanceof ApiError) return false;
      throw error;
    }
    const fresh = new Map(list.map((status) => [status.printer, status]));
    for (const [name, push] of this.pushedAt) {
      if (push > before) fresh.set(name, this.byName.get(name));
    }
    this.byName = fresh;
    this.onChange(this);
    return true;
  }

  get(name) {
    return this.byName.get(name) || null;
  }

  has(name) {
    return this.byName.has(name);
  }

  list() {
    return [...this.byName.values()];
  }
}
