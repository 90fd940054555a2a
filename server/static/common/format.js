// Vietnamese dates and times: Thứ Năm, 26/11/2026 — 09:05.
export const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
const pad = (n) => String(n).padStart(2, "0");

export const formatDate = (date) => `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
export const formatDay = (date) => `${WEEKDAYS[date.getDay()]}, ${formatDate(date)}`;
export const formatIsoDay = (iso) => {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
};
export const formatMinutes = (range) => {
  if (!range) return "";
  const [low, high] = range;
  if (high <= 1) return "dưới 1 phút";
  return low === high ? `khoảng ${low} phút` : `khoảng ${low}–${high} phút`;
};
