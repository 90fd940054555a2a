// Booking a time (/dat-lich): field (rendered by the server) → procedure → day → slot → name,
// phone and consent → POST /api/bookings → the booking's page /dat-lich/<code>. The days come
// from GET /api/booking-days, the slots from GET /api/slots (full ones shown, disabled).
import { ApiError, get, post } from "/static/common/api.js";
import { formatIsoDay, WEEKDAYS } from "/static/common/format.js";
import { h, replaceChildren } from "/static/common/dom.js";
import { backButton, checklist, choice, heading, pageData, procedureName, steps } from "./flow.js";
import { S } from "./strings.js";

const TOTAL = 5;
const catalog = pageData("catalog");
const flow = steps(document.getElementById("step-fields"), document.getElementById("step"));

// "Thứ Sáu, 27/11/2026" (or "Hôm nay, …") from "2026-11-27", whatever the phone's zone.
function dayWords(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${iso === catalog.today ? S.today : weekday}, ${formatIsoDay(iso)}`;
}

// A step whose choices come from the server: "Đang tải…" at once, then the list, or the
// server's words when it fails.
function loaded(count, title, loading, fetchChoices) {
  const box = h("div", { class: "loaded" }, h("p", { class: "loading" }, loading));
  fetchChoices().then(
    (content) => replaceChildren(box, content),
    (error) => {
      if (!(error instanceof ApiError)) throw error;
      replaceChildren(box, h("p", { class: "alert", role: "alert" }, error.message));
    },
  );
  return h("div", {}, heading(count, TOTAL, title), box, backButton(flow));
}

const procedures = (field) => () => h("div", {},
  heading(2, TOTAL, S.chooseProcedure(field.name)),
  h("ul", { class: "choices" }, field.procedures.map((procedure) =>
    choice(procedureName(procedure), null, () => flow.go(days(procedure)), { procedure: procedure.id }))),
  backButton(flow));

const days = (procedure) => () => loaded(3, S.chooseDay, S.loadingDays, async () => {
  const offer = await get(`/api/booking-days?procedure_id=${encodeURIComponent(procedure.id)}`);
  const open = offer.days.filter((day) => day.free > 0);
  if (!open.length) return h("p", { class: "notice" }, S.noDays);
  return h("ul", { class: "choices" }, open.map((day) =>
    choice(dayWords(day.date), S.freePlaces(day.free), () => flow.go(slots(procedure, day.date)), { day: day.date })));
});

const slots = (procedure, day) => () => loaded(4, S.chooseSlot(dayWords(day)), S.loadingSlots, async () => {
  const query = new URLSearchParams({ date: day, procedure_id: procedure.id });
  const list = await get(`/api/slots?${query}`);
  if (!list.length) return h("p", { class: "notice" }, S.noSlots);
  return h("ul", { class: "choices slots" }, list.map((slot) =>
    choice(S.slot(slot.start, slot.end), S.freePlaces(slot.free), () => flow.go(contact(procedure, day, slot)),
      { slot: slot.start }, slot.free <= 0)));
});

function contact(procedure, day, slot) {
  return () => {
    const name = h("input", { id: "name", name: "name", autocomplete: "name", required: true, maxlength: 100 });
    const phone = h("input", { id: "phone", name: "phone", type: "tel", autocomplete: "tel", inputmode: "tel",
      required: true, maxlength: 20, "aria-describedby": "phone-hint" });
    const consent = h("input", { id: "consent", type: "checkbox" });
    const button = h("button", { type: "submit", class: "primary take", id: "book", disabled: true }, S.book);
    const alert = h("p", { class: "alert", role: "alert" });
    const ready = () => {
      button.disabled = !(consent.checked && name.value.trim() && phone.value.trim());
    };
    const form = h("form", { class: "contact", oninput: ready, onchange: ready },
      h("label", { for: "name" }, S.name), name,
      h("label", { for: "phone" }, S.phone), phone,
      h("p", { class: "hint", id: "phone-hint" }, S.phoneHint),
      h("label", { class: "consent", for: "consent" }, consent, h("span", {}, S.consent(catalog.retention_days))),
      button, alert);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      alert.textContent = S.booking;
      try {
        const booked = await post("/api/bookings", {
          procedure_id: procedure.id, date: day, start: slot.start,
          name: name.value, phone: phone.value, consent: consent.checked,
        });
        location.assign(`/dat-lich/${encodeURIComponent(booked.code)}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        alert.textContent = error.message;
        ready();
      }
    });
    return h("div", {},
      heading(5, TOTAL, S.contactTitle),
      h("p", { class: "booking-for" }, S.bookingFor(procedureName(procedure), dayWords(day), slot.start, slot.end)),
      checklist(procedure),
      form,
      backButton(flow));
  };
}

for (const button of document.querySelectorAll("#step-fields [data-field]")) {
  const field = catalog.fields.find((entry) => entry.id === button.dataset.field);
  if (field) button.addEventListener("click", () => flow.go(procedures(field)));
}
