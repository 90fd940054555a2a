// The idle reset, with a warning first. After `idle` ms without a touch on a step of the flow
// the warning asks "Quý vị còn đang sử dụng ki-ốt?" with a big "Tôi cần thêm thời gian"; left
// unanswered for `warn` ms, the kiosk goes home. A slow reader (a five-document checklist read
// aloud to a parent) taps the button: the warning goes and this citizen's idle time doubles
// (up to four times), until the next citizen (reset()).
//
// While the warning shows, other touches do not count: the warning covers the screen, and a
// touch that dismissed it on pointerdown would land its click on the step beneath it.
const ACTIVITY = ["pointerdown", "touchstart", "keydown", "wheel"];
const LONGEST_FACTOR = 4;

// onWarn(seconds left, seconds idle) shows the warning, onTick(seconds left) counts down,
// onEndWarning() hides it (more time, or going home), onIdle() goes home.
export function idleTimer({ idle, warn }, { onWarn, onTick, onEndWarning, onIdle }) {
  let timer = null;
  let ticker = null;
  let armed = false;
  let warning = false;
  let factor = 1;
  let deadline = 0;

  const clear = () => {
    clearTimeout(timer);
    clearInterval(ticker);
  };
  const secondsLeft = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  const warnNow = () => {
    warning = true;
    deadline = Date.now() + warn;
    onWarn(secondsLeft(), (idle * factor) / 1000);
    ticker = setInterval(() => onTick(secondsLeft()), 250);
    timer = setTimeout(() => {
      endWarning();
      onIdle();
    }, warn);
  };
  const restart = () => {
    if (warning) return;
    clear();
    if (armed) timer = setTimeout(warnNow, idle * factor);
  };
  const endWarning = () => {
    if (!warning) return;
    clear();
    warning = false;
    onEndWarning();
  };
  for (const name of ACTIVITY) document.addEventListener(name, restart, { capture: true, passive: true });
  return {
    arm() {
      armed = true;
      restart();
    },
    disarm() {
      armed = false;
      endWarning();
      clear();
    },
    // "Tôi cần thêm thời gian": more time for this citizen, counted from now.
    extend() {
      factor = Math.min(factor * 2, LONGEST_FACTOR);
      endWarning();
      restart();
    },
    // A new citizen: the usual idle time again.
    reset() {
      factor = 1;
    },
  };
}
