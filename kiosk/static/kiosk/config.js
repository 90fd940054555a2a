// The kiosk's settings: its timings in milliseconds, from the page's data-*-seconds attributes
// (the view fills them from its defaults and from query parameters such as ?idle=2), and its
// name, from the page address (/kiosk?kiosk=sanh-1).

const data = document.body.dataset;

function milliseconds(name, fallbackSeconds) {
  const seconds = Number(data[`${name}Seconds`]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000;
}

export const timings = {
  idle: milliseconds("idle", 60), // no touch on a step of the flow → the idle warning
  warn: milliseconds("warn", 20), // the idle warning unanswered → back home
  home: milliseconds("home", 20), // the ticket screen → back home
  refresh: milliseconds("refresh", 30), // the home screen reloads the center and procedures
  retry: milliseconds("retry", 3), // the server could not be reached → try again
  recheck: milliseconds("recheck", 60), // outside opening hours → look again
};

// This kiosk's name, sent as X-Kiosk with each ticket: with its token (below), its tickets
// print on its own printer (the queue kiosk:NAME) when the center configured one. Anything but
// a valid name is ignored (the default printer prints).
const KIOSK_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const query = new URLSearchParams(location.search);
const named = query.get("kiosk");
export const kioskName = named && KIOSK_NAME.test(named) ? named : null;

// A registered kiosk's device token (`motcua kiosk add NAME` prints the page address with it),
// sent as X-Kiosk-Token: the server then does not rate-limit this kiosk's tickets.
const token = query.get("token");
export const kioskToken = token && /^[A-Za-z0-9_-]{16,100}$/.test(token) ? token : null;
