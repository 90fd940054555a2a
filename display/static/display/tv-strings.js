// Every text the lobby TV shows, in Vietnamese.

export const T = {
  nowServing: "Đang phục vụ",
  spotlightLabel: "Xin mời công dân có số",
  spotlightTo: (counter) => `đến ${counter}`,
  spotlightEmpty: "Chưa gọi số nào hôm nay",
  spotlightNone: "Đang chờ gọi số tiếp theo",
  recentCalls: "Số vừa gọi",
  noCalls: "Chưa gọi số nào",
  waitingTitle: "Đang chờ theo lĩnh vực",
  waitingPeople: (count) => `${count} người`,
  counterNumber: (id) => `Quầy ${id}`,
  counterClosed: "Đóng",
  counterPaused: (reason) => (reason ? `Tạm nghỉ — ${reason}` : "Tạm nghỉ"),
  counterIdle: "Sẵn sàng",
  // Beside a ticket taken from home or booked (its public `channel`); a kiosk's has none.
  channels: { remote: "Từ xa", booking: "Đặt lịch" },
  noCounters: "Chưa có quầy nào",

  dayBanner: (weekday, until) =>
    `Hôm nay ${weekday} — Ngày không hẹn` + (until ? `: hồ sơ đầy đủ trả kết quả ngay, nhận đến ${until}` : ""),
  noAppointmentProgress: (resolved, finished, percent) =>
    `Trả kết quả ngay hôm nay: ${resolved}/${finished}` + (percent === null ? "" : ` (${percent}%)`),
  noAppointmentTitle: "Trả kết quả ngay hôm nay",
  noAppointmentNone: "Chưa có hồ sơ nào hoàn thành hôm nay",
  procedureProgress: (resolved, finished) => `${resolved}/${finished}`,

  todayTitle: "Hôm nay tại trung tâm",
  figureIssued: "Đã cấp số",
  figureWaiting: "Đang chờ",
  figureFinished: "Đã giải quyết",
  figureWait: "Chờ trung bình",
  minutes: (seconds) => (seconds === null || seconds === undefined ? "—" : `${Math.max(1, Math.round(seconds / 60))} phút`),

  priorityRule: (names, inRow) =>
    inRow > 0
      ? `Ưu tiên gọi trước: ${names}. Tối đa ${inRow} số ưu tiên liên tiếp, rồi đến 1 số thường.`
      : "Số được gọi theo thứ tự lấy số.",

  portalTitle: "Dịch vụ công trực tuyến",
  portalScan: "Quét mã để nộp hồ sơ, tra cứu kết quả",
  portalQrLabel: (url) => `Mã QR của cổng dịch vụ công ${url}`,
  marquee: (host) => [
    `Nộp hồ sơ trực tuyến mọi lúc, mọi nơi tại Cổng Dịch vụ công ${host}`,
    "Tra cứu tiến độ và nhận kết quả giải quyết hồ sơ ngay trên điện thoại",
    "Thanh toán phí, lệ phí trực tuyến nhanh chóng, an toàn",
    "Đoàn viên thanh niên luôn sẵn sàng hướng dẫn tạo tài khoản VNeID và nộp hồ sơ trực tuyến",
    "Vui lòng giữ phiếu số thứ tự và chú ý màn hình, loa gọi số",
  ],

  tapTitle: "Chạm để bật âm thanh",
  tapHint: "Trình duyệt đang chặn âm thanh tự phát: chạm vào màn hình một lần để bật lời gọi số.",
  connectionLost: "Mất kết nối máy chủ — đang tự kết nối lại…",
};
