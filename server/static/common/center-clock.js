// The pages' sense of time: the server's clock and the center's time zone, never the
// device's. A console PC set to another zone showed "gọi lúc 23:13" while the TV said 06:13,
// a kiosk's clock showed 23:11 Sunday before 06:11 Monday, and a PC clock a few minutes off
// would age every waiting ticket wrongly.
//
// Every time the server sends carries the center's UTC offset ("2026-11-26T09:06:00+07:00"),
// so a time is shown in its own offset: right from the first frame, whatever the browser's
// zone. The skew between the device's clock and the server's comes from the server's `now`
// (the page's data-now, GET /api/center, the console's state), else from an answer's Date
// header. Kiosk, TV, counter screen and console all read the time here.
import { WEEKDAYS } from "/static/common/format.js";

const pad = (n) => String(n).padStart(2, "0");
const OFFSET = /([+-])(\d{2}):?(\d{2})$/;

let skewMs = 0; // server clock minus this PC's clock
let centerOffsetMinutes = null; // the center's UTC offset, once any server time was seen

/** The UTC offset (minutes) an ISO time states, or null ("Z" is 0). */
function offsetOf(iso) {
  if (/Z$/i.test(iso)) return 0;
  const match = OFFSET.exec(iso);
  if (!match) return null;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The server's time now (ms since the epoch). */
export const serverNow = () => Date.now() + skewMs;

/** Take the server's `now` (ISO with the center's offset) as the clock to follow. */
export function setServerNow(iso) {
  const parsed = Date.parse(iso || "");
  if (Number.isNaN(parsed)) return;
  skewMs = parsed - Date.now();
  const offset = offsetOf(iso);
  if (offset !== null) centerOffsetMinutes = offset;
}

/** Until a state carries `now`: the Date header of a fresh answer (to the second). */
export async function syncFromDateHeader() {
  try {
    const response = await fetch(location.pathname, { method: "HEAD", cache: "no-store" });
    const date = Date.parse(response.headers.get("Date") || "");
    if (!Number.isNaN(date)) skewMs = date - Date.now();
  } catch {
    // offline: keep the PC's clock until the next answer
  }
}

/** A Date whose UTC fields read as the center's wall clock at the ISO time. */
function wallClock(iso) {
  const offset = offsetOf(iso) ?? centerOffsetMinutes ?? -new Date().getTimezoneOffset();
  return new Date(Date.parse(iso) + offset * 60000);
}

/** "HH:MM" of an ISO time in the center's zone. */
export function centerTime(iso) {
  if (!iso) return "";
  const t = wallClock(iso);
  return `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** Whole minutes from an ISO time to the server's now (never negative). */
export function minutesSince(iso) {
  const start = Date.parse(iso || "");
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((serverNow() - start) / 60000));
}

/** "mm:ss" since an ISO time on the server's clock (minutes keep counting past 59). */
export function elapsed(iso) {
  const seconds = Math.max(0, Math.floor((serverNow() - Date.parse(iso)) / 1000));
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

/** A Date whose UTC fields read as the center's wall clock now. */
function wallNow() {
  const offset = centerOffsetMinutes ?? -new Date().getTimezoneOffset();
  return new Date(serverNow() + offset * 60000);
}

/** The center's clock now: "09:05". */
export function clockTime() {
  const t = wallNow();
  return `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** The center's weekday now: "Thứ Năm". */
export const clockWeekday = () => WEEKDAYS[wallNow().getUTCDay()];

/** The center's day now: "Thứ Năm, 26/11/2026". */
export function clockDate() {
  const t = wallNow();
  return `${WEEKDAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}
