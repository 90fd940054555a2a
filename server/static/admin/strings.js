// The texts every section of the admin page shares, in Vietnamese.
import { formatIsoDay, WEEKDAYS } from "/static/common/format.js";

export const T = {
  who: (username) => `Quản trị: ${username}`,
  notAdmin: (username) =>
    `Tài khoản ${username} là tài khoản cán bộ, không có quyền quản trị. Hãy đăng xuất rồi đăng nhập bằng tài khoản quản trị.`,
  sessionEnded: "Phiên đăng nhập đã hết hoặc tài khoản đã bị khoá. Vui lòng đăng nhập lại.",
  loading: "Đang tải…",
  saved: "Đã lưu. Ki-ốt, màn hình sảnh và máy cán bộ cập nhật ngay, không cần tải lại.",
  deleted: (what) => `Đã xoá ${what}.`,
  edit: "Sửa",
  remove: "Xoá",
  save: "Lưu",
  add: "Thêm",
  cancel: "Huỷ",
  actions: "Thao tác",
  yes: "Có",
  no: "Không",
};

// The weekdays in the order the center's week runs, with the API's names.
export const WEEK = [
  ["mon", "Thứ Hai"],
  ["tue", "Thứ Ba"],
  ["wed", "Thứ Tư"],
  ["thu", "Thứ Năm"],
  ["fri", "Thứ Sáu"],
  ["sat", "Thứ Bảy"],
  ["sun", "Chủ nhật"],
];

// "2027-01-01" → "Thứ Sáu, 01/01/2027".
export function dayWithWeekday(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${WEEKDAYS[new Date(year, month - 1, day).getDay()]}, ${formatIsoDay(iso)}`;
}

// "2026-11-26T09:05:00+07:00" → "09:05 26/11/2026" (the server's local time, as written).
export function when(iso) {
  const [day, time] = iso.split("T");
  return `${time.slice(0, 5)} ${formatIsoDay(day)}`;
}

export const ROLE_NAMES = { officer: "Cán bộ", admin: "Quản trị" };
export const CALENDAR_KINDS = { holiday: "Nghỉ lễ", working: "Làm bù" };
