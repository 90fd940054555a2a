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
  // The line of a procedure when no open counter serves it (line_state paused or closed).
  linePaused: "Quầy đang tạm nghỉ",
  lineClosed: "Hiện chưa có quầy nào mở cho thủ tục này",
  noAppointmentMark: "Không hẹn",
  previousPage: "Trang trước",
  nextPage: "Trang sau",
  pageOf: (page, pages) => `Trang ${page}/${pages}`,

  documentsTitle: "Giấy tờ cần chuẩn bị:",
  documentsSameDay: "Hồ sơ đầy đủ: nhận kết quả ngay trong ngày, không cần giấy hẹn.",
  fee: (fee) => `Lệ phí: ${fee}`,
  haveAll: "Tôi đã có đủ giấy tờ",
  needHelp: "Chưa đủ — tôi cần hướng dẫn",

  // "Chưa đủ giấy tờ": what happens next, before the priority question.
  incompleteTitle: "Chưa đủ giấy tờ? Quý vị vẫn được hướng dẫn",
  incompleteCounter: (counters) =>
    `Quý vị vẫn lấy số như bình thường. Đến lượt, cán bộ tại ${counters} xem giấy tờ quý vị đang có và chỉ rõ còn thiếu giấy tờ nào, bổ sung ra sao.`,
  incompleteCounterAny: "Quý vị vẫn lấy số như bình thường. Đến lượt, cán bộ tại quầy xem giấy tờ quý vị đang có và chỉ rõ còn thiếu giấy tờ nào, bổ sung ra sao.",
  incompleteSameDay: "Hồ sơ chưa đủ thì chưa được trả kết quả ngay trong ngày; khi đủ giấy tờ, hồ sơ được giải quyết theo quy định.",
  incompleteVolunteers: (desk) =>
    `Tại Quầy ${desk.id} — ${desk.name}, đoàn viên thanh niên giúp miễn phí tạo tài khoản, kê khai và nộp hồ sơ trực tuyến.`,
  incompleteCallHelp: "Cần người giúp ngay? Chạm nút “Gọi cán bộ hỗ trợ” ở cuối màn hình.",
  incompleteTake: "Lấy số để được hướng dẫn",
  or: " hoặc ",
  counter: (id) => `Quầy ${id}`,

  // The online-help desk, before its ticket prints.
  onlineHelpWhere: (counter) => `Nơi hỗ trợ: Quầy ${counter.id} — ${counter.name}`,
  onlineHelpWhat: "Đoàn viên thanh niên hướng dẫn tạo tài khoản, kê khai và nộp hồ sơ trên Cổng dịch vụ công.",
  onlineHelpBring: "Xin mang theo:",
  onlineHelpTake: "Lấy số hỗ trợ",

  priorityTitle: "Quý vị có thuộc đối tượng ưu tiên không?",
  priorityText: "Đối tượng ưu tiên được gọi trước; cán bộ có thể đề nghị xuất trình giấy tờ.",
  noPriority: "Không thuộc đối tượng ưu tiên",
  issuing: "Đang lấy số…",

  back: "‹ Quay lại",
  home: "Về trang chủ",

  ticketLabel: "Số thứ tự của quý vị",
  waitingAhead: (count) => (count > 0 ? `Số người chờ trước: ${count}` : "Quý vị là người tiếp theo"),
  estimatedWait: (range) => `Thời gian chờ dự kiến: ${formatMinutes(range)}`,
  ticketLinePaused: "Quầy đang tạm nghỉ — Quý vị vẫn giữ số thứ tự",
  ticketLineClosed: "Hiện chưa có quầy nào mở cho thủ tục này — Quý vị vẫn giữ số thứ tự",
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

  // "Tôi đã đặt lịch": checking a booking in.
  bookedTitle: "Tôi đã đặt lịch",
  bookedText: "Nhập hoặc quét mã đặt lịch để nhận số thứ tự",
  checkInTitle: "Nhập mã đặt lịch",
  checkInText: "Chạm các ký tự của mã (in trên trang đặt lịch), hoặc đưa mã QR vào máy quét.",
  checkInErase: "⌫ Xoá",
  checkInConfirm: "Nhận số thứ tự",
  checkingIn: "Đang kiểm tra mã…",
  checkInWalkIn: "Lấy số thường",

  // On every screen.
  largeText: "Chữ lớn",
  helpCall: "Gọi cán bộ hỗ trợ",
  helpSending: "Đang gọi cán bộ…",
  helpWaiting: "Đã báo cán bộ. Xin quý vị chờ tại ki-ốt.",
  helpComing: "Cán bộ đang đến hỗ trợ",

  // The server out of reach: nothing can be taken until it answers again.
  serverDownTitle: "Ki-ốt tạm ngừng cấp số thứ tự",
  serverDownText: "Vui lòng báo cán bộ tại quầy hướng dẫn.",
  serverDownNote: "Ki-ốt mất kết nối với máy chủ và sẽ tự hoạt động lại khi có kết nối.",

  // Before the idle reset.
  idleTitle: "Quý vị còn đang sử dụng ki-ốt?",
  idleText: (seconds) => `Ki-ốt sẽ về trang chủ sau ${seconds} giây.`,
  moreTime: "Tôi cần thêm thời gian",
};
