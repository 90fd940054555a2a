// Lấy số từ xa và đặt lịch: how many tickets a day may be taken from a phone outside the
// center and at which hours, how far ahead citizens may book and for how long their name and
// phone are kept, when a subscribed phone is warned, and each field's booking slots.
import { T } from "./strings.js";
import { clearErrors, group, h, numberOf, row, showError, textOf } from "./ui.js";

const S = {
  title: "Lấy số từ xa và đặt lịch",
  hint: "Công dân lấy số hoặc đặt lịch bằng điện thoại. Số lấy từ xa không in phiếu và được gọi theo thứ tự như số lấy tại ki-ốt.",
  remoteTickets: "Số lượt lấy số từ xa mỗi ngày",
  remoteTicketsHint: "0: tắt lấy số từ xa. Mỗi trình duyệt chỉ giữ một số đang chờ.",
  remoteHours: "Giờ lấy số từ xa",
  remoteHoursHint: "Dạng 07:00-16:00. Để trống: theo giờ làm việc của trung tâm. Không nhận vào ngày nghỉ, ngày lễ.",
  daysAhead: "Số ngày làm việc được đặt lịch trước",
  daysAheadHint: "Ngoài hôm nay. Ngày lễ, ngày nghỉ không có khung giờ.",
  retention: "Số ngày giữ họ tên, số điện thoại",
  retentionHint: "Lịch hẹn (cùng họ tên và số điện thoại) được xoá sau ngày hẹn chừng này ngày.",
  pushAhead: "Báo cho điện thoại khi còn số người",
  pushAheadHint: "Điện thoại đã đăng ký nhận thông báo được báo một lần khi còn chừng này người trước mình.",
  fields: "Khung giờ đặt lịch theo lĩnh vực",
  fieldsHint: "Số người mỗi khung giờ: 0 là lĩnh vực đó không nhận đặt lịch.",
  field: "Lĩnh vực",
  capacity: "Số người mỗi khung giờ",
  minutes: "Độ dài khung giờ (phút)",
  capacityOf: (name) => `${name}: số người mỗi khung giờ`,
  minutesOf: (name) => `${name}: độ dài khung giờ (phút)`,
  save: "Lưu thay đổi",
};

const numberInput = (name, value, label = null) =>
  h("input", { name, value: String(value), inputmode: "numeric", size: 5, autocomplete: "off", ...(label ? { "aria-label": label } : {}) });

function fieldsTable(fields) {
  return h("table", { class: "list" },
    h("thead", {}, h("tr", {}, [S.field, S.capacity, S.minutes].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, fields.map((field) => h("tr", { dataset: { field: field.id } },
      h("th", { scope: "row" }, field.name),
      h("td", {}, numberInput(`capacity_${field.id}`, field.booking_capacity, S.capacityOf(field.name))),
      h("td", {}, numberInput(`minutes_${field.id}`, field.booking_slot_minutes, S.minutesOf(field.name)))))));
}

async function draw(app) {
  const setup = await app.call("GET", "/api/admin/remote");
  const error = h("p", { class: "form-error", role: "alert" });
  const form = h("form", { class: "card form", novalidate: true },
    row(S.remoteTickets, numberInput("remote_tickets", setup.remote_tickets), { hint: S.remoteTicketsHint }),
    row(S.remoteHours, h("input", { name: "remote_hours", value: setup.remote_hours || "", size: 11, placeholder: "07:00-16:00", autocomplete: "off" }), { hint: S.remoteHoursHint }),
    row(S.daysAhead, numberInput("booking_days_ahead", setup.booking_days_ahead), { hint: S.daysAheadHint }),
    row(S.retention, numberInput("booking_retention_days", setup.booking_retention_days), { hint: S.retentionHint }),
    row(S.pushAhead, numberInput("push_ahead", setup.push_ahead), { hint: S.pushAheadHint }),
    group(S.fields, fieldsTable(setup.fields), { hint: S.fieldsHint, name: "fields" }),
    error,
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, S.save)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { remote_hours: textOf(form, "remote_hours") };
    for (const name of ["remote_tickets", "booking_days_ahead", "booking_retention_days", "push_ahead"]) {
      body[name] = numberOf(form, name);
    }
    body.fields = Object.fromEntries(setup.fields.map((field) => [field.id, {
      booking_capacity: numberOf(form, `capacity_${field.id}`),
      booking_slot_minutes: numberOf(form, `minutes_${field.id}`),
    }]));
    try {
      await app.call("PUT", "/api/admin/remote", body);
      await app.redraw(T.saved);
    } catch (failure) {
      showError(form, failure, error);
    }
  });
  return form;
}

export const remote = { id: "tu-xa", title: S.title, hint: S.hint, draw };
