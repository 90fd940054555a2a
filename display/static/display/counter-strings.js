// Every text the counter's small screen shows, in Vietnamese.

export const T = {
  counterNumber: (id) => `Quầy ${id}`,
  serving: "Xin mời số",
  channels: { remote: "Số lấy từ xa", booking: "Số đặt lịch" }, // a kiosk's ticket: no mark
  idle: "Đang chờ gọi số tiếp theo",
  closed: "Quầy đóng",
  paused: (reason) => (reason ? `Quầy tạm nghỉ — ${reason}` : "Quầy tạm nghỉ"),
  closedHint: "Xin mời công dân đến quầy khác hoặc chờ cán bộ quay lại",
  connectionLost: "Mất kết nối máy chủ — đang tự kết nối lại…",
};
