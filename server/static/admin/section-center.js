// Trung tâm: the name, the online-services portal, the weekly opening hours, the
// no-appointment weekdays and the time after which a ticket no longer qualifies.
import { T, WEEK } from "./strings.js";
import { button, checkRow, clearErrors, group, h, row, showError, textOf } from "./ui.js";

const S = {
  title: "Trung tâm",
  hint: "Tên và giờ làm việc hiện trên ki-ốt, màn hình sảnh và phiếu. Lưu xong, mọi màn hình cập nhật ngay.",
  name: "Tên trung tâm",
  portal: "Địa chỉ cổng dịch vụ công",
  portalHint: "Ki-ốt và màn hình sảnh in mã QR của địa chỉ này, ví dụ https://dichvucong.gov.vn",
  hours: "Giờ làm việc",
  hoursHint: "Mỗi ngày một hoặc nhiều ca (ví dụ sáng 07:00–11:30, chiều 13:30–17:00). Ngày không có ca là ngày nghỉ.",
  closed: "Nghỉ",
  addSession: "Thêm ca",
  removeSession: (day) => `Bỏ ca này của ${day}`,
  from: (day) => `${day}: giờ bắt đầu ca`,
  to: (day) => `${day}: giờ kết thúc ca`,
  noAppointmentDays: "Ngày không hẹn",
  noAppointmentDaysHint: "Những ngày trong tuần áp dụng mô hình “không hẹn” (trừ ngày nghỉ lễ).",
  until: "Giờ kết thúc nhận hồ sơ không hẹn",
  untilHint: "Phiếu lấy sau giờ này không còn được trả kết quả ngay trong ngày (thường 15:00).",
  save: "Lưu thay đổi",
};

// Times are typed as 24-hour HH:MM whatever the browser's language (a time input would show
// AM/PM in an English browser).
const timeInput = (props) =>
  h("input", { ...props, inputmode: "numeric", maxlength: 5, size: 5, placeholder: "07:00", class: `time ${props.class || ""}`, autocomplete: "off" });

function session(dayName, value = "07:00-11:30") {
  const [start, end] = value.split("-");
  const node = h("span", { class: "session" },
    timeInput({ class: "start", value: start, "aria-label": S.from(dayName) }),
    h("span", { "aria-hidden": "true" }, "–"),
    timeInput({ class: "end", value: end, "aria-label": S.to(dayName) }));
  node.append(button("×", () => {
    const list = node.parentElement;
    node.remove();
    list.dataset.empty = String(!list.querySelector(".session"));
  }, "icon", { "aria-label": S.removeSession(dayName), title: S.removeSession(dayName) }));
  return node;
}

function hoursTable(hours) {
  return h("table", { class: "hours" }, h("tbody", {}, WEEK.map(([key, dayName]) => {
    const list = h("div", { class: "sessions", dataset: { empty: String(!(hours[key] || []).length) } },
      (hours[key] || []).map((value) => session(dayName, value)),
      h("span", { class: "closed" }, S.closed));
    return h("tr", { dataset: { day: key } },
      h("th", { scope: "row" }, dayName),
      h("td", {}, list),
      h("td", {}, button(S.addSession, () => {
        list.querySelector(".closed").before(session(dayName, list.querySelector(".session") ? "13:30-17:00" : "07:00-11:30"));
        list.dataset.empty = "false";
      }, "small")));
  })));
}

function readHours(form) {
  const hours = {};
  for (const tr of form.querySelectorAll("tr[data-day]")) {
    hours[tr.dataset.day] = [...tr.querySelectorAll(".session")].map(
      (node) => `${node.querySelector(".start").value}-${node.querySelector(".end").value}`);
  }
  return hours;
}

async function draw(app) {
  const center = await app.call("GET", "/api/admin/center");
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "card form", novalidate: true },
    row(S.name, h("input", { name: "name", value: center.name, required: true, autocomplete: "off" })),
    row(S.portal, h("input", { name: "portal_url", type: "url", value: center.portal_url, inputmode: "url" }), { hint: S.portalHint }),
    group(S.hours, hoursTable(center.opening_hours), { hint: S.hoursHint, name: "opening_hours" }),
    group(S.noAppointmentDays, h("div", { class: "weekdays" }, WEEK.map(([key, dayName]) =>
      checkRow(dayName, h("input", { type: "checkbox", name: "weekday", value: key, checked: center.no_appointment_days.includes(key) }), { name: "" }))),
    { hint: S.noAppointmentDaysHint, name: "no_appointment_days" }),
    row(S.until, timeInput({ name: "no_appointment_until", value: center.no_appointment_until }), { hint: S.untilHint }),
    error,
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, S.save)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await app.call("PUT", "/api/admin/center", {
        name: textOf(form, "name") || "",
        portal_url: textOf(form, "portal_url") || "",
        opening_hours: readHours(form),
        no_appointment_days: [...form.querySelectorAll("input[name=weekday]:checked")].map((input) => input.value),
        no_appointment_until: textOf(form, "no_appointment_until") || "",
      });
      document.getElementById("center-name").textContent = textOf(form, "name");
      await app.redraw(T.saved);
    } catch (failure) {
      showError(form, failure, error);
    }
  });
  return form;
}

export const center = { id: "trung-tam", title: S.title, hint: S.hint, draw };
