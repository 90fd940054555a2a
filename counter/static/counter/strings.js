// Every Vietnamese text the counter console shows, in one place.

export const PRIORITIES = {
  elderly: "Người cao tuổi",
  disabled: "Người khuyết tật",
  pregnant: "Phụ nữ mang thai",
  meritorious: "Người có công",
  child: "Có trẻ nhỏ đi cùng",
};

export const OUTCOMES = {
  resolved: "Giải quyết ngay",
  appointment: "Hẹn trả kết quả",
  supplement: "Bổ sung hồ sơ",
  refused: "Từ chối",
  advice: "Hướng dẫn",
};

export const TIMELINESS = {
  early: "Trước hạn",
  on_time: "Đúng hạn",
  late: "Quá hạn",
};

export const T = {
  pageTitle: "Quầy tiếp nhận",
  consoleTitle: "Bàn làm việc của cán bộ",

  // Login
  loginTitle: "Đăng nhập quầy",
  loginHint: "Dùng tài khoản cán bộ được cấp.",
  username: "Tên đăng nhập",
  password: "Mật khẩu",
  login: "Đăng nhập",
  loggingIn: "Đang đăng nhập…",
  logout: "Đăng xuất",
  sessionEnded: "Phiên làm việc đã kết thúc, vui lòng đăng nhập lại.",
  loggedOut: "Đã đăng xuất.",

  // Own password
  changePassword: "Đổi mật khẩu",
  passwordTitle: "Đổi mật khẩu của bạn",
  currentPassword: "Mật khẩu hiện tại",
  newPassword: "Mật khẩu mới",
  newPasswordHint:
    "Ít nhất 8 ký tự, không dùng mật khẩu dễ đoán như 12345678 hay tên đăng nhập. Nên ghép vài từ dễ nhớ.",
  repeatPassword: "Nhập lại mật khẩu mới",
  savePassword: "Lưu mật khẩu mới",
  savingPassword: "Đang lưu…",
  passwordMissing: "Vui lòng nhập đủ mật khẩu hiện tại và mật khẩu mới.",
  passwordMismatch: "Hai lần nhập mật khẩu mới không khớp.",
  passwordChanged: "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn (máy khác, trình duyệt khác) đã kết thúc.",

  // Counter choice
  chooseCounterTitle: "Chọn quầy làm việc",
  chooseCounterHint: "Máy này sẽ ghi nhớ quầy đã chọn.",
  changeCounter: "Đổi quầy",
  counterOpen: "Đang mở",
  counterClosed: "Chưa mở",
  officerLabel: "Cán bộ",

  // Calling
  callNext: "Gọi số tiếp theo",
  callNextKeys: "Space / F2",
  nobodyWaiting: "Không còn ai chờ.",
  called: (number) => `Đã gọi số ${number}.`,
  recalled: (number) => `Đã gọi lại số ${number}.`,
  noShowDone: (number) => `Đã ghi nhận số ${number} vắng mặt.`,
  transferred: (number, counter) => `Đã chuyển số ${number} sang ${counter}.`,
  finished: (number, outcome) => `Số ${number}: ${outcome}.`,

  // Current ticket
  currentTitle: "Đang phục vụ",
  idle: "Chưa phục vụ số nào.",
  idleHint: "Bấm “Gọi số tiếp theo” hoặc phím Space khi sẵn sàng.",
  noAppointment: "Không hẹn",
  priority: "Ưu tiên",
  transferredMark: "Chuyển đến",
  documentsIncomplete: "Khai thiếu giấy tờ",
  timerLabel: "Thời gian phục vụ",
  calledAt: (time) => `gọi lúc ${time}`,
  recall: "Gọi lại",
  noShow: "Vắng mặt",
  transfer: "Chuyển quầy",
  outcomeTitle: "Kết thúc với kết quả",

  // Transfer dialog
  transferTitle: (number) => `Chuyển số ${number} sang quầy`,
  servesProcedure: "Có phục vụ thủ tục này",
  notServesProcedure: "Không phục vụ thủ tục này",
  cancel: "Hủy",

  // Appointment dialog and slip
  appointmentTitle: (number) => `Hẹn trả kết quả cho số ${number}`,
  dueDate: "Ngày hẹn trả kết quả",
  dueDateHint: "Mặc định theo thời hạn giải quyết của thủ tục.",
  dueDateMissing: "Vui lòng chọn ngày hẹn trả kết quả.",
  confirmAppointment: "Xác nhận hẹn trả",
  slipSection: "Vừa tiếp nhận",
  slipTitle: "Đã tiếp nhận hồ sơ — hẹn trả kết quả",
  dossierCode: "Mã hồ sơ",
  dueOn: "Ngày hẹn trả",
  printSlip: "In giấy hẹn",
  closeSlip: "Đóng",
  slipNote: "Ghi mã hồ sơ lên giấy tiếp nhận và hẹn trả kết quả (2 bản).",

  // Waiting list
  waitingTitle: "Danh sách chờ",
  waitingCount: (count) => `${count} người chờ`,
  waitingMore: (count) => `… và ${count} người nữa`,
  waitingEmpty: "Chưa có ai chờ quầy này.",
  position: "TT",
  number: "Số",
  procedure: "Thủ tục",
  marks: "Ghi chú",

  // Tally
  tallyTitle: "Kết quả hôm nay của bạn",
  tally: {
    called: "Đã gọi",
    finished: "Đã xong",
    resolved: "Giải quyết ngay",
    appointment: "Hẹn trả",
    no_show: "Vắng mặt",
  },

  // Dossier return
  returnTitle: "Trả kết quả hồ sơ",
  returnLabel: "Mã hồ sơ (gõ hoặc quét)",
  returnButton: "Trả kết quả",
  returned: (code, timeliness, due) => `Hồ sơ ${code}: ${timeliness} (hẹn ${due}).`,
  returnEmpty: "Vui lòng nhập mã hồ sơ.",

  // Printers
  printersTitle: "Máy in",
  printersReady: "Sẵn sàng",
  printersUnknown: "Chưa rõ trạng thái",
  printersNone: "Chưa có máy in",
  printersMore: (first, others) => `${first} (và ${others} máy khác)`,
  printerPending: (count) => `${count} phiếu chờ in`,
  reprint: "In lại phiếu vừa in",
  reprintLabel: (printer) => `In lại phiếu vừa in — ${printer}`,
  reprintSent: (printer) => `Đã gửi lệnh in lại (${printer}).`,

  // Connection
  connectionLost: "Mất kết nối với máy chủ. Đang tự kết nối lại…",
  connectionBack: "Đã kết nối lại với máy chủ.",
};
