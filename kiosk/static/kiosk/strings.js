// Every text the kiosk shows, in Vietnamese.
import { formatMinutes } from "/static/common/format.js";

export const WEEKDAY_NAMES = {
  mon: "Thứ Hai",
  tue: "Thứ Ba",
  wed: "Thứ Tư",
  thu: "Thứ Năm",
  fri: "Thứ Sáu",
  sat: "Thứ Bảy",
  sun: "Chủ nhật",
};

export const S = {
  loading: "Đang tải…",
  offlineTitle: "Không kết nối được máy chủ…",
  offlineText: "Ki-ốt đang tự kết nối lại, xin vui lòng chờ trong giây lát.",
  offlineHelp: "Nếu chờ lâu vẫn chưa được, xin báo cán bộ trực tại trung tâm.",
  closedTitle: "Ngoài giờ làm việc",
  closedText: "Ki-ốt tạm ngừng cấp số thứ tự. Mời quý vị quay lại trong giờ làm việc:",
  hoursTitle: "Giờ làm việc",
  closedDay: "Nghỉ",
  dayRange: (first, last) => `${first} – ${last}`,
  dayPair: (first, second) => `${first}, ${second}`,
  session: (start, end) => `${start}–${end}`,

  noAppointmentDay: (weekday) => `${weekday} — Ngày không hẹn`,
  noAppointmentText: (until) =>
    `Hồ sơ đầy đủ của các thủ tục sau được giải quyết và trả kết quả ngay trong ngày, không cần giấy hẹn (tiếp nhận đến ${until}):`,
  noAppointmentClosed: (until) => `Đã hết giờ tiếp nhận không hẹn hôm nay (sau ${until})`,
  noAppointmentClosedText: "Hồ sơ vẫn được tiếp nhận và hẹn ngày trả kết quả theo quy định.",

  chooseField: "Chạm vào lĩnh vực cần giải quyết",
  waitingPeople: (count) => (count > 0 ? `${count} người đang chờ` : "Chưa có người chờ"),
  fieldNoAppointment: (count) => `${count} thủ tục không hẹn`,
  onlineHelpTitle: "Hỗ trợ nộp hồ sơ trực tuyến",
  onlineHelpText: "Đoàn viên thanh niên hướng dẫn tạo tài khoản, kê khai và nộp hồ sơ trực tuyến",

  chooseProcedure: (field) => `${field}: chọn thủ tục`,
  estimate: (range) => (range ? `Dự kiến chờ ${formatMinutes(range)}` : ""),
  noAppointmentMark: "Không hẹn",
  previousPage: "Trang trước",
  nextPage: "Trang sau",
  pageOf: (page, pages) => `Trang ${page}/${pages}`,

  documentsTitle: "Giấy tờ cần chuẩn bị:",
  documentsSameDay: "Hồ sơ đầy đủ: nhận kết quả ngay trong ngày, không cần giấy hẹn.",
  fee: (fee) => `Lệ phí: ${fee}`,
  haveAll: "Tôi đã có đủ giấy tờ",
  needHelp: "Chưa đủ — tôi cần hướng dẫn",

  priorityTitle: "Quý vị có thuộc đối tượng ưu tiên không?",
  priorityText: "Đối tượng ưu tiên được gọi trước; cán bộ có thể đề nghị xuất trình giấy tờ.",
  noPriority: "Không thuộc đối tượng ưu tiên",
  issuing: "Đang lấy số…",

  back: "‹ Quay lại",
  home: "Về trang chủ",

  ticketLabel: "Số thứ tự của quý vị",
  waitingAhead: (count) => (count > 0 ? `Số người chờ trước: ${count}` : "Quý vị là người tiếp theo"),
  estimatedWait: (range) => `Thời gian chờ dự kiến: ${formatMinutes(range)}`,
  ticketNoAppointment: "Không hẹn — trả kết quả trong ngày",
  ticketPriority: (name) => `Ưu tiên: ${name}`,
  ticketIncomplete: "Cán bộ sẽ hướng dẫn quý vị hoàn thiện hồ sơ.",
  qrCaption: "Quét mã để theo dõi số thứ tự trên điện thoại",
  qrLabel: (number) => `Mã QR theo dõi phiếu ${number}`,
  keepTicket: "Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!",
  // The printer cannot print: the number on screen is the citizen's only copy.
  photoTicket: "Vui lòng chụp lại số thứ tự",
  noReceipt: {
    paper_out: "Máy in tạm hết giấy, phiếu chưa in ra được.",
    offline: "Máy in đang gặp sự cố, phiếu chưa in ra được.",
    disabled: "Ki-ốt này không in phiếu giấy.",
  },
  waitForCall: "Vui lòng chờ gọi số. Xin cảm ơn!",
  qrCaptionNoReceipt: "Hoặc quét mã để theo dõi số thứ tự trên điện thoại",
  printerBadge: (state) => `Máy in: ${state}`,
  done: "Xong",
  backIn: (seconds) => `Tự động về trang chủ sau ${seconds} giây`,
};
