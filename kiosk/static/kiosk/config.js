// The kiosk's timings in milliseconds, from the page's data-*-seconds attributes (the view
// fills them from its defaults and from query parameters such as ?idle=2).

const data = document.body.dataset;

function milliseconds(name, fallbackSeconds) {
  const seconds = Number(data[`${name}Seconds`]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000;
}

export const timings = {
  idle: milliseconds("idle", 60), // no touch on a step of the flow → back home
  home: milliseconds("home", 20), // the ticket screen → back home
  refresh: milliseconds("refresh", 30), // the home screen reloads the center and procedures
  retry: milliseconds("retry", 3), // the server could not be reached → try again
  recheck: milliseconds("recheck", 60), // outside opening hours → look again
};

// The volunteer desk's procedure: its own tile on the home screen, in no field list.
export const ONLINE_HELP_PROCEDURE = "ho-tro-truc-tuyen";
