// Gửi số liệu về tỉnh: whether this center sends what happened to the province hub, where, how
// many facts wait, the last success and the last error. Read-only: the installer switches it
// on with the server's settings (MOTCUA_HUB_*), so the page says how rather than offering a
// form. Drawn again every 10 s while open (the sender works in the background).
import { when } from "./strings.js";
import { h } from "./ui.js";

const S = {
  title: "Gửi số liệu về tỉnh",
  hint: "Trung tâm tự gửi số liệu thống kê (phiếu, hồ sơ, đánh giá, thời gian làm việc của quầy và cán bộ) về máy chủ của tỉnh; không gửi họ tên, số điện thoại của người dân, ghi chú hay mật khẩu. Khi mất kết nối, quầy vẫn làm việc bình thường: số liệu được giữ lại và gửi sau.",
  state: "Tình trạng",
  states: {
    off: "Chưa bật",
    sent: "Đã gửi đủ",
    sending: "Đang gửi",
    failing: "Gửi chưa được — trung tâm tự thử lại",
  },
  offText: "Trung tâm chưa gửi số liệu về tỉnh: mọi số liệu chỉ lưu tại trung tâm.",
  howTo: "Cách bật: người quản lý máy chủ của trung tâm đặt hai biến môi trường (biến thứ ba không bắt buộc) rồi khởi động lại dịch vụ motcua.",
  settings: [
    ["MOTCUA_HUB_URL", "địa chỉ máy chủ của tỉnh, ví dụ https://hub.tinh.gov.vn"],
    ["MOTCUA_HUB_TOKEN", "mã truy cập tỉnh cấp riêng cho trung tâm (giữ bí mật)"],
    ["MOTCUA_HUB_CENTER", "không bắt buộc: mã của trung tâm mà tỉnh đã đăng ký, ví dụ lai-khe, để tỉnh kiểm tra mã truy cập đúng của trung tâm này"],
  ],
  url: "Địa chỉ máy chủ tỉnh",
  center: "Mã trung tâm tại tỉnh",
  pending: "Số liệu chờ gửi",
  pendingCount: (count) => (count ? `${count.toLocaleString("vi-VN")} số liệu` : "Không còn số liệu nào"),
  lastSuccess: "Gửi thành công gần nhất",
  lastError: "Lỗi gần nhất",
  never: "Chưa có",
  noError: "Không có",
  errorAt: (at, text) => `${when(at)}: ${text}`,
  refreshed: "Tự cập nhật 10 giây một lần.",
};

// The one word for the state: failing while the last error is newer than the last success.
function stateOf(sync) {
  if (!sync.configured) return "off";
  const failing = sync.last_error_at && (!sync.last_success_at || sync.last_error_at > sync.last_success_at);
  if (failing) return "failing";
  return sync.pending ? "sending" : "sent";
}

const line = (label, value, name) => h("div", { class: "fact", dataset: { fact: name } }, h("dt", {}, label), h("dd", {}, value));

function howToSwitchOn() {
  return h("div", { class: "card how-to" },
    h("p", {}, S.offText),
    h("p", {}, S.howTo),
    h("ul", { class: "plain settings" }, S.settings.map(([name, meaning]) =>
      h("li", {}, h("code", {}, name), ` — ${meaning}`))));
}

async function draw(app) {
  const sync = await app.call("GET", "/api/admin/hub");
  const state = stateOf(sync);
  const facts = [line(S.state, h("span", { class: `state sync-${state}` }, S.states[state]), "state")];
  if (sync.configured) {
    facts.push(
      line(S.url, h("span", { class: "url" }, sync.url), "url"),
      line(S.center, sync.center, "center"),
      line(S.pending, S.pendingCount(sync.pending), "pending"),
      line(S.lastSuccess, sync.last_success_at ? when(sync.last_success_at) : S.never, "last-success"),
      line(S.lastError, sync.last_error_at ? S.errorAt(sync.last_error_at, sync.last_error) : S.noError, "last-error"),
    );
  }
  return h("div", { class: "hub-sync", dataset: { state } },
    h("dl", { class: "card facts" }, facts),
    sync.configured ? null : howToSwitchOn(),
    h("p", { class: "hint" }, S.refreshed));
}

export const hub = { id: "gui-tinh", title: S.title, hint: S.hint, draw, refreshSeconds: 10 };
