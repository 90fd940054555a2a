// One live connection to a channel ("display", "counter:2", "ticket:<id>").
// Reconnects by itself (the server coming back after a restart is found within ~2 s),
// asks for what it missed with `since`, and drops an event whose seq it already has
// (a replay and a live event can overlap). `printer_status` (not replayed: read
// GET /api/printers on each "connected") goes to onPrinterStatus.
/* global io */

const REMEMBERED = 500;

export function connectLive(
  channel,
  { onEvent = () => {}, onStats = () => {}, onState = () => {}, onStatus = () => {}, onPrinterStatus = () => {} } = {},
) {
  let lastSeq = null; // the newest seq seen, or the log's end when this page first connected
  const seen = new Set();
  const socket = io({
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 2000,
    auth: (send) => send(lastSeq === null ? { channel } : { channel, since: lastSeq }),
  });
  const ticketEvent = (name) => (payload) => {
    if (seen.has(payload.seq)) return;
    seen.add(payload.seq);
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value);
    lastSeq = Math.max(lastSeq ?? 0, payload.seq);
    onEvent(name, payload);
  };
  for (const name of ["ticket_issued", "ticket_called", "ticket_updated"]) {
    socket.on(name, ticketEvent(name));
  }
  socket.on("stats", (stats) => {
    // The first snapshot tells where the log stood: a later reconnect replays from there.
    if (lastSeq === null && typeof stats.last_seq === "number") lastSeq = stats.last_seq;
    onStats(stats);
  });
  for (const name of ["counter_state", "ticket_state"]) socket.on(name, (state) => onState(name, state));
  socket.on("printer_status", (status) => onPrinterStatus(status));
  socket.on("connect", () => onStatus("connected"));
  socket.on("disconnect", () => onStatus("disconnected"));
  socket.on("connect_error", () => onStatus("disconnected"));
  return socket;
}
