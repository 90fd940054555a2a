// The center's wall clock: the server's time in the center's time zone (its UTC offset taken
// from the server's `now`: the page's data-now, then GET /api/center's), so a TV box with a
// wrong clock or zone still shows the truth, from the first frame.
import { WEEKDAYS } from "/static/common/format.js";

const pad = (n) => String(n).padStart(2, "0");

export function centerClock(serverNow) {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(serverNow || "");
  const offsetMinutes = match
    ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
    : -new Date().getTimezoneOffset(); // no server time at all: the box's own zone
  const parsed = Date.parse(serverNow);
  const skew = Number.isNaN(parsed) ? 0 : parsed - Date.now();
  // A Date whose UTC fields are the center's local time.
  const local = () => new Date(Date.now() + skew + offsetMinutes * 60000);
  return {
    time: () => {
      const t = local();
      return `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
    },
    weekday: () => WEEKDAYS[local().getUTCDay()],
    date: () => {
      const t = local();
      return `${WEEKDAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
    },
  };
}
