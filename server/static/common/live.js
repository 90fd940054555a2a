// One live connection to a channel ("display", "counter:2", "ticket:<id>").
// Reconnects by itself (the server coming back after a restart is found within ~2 s),
// asks for what it missed with `since`, and drops an event whose seq it already has
// (a replay and a live event can overlap). `printer_status` (not replayed: read
// GET /api/printers on each "connected") goes to onPrinterStatus.
//
// Why `since` is not simply the highest seq seen: with several server processes, each hands
// its own events to its clients at once and the others' after the Redis hop, so an event can
// arrive after one with a higher seq (overtaken by up to ~100 events in the busy-day bench,
// within a fraction of a second). A screen whose connection dropped in that gap must still get
// the overtaken one. So the reconnect asks from the highest seq that had been seen SETTLE_MS
// before the drop (by then everything below it had arrived), and the replay's overlap with
// what was seen is dropped by seq.
/* global io */

const SETTLE_MS = 5000;
const REMEMBERED = 5000; // seqs kept to drop duplicates: more than a busy SETTLE_MS replays

export function connectLive(
  channel,
  { onEvent = () => {}, onStats = () => {}, onState = () => {}, onStatus = () => {}, onPrinterStatus = () => {} } = {},
) {
  const log = replayPoint();
  const seen = new Set();
  const socket = io({
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 2000,
    auth: (send) => {
      const since = log.since();
      send(since === null ? { channel } : { channel, since });
    },
  });
  const ticketEvent = (name) => (payload) => {
    if (seen.has(payload.seq)) return;
    seen.add(payload.seq);
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value);
    log.received(payload.seq);
    onEvent(name, payload);
  };
  for (const name of ["ticket_issued", "ticket_called", "ticket_updated"]) {
    socket.on(name, ticketEvent(name));
  }
  socket.on("stats", (stats) => {
    // The first snapshot tells where the log stood: a later reconnect never replays before it.
    if (typeof stats.last_seq === "number") log.opened(stats.last_seq);
    onStats(stats);
  });
  for (const name of ["counter_state", "ticket_state"]) socket.on(name, (state) => onState(name, state));
  socket.on("printer_status", (status) => onPrinterStatus(status));
  socket.on("connect", () => onStatus("connected"));
  socket.on("disconnect", () => {
    log.dropped();
    onStatus("disconnected");
  });
  socket.on("connect_error", () => onStatus("disconnected"));
  return socket;
}

// Where a reconnect replays from: the highest seq received at least SETTLE_MS before the
// connection dropped, never before the log's end when the page first connected; null before
// the first snapshot (the page has nothing to catch up on).
function replayPoint() {
  let floor = null; // the log's end at the first connection
  let settled = null; // the highest seq received SETTLE_MS or more before `reference`
  let recent = []; // [seq, received at] of the last SETTLE_MS, oldest first
  let droppedAt = null;

  const settleUpTo = (time) => {
    while (recent.length && recent[0][1] <= time - SETTLE_MS) {
      settled = Math.max(settled ?? 0, recent.shift()[0]);
    }
  };
  return {
    opened(lastSeq) {
      if (floor === null) floor = lastSeq;
    },
    received(seq) {
      const now = Date.now();
      droppedAt = null;
      recent.push([seq, now]);
      settleUpTo(now);
    },
    dropped() {
      droppedAt = droppedAt ?? Date.now();
    },
    since() {
      if (floor === null) return null;
      settleUpTo(droppedAt ?? Date.now());
      return Math.max(floor, settled ?? floor);
    },
  };
}
