// The center's wall clock on the kiosk: the server's "now" (from /api/center) corrects the
// kiosk's own clock and gives the center's UTC offset, so the time shown is the center's even
// when the kiosk's clock or time zone is wrong.
import { formatDay, formatTime } from "/static/common/format.js";

let skewMs = 0;
let offsetMinutes = null;

export function syncClock(serverNowIso) {
  const serverMs = Date.parse(serverNowIso);
  if (Number.isNaN(serverMs)) return;
  skewMs = serverMs - Date.now();
  const match = /([+-])(\d\d):(\d\d)$/.exec(serverNowIso);
  offsetMinutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : null;
}

// A Date whose local fields (getHours, getDay…) are the center's wall time.
export function centerNow() {
  const ms = Date.now() + skewMs;
  if (offsetMinutes === null) return new Date(ms);
  const wall = new Date(ms + offsetMinutes * 60000);
  return new Date(
    wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(),
    wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(),
  );
}

export function startClock(timeElement, dateElement) {
  const tick = () => {
    const now = centerNow();
    const time = formatTime(now);
    const day = formatDay(now);
    if (timeElement.textContent !== time) timeElement.textContent = time;
    if (dateElement.textContent !== day) dateElement.textContent = day;
  };
  tick();
  setInterval(tick, 1000);
  return tick;
}
