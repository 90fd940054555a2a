// Opening hours as lines for people: consecutive weekdays with the same sessions share a line
// ("Thứ Hai – Thứ Sáu: 07:00–11:30, 13:30–17:00"); a weekday without sessions is "Nghỉ".
import { S, WEEKDAY_NAMES } from "./strings.js";

const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function sessionsText(sessions) {
  if (!sessions || sessions.length === 0) return S.closedDay;
  return sessions.map((session) => S.session(...session.split("-"))).join(", ");
}

function daysText(days) {
  const names = days.map((day) => WEEKDAY_NAMES[day]);
  if (names.length === 1) return names[0];
  if (names.length === 2) return S.dayPair(names[0], names[1]);
  return S.dayRange(names[0], names[names.length - 1]);
}

export function hoursLines(openingHours) {
  const groups = [];
  for (const day of WEEK) {
    const text = sessionsText(openingHours[day]);
    const last = groups[groups.length - 1];
    if (last && last.text === text) last.days.push(day);
    else groups.push({ days: [day], text });
  }
  return groups.map((group) => ({ days: daysText(group.days), sessions: group.text }));
}
