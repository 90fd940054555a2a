// Keeping the console's counter_state current: the `counter_state` push of the counter's
// live channel when the server sends it, else a refetch of GET /api/counters/ID/state after
// every ticket event and own action. Shows the "Mất kết nối…" bar while the socket is down.
import { get } from "/static/common/api.js";
import { connectLive } from "/static/common/live.js";
import { clearNetworkError, showError } from "./messages.js";

const REFRESH_DELAY_MS = 120;

const sync = {
  counterId: null,
  socket: null,
  pushed: false, // the server pushes counter_state itself: no refetch needed
  fetchSeq: 0,
  timer: null,
  apply: () => {},
};

const bar = () => document.getElementById("connection-lost");

/** Follow counter `counterId`: `apply(snapshot)` gets every new counter_state,
 * `onConnected()` runs on every (re)connection, `onPrinterStatus(status)` on each push. */
export function follow(counterId, apply, { onConnected = () => {}, onPrinterStatus = () => {} } = {}) {
  stop();
  Object.assign(sync, { counterId, apply, pushed: false });
  const socket = connectLive(`counter:${counterId}`, {
    onState: (name, snapshot) => {
      if (sync.socket !== socket || name !== "counter_state") return;
      if (snapshot.counter_id !== counterId) return;
      sync.pushed = true;
      sync.fetchSeq += 1; // a fetch still under way is older than this push
      apply(snapshot);
    },
    onEvent: () => {
      if (sync.socket === socket && !sync.pushed) {
        clearTimeout(sync.timer);
        sync.timer = setTimeout(refresh, REFRESH_DELAY_MS);
      }
    },
    onPrinterStatus: (status) => {
      if (sync.socket === socket) onPrinterStatus(status);
    },
    onStatus: (status) => {
      if (sync.socket !== socket) return;
      const lost = status !== "connected";
      if (!lost) onConnected();
      const wasLost = !bar().hidden;
      bar().hidden = !lost;
      if (!lost && wasLost) {
        clearNetworkError();
        if (!sync.pushed) refresh();
      }
    },
  });
  sync.socket = socket;
  return refresh();
}

/** The live connection of the counter followed now (null when none). */
export const liveSocket = () => sync.socket;

export function stop() {
  const socket = sync.socket;
  Object.assign(sync, { socket: null, counterId: null, pushed: false });
  clearTimeout(sync.timer);
  if (socket) socket.disconnect();
  bar().hidden = true;
}

/** Fetch the counter's state now; a slower, older answer never overwrites a newer one. */
export async function refresh() {
  const counterId = sync.counterId;
  if (counterId === null) return;
  const seq = ++sync.fetchSeq;
  try {
    const snapshot = await get(`/api/counters/${counterId}/state`);
    if (seq === sync.fetchSeq && counterId === sync.counterId) sync.apply(snapshot);
  } catch (error) {
    showError(error);
  }
}

/** After an own action: refetch, unless the server pushes the new state anyway. */
export function afterAction() {
  return sync.pushed ? Promise.resolve() : refresh();
}
