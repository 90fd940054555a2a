// Nhật ký thay đổi: who changed the setup, when, and from what to what (newest first).
import { CALENDAR_KINDS, ROLE_NAMES, T, when } from "./strings.js";
import { h, table } from "./ui.js";

const S = {
  title: "Nhật ký thay đổi",
  hint: "Mọi thay đổi cài đặt được ghi lại: ai, lúc nào, trước và sau. Nhật ký không sửa hay xoá được.",
  columns: ["Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Thay đổi"],
  empty: "Chưa có thay đổi nào.",
  created: "tạo mới",
  removed: "đã xoá",
  generated: "mật khẩu do máy tạo",
  chosen: "mật khẩu do quản trị đặt",
  ownPassword: "người dùng tự đổi mật khẩu",
  nobody: "(dòng lệnh)",
  empty_value: "(trống)",
};

const ACTIONS = {
  "center.update": "Sửa thông tin trung tâm",
  "calendar.add": "Thêm ngày vào lịch",
  "calendar.update": "Sửa ngày trong lịch",
  "calendar.delete": "Xoá ngày khỏi lịch",
  "field.add": "Thêm lĩnh vực",
  "field.update": "Sửa lĩnh vực",
  "field.delete": "Xoá lĩnh vực",
  "procedure.add": "Thêm thủ tục",
  "procedure.update": "Sửa thủ tục",
  "procedure.delete": "Xoá thủ tục",
  "counter.add": "Thêm quầy",
  "counter.update": "Sửa quầy",
  "counter.delete": "Xoá quầy",
  "user.add": "Thêm tài khoản",
  "user.update": "Sửa tài khoản",
  "user.password_reset": "Đặt lại mật khẩu",
  "user.password_change": "Tự đổi mật khẩu",
  "printer.update": "Đổi địa chỉ máy in",
};

const KEYS = {
  name: "Tên",
  portal_url: "Cổng dịch vụ công",
  opening_hours: "Giờ làm việc",
  no_appointment_days: "Ngày không hẹn",
  no_appointment_until: "Giờ kết thúc không hẹn",
  letter: "Chữ cái",
  field: "Lĩnh vực",
  short_name: "Tên ngắn",
  code: "Mã thủ tục",
  legal_time: "Thời hạn",
  processing_days: "Số ngày giải quyết",
  service_minutes: "Số phút phục vụ",
  no_appointment: "Không hẹn",
  fee: "Lệ phí",
  documents: "Thành phần hồ sơ",
  online_help: "Hỗ trợ trực tuyến",
  procedures: "Thủ tục",
  counters: "Quầy",
  full_name: "Họ và tên",
  role: "Vai trò",
  active: "Hoạt động",
  kind: "Loại ngày",
  url: "Địa chỉ",
};

function shown(key, value) {
  if (value === null || value === undefined || value === "") return S.empty_value;
  if (typeof value === "boolean") return value ? T.yes : T.no;
  if (key === "role") return ROLE_NAMES[value] || value;
  if (key === "kind") return CALENDAR_KINDS[value] || value;
  if (Array.isArray(value)) return value.length ? value.join("; ") : S.empty_value;
  if (typeof value === "object") {
    return Object.entries(value).map(([day, sessions]) => `${day}: ${[sessions].flat().join(", ")}`).join("; ") || S.empty_value;
  }
  return String(value);
}

// What changed: "Tên: cũ → mới" per key that differs (an addition or removal in a word).
function changes(entry) {
  if (entry.action === "user.password_reset") return entry.after?.generated ? S.generated : S.chosen;
  if (entry.action === "user.password_change") return S.ownPassword;
  if (!entry.before) return S.created;
  if (!entry.after) return S.removed;
  const keys = Object.keys(entry.after).filter((key) => JSON.stringify(entry.before[key]) !== JSON.stringify(entry.after[key]));
  return h("ul", { class: "plain changes" }, keys.map((key) =>
    h("li", {}, h("span", { class: "key" }, `${KEYS[key] || key}: `),
      h("del", {}, shown(key, entry.before[key])), " → ", h("ins", {}, shown(key, entry.after[key])))));
}

async function draw(app) {
  const entries = await app.call("GET", "/api/admin/audit?limit=200");
  const rows = entries.map((entry) => h("tr", { dataset: { action: entry.action } },
    h("td", { class: "when" }, when(entry.at)),
    h("td", {}, entry.username || S.nobody),
    h("td", {}, ACTIONS[entry.action] || entry.action),
    h("td", { class: "target" }, entry.target),
    h("td", {}, changes(entry))));
  return table(S.columns, rows, S.empty);
}

export const audit = { id: "nhat-ky", title: S.title, hint: S.hint, draw };
