// Back home after a while without a touch. Armed on the steps of the flow only.
const ACTIVITY = ["pointerdown", "touchstart", "keydown", "wheel"];

export function idleTimer(milliseconds, onIdle) {
  let timer = null;
  let armed = false;
  const restart = () => {
    clearTimeout(timer);
    if (armed) timer = setTimeout(onIdle, milliseconds);
  };
  for (const name of ACTIVITY) document.addEventListener(name, restart, { capture: true, passive: true });
  return {
    arm() {
      armed = true;
      restart();
    },
    disarm() {
      armed = false;
      clearTimeout(timer);
    },
  };
}
