// "Chữ lớn": every text of the kiosk a third larger (the page's sizes all follow one CSS
// variable, --text-scale), for an elderly citizen; kept until the next citizen.
const body = document.body;

export function largeTextToggle(button, onChange) {
  const set = (on) => {
    body.classList.toggle("large-text", on);
    button.setAttribute("aria-pressed", String(on));
    onChange(on);
  };
  button.addEventListener("click", () => set(!body.classList.contains("large-text")));
  set(false);
  return { reset: () => body.classList.contains("large-text") && set(false) };
}
