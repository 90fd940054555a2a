// The center's wall clock in the kiosk's header, from the server's time and the center's
// zone (/static/common/center-clock.js), so the time shown is the center's even when the
// kiosk's own clock or time zone is wrong.
import { clockDate, clockTime } from "/static/common/center-clock.js";

export function startClock(timeElement, dateElement) {
  const tick = () => {
    const time = clockTime();
    const day = clockDate();
    if (timeElement.textContent !== time) timeElement.textContent = time;
    if (dateElement.textContent !== day) dateElement.textContent = day;
  };
  tick();
  setInterval(tick, 1000);
  return tick;
}
