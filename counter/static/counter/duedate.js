// The appointment's due date, typed and shown day first (dd/mm/yyyy) on every browser.
// `<input type=date>` follows the browser's language: an English Chromium showed 12/08/2026
// for 8 December, and an officer typing the Vietnamese way got the wrong month. The API
// still takes YYYY-MM-DD: only this module converts.
import { WEEKDAYS } from "/static/common/format.js";

const pad = (n) => String(n).padStart(2, "0");
const WEEKDAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** "2026-12-08" → "08/12/2026" ("" for nothing). */
export function dayText(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

const isoOf = (date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
const dateOf = (iso) => {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
};

/** "Thứ Ba, 08/12/2026" for "2026-12-08". */
export const dayLabel = (iso) => `${WEEKDAYS[dateOf(iso).getUTCDay()]}, ${dayText(iso)}`;

/** What the officer typed, day first ("8/12/2026", "08-12-2026", "08.12.26", "08122026",
 * "8/12": this year, or next year once that day has passed), as "YYYY-MM-DD"; null when it
 * is no real day. `today` is "YYYY-MM-DD". */
export function parseDayText(text, today) {
  const value = text.trim();
  let match = /^(\d{1,2})[/.\-\s](\d{1,2})(?:[/.\-\s](\d{2}|\d{4}))?$/.exec(value);
  if (!match) match = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (!match) return null;
  const day = Number(match[1]);
  const month = Number(match[2]);
  let year = match[3] ? Number(match[3]) : Number(today.slice(0, 4));
  if (match[3] && match[3].length === 2) year += 2000;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null; // 31/02
  let iso = isoOf(date);
  if (!match[3] && iso < today) iso = isoOf(new Date(Date.UTC(year + 1, month - 1, day)));
  return iso;
}

/** Working days move from `iso` by `step` (±1), skipping weekdays without opening hours
 * (`workdays`: keys like "mon"; public holidays are in the procedure's own default). */
export function shiftWorkingDays(iso, step, workdays) {
  const date = dateOf(iso);
  for (let guard = 0; guard < 14; guard += 1) {
    date.setUTCDate(date.getUTCDate() + step);
    if (workdays.has(WEEKDAY_KEYS[date.getUTCDay()])) break;
  }
  return isoOf(date);
}

export function shiftDays(iso, days) {
  const date = dateOf(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return isoOf(date);
}

export const isWorkingDay = (iso, workdays) => workdays.has(WEEKDAY_KEYS[dateOf(iso).getUTCDay()]);

/** The weekdays the center opens, from GET /api/center's opening_hours ("mon", "mon-sun"…);
 * Monday to Friday when unknown. */
export function workdaysOf(openingHours) {
  const keys = Object.keys(openingHours || {});
  if (!keys.length) return new Set(["mon", "tue", "wed", "thu", "fri"]);
  const days = new Set();
  const order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  for (const key of keys) {
    const [first, last] = key.split("-");
    const from = order.indexOf(first);
    const to = last ? order.indexOf(last) : from;
    if (from < 0 || to < 0) continue;
    for (let i = from; i <= to; i += 1) days.add(order[i]);
  }
  return days.size ? days : new Set(["mon", "tue", "wed", "thu", "fri"]);
}

/** Typing "0812" gets its slashes as it goes: "08/12/". */
export function autoSlash(input, event) {
  if (event.inputType !== "insertText") return;
  const value = input.value;
  if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) input.value = `${value}/`;
}
