// "Tôi đã đặt lịch": the citizen who booked a time types the booking's code on a large keypad
// of the code's alphabet, or scans its QR code with the kiosk's USB scanner (which types the
// code like a keyboard and ends with Enter). GET /api/bookings/CODE finds the booking, the
// kiosk asks its procedure's checklist and the priority as for a walk-in, then
// POST /api/bookings/CODE/check-in gives the booked ticket. The server accepts the code in any case, with or without its dashes.
import { h } from "/static/common/dom.js";
import { get, post } from "/static/common/api.js";
import { kioskName, kioskToken } from "./config.js";
import { S } from "./strings.js";

// The booking codes' alphabet (server/line/dossiers.py CODE_ALPHABET): no look-alikes.
const ALPHABET = "34679ACDEFHJKMNPRTUVWXY";
const PREFIX = "DL";
const LENGTH = 6; // characters after the prefix: DL-7K3M-X9

// What was typed or scanned, without its prefix and dashes ("dl-7k3m-x9" → "7K3MX9").
export function codeBody(typed) {
  const plain = typed.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return plain.length > LENGTH && plain.startsWith(PREFIX) ? plain.slice(PREFIX.length) : plain;
}

// "DL-7K3_-__" while typing.
const shown = (body) => {
  const padded = body.padEnd(LENGTH, "_");
  return `${PREFIX}-${padded.slice(0, 4)}-${padded.slice(4, LENGTH)}`;
};

// The booking and whether it can be checked in now (`check_in`: null, else why not), looked
// up before the kiosk asks the procedure's checklist.
export async function lookUpBooking(code) {
  return get(`/api/bookings/${encodeURIComponent(code)}`);
}

// The booked ticket; `answers` are the checklist's and the priority's ({documents_complete,
// priority}), so a booked citizen with a complete dossier is tagged "không hẹn" as a walk-in is.
export async function checkIn(code, answers = {}) {
  const headers = {};
  if (kioskName) headers["X-Kiosk"] = kioskName;
  if (kioskToken) headers["X-Kiosk-Token"] = kioskToken;
  return post(`/api/bookings/${encodeURIComponent(code)}/check-in`, answers, headers);
}

// The screen; `submit(code)` takes the ticket (and shows a refusal through `refused`).
export function checkInScreen({ submit, walkIn, changed, back, home }) {
  let typed = "";
  let refused = false; // the code on display was refused: the next key starts another
  const display = h("p", { class: "code-display", id: "code-display", "aria-live": "polite" }, shown(""));
  const alert = h("p", { class: "alert", role: "alert" });
  const confirm = h("button", { class: "button primary big", type: "button", id: "check-in", disabled: true,
    onclick: () => send() }, S.checkInConfirm);
  const walkInButton = h("button", { class: "button secondary big walk-in", type: "button", hidden: true,
    onclick: walkIn }, S.checkInWalkIn);
  const update = () => {
    const body = codeBody(typed);
    display.textContent = shown(body);
    confirm.disabled = body.length !== LENGTH;
  };
  // A key of the keypad adds to the code's six characters; a scanner may type its prefix too.
  const type = (character, scanned = false) => {
    if (refused) typed = "";
    refused = false;
    const room = scanned ? typed.replace(/[^A-Z0-9]/gi, "").length < PREFIX.length + LENGTH
      : codeBody(typed).length < LENGTH;
    if (room || !/[A-Z0-9]/i.test(character)) typed += character;
    update();
  };
  const erase = () => {
    refused = false;
    typed = codeBody(typed).slice(0, -1);
    update();
  };
  async function send() {
    const body = codeBody(typed);
    if (body.length !== LENGTH) return;
    alert.textContent = S.checkingIn;
    walkInButton.hidden = true;
    const refusal = await submit(`${PREFIX}-${body}`);
    if (refusal) {
      alert.textContent = refusal.message;
      walkInButton.hidden = refusal.code !== "booking_too_late";
      refused = true;
      if (refusal.code === "booking_not_found") typed = "";
      update();
      changed();
    }
  }
  const keypad = h("div", { class: "keypad" },
    [...ALPHABET].map((character) => h("button", { class: "button key", type: "button", dataset: { key: character },
      onclick: () => type(character) }, character)),
    h("button", { class: "button key erase", type: "button", onclick: erase }, S.checkInErase));
  const screen = h("div", { class: "step check-in" },
    h("h2", { class: "step-title" }, S.checkInTitle),
    h("p", { class: "step-text" }, S.checkInText),
    display,
    keypad,
    alert,
    h("div", { class: "choices" }, confirm, walkInButton),
    h("nav", { class: "step-nav" },
      h("button", { class: "button nav-button", type: "button", onclick: back }, S.back),
      h("button", { class: "button nav-button", type: "button", onclick: home }, S.home)));
  // A scanner (or a keyboard) types into the whole screen: letters and digits, then Enter.
  const keydown = (event) => {
    if (!screen.isConnected) {
      document.removeEventListener("keydown", keydown);
      return;
    }
    if (event.key === "Enter") send();
    else if (event.key === "Backspace") erase();
    else if (event.key.length === 1 && /[A-Za-z0-9-]/.test(event.key)) type(event.key, true);
    else return;
    event.preventDefault();
  };
  document.addEventListener("keydown", keydown);
  return screen;
}
