// Taking a ticket: one Idempotency-Key per flow, resent unchanged when the same request is
// retried (a double tap, a lost answer), so the server never issues two tickets for one ask.
// A named kiosk (?kiosk=NAME) says so with X-Kiosk: its own printer, if any, prints the ticket;
// a registered one (&token=…) sends its token, which lifts the per-address rate limit.
import { post } from "/static/common/api.js";
import { kioskName, kioskToken } from "./config.js";

export function newKey() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; a kiosk on http://<LAN address> has none.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class TicketRequest {
  constructor() {
    this.key = newKey();
    this.body = null;
    this.busy = false;
  }

  // POST /api/tickets; the same key for the same body. Should the citizen change the request
  // after a failed attempt (another procedure), it is another ticket: a fresh key.
  async issue(body) {
    const text = JSON.stringify(body);
    if (this.body !== null && this.body !== text) this.key = newKey();
    this.body = text;
    this.busy = true;
    try {
      const headers = { "Idempotency-Key": this.key };
      if (kioskName) headers["X-Kiosk"] = kioskName;
      if (kioskToken) headers["X-Kiosk-Token"] = kioskToken;
      return await post("/api/tickets", body, headers);
    } finally {
      this.busy = false;
    }
  }
}
