// Every Vietnamese text the counter console shows, in one place.

export const PRIORITIES = {
  elderly: "Người cao tuổi",
  disabled: "Người khuyết tật",
  pregnant: "Phụ nữ mang thai",
  meritorious: "Người có công",
  child: "Có trẻ nhỏ đi cùng",
};

// Where a ticket was taken: the console marks the remote and booked ones in its line.
export const CHANNELS = {
  kiosk: "Tại ki-ốt",
  remote: "Từ xa",
  booking: "Đặt lịch",
};

export const OUTCOMES = {
  resolved: "Giải quyết ngay",
  appointment: "Hẹn trả kết quả",
  supplement: "Bổ sung hồ sơ",
  refused: "Từ chối",
  advice: "Hướng dẫn",
};

// The reasons offered for a pause (any other may be typed, up to 100 characters).
export const PAUSE_REASONS = ["Nghỉ trưa", "Họp", "Việc khác"];

// The reasons offered for an apology's delay (any other may be typed, up to 500 characters).
export const APOLOGY_REASONS = [
  "Chưa có kết quả thẩm định",
  "Chờ cơ quan khác phối hợp",
  "Hệ thống gặp sự cố",
];

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
  counterPaused: (reason) => (reason ? `Tạm nghỉ — ${reason}` : "Tạm nghỉ"),
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
  undoHint: "Ghi nhầm?",

  // Counter state
  stateOpen: "Đang mở",
  statePaused: (reason) => (reason ? `Tạm nghỉ — ${reason}` : "Tạm nghỉ"),
  stateClosed: "Quầy đóng",
  stateSince: (time) => `từ ${time}`,
  pause: "Tạm nghỉ",
  resume: "Tiếp tục làm việc",
  openCounter: "Mở quầy",
  closeCounter: "Đóng quầy",
  pauseTitle: "Tạm nghỉ quầy — lý do",
  pauseOther: "Lý do khác",
  pauseReasonMissing: "Vui lòng chọn hoặc ghi lý do tạm nghỉ.",
  paused: (reason) => `Quầy tạm nghỉ: ${reason}. Bấm “Gọi số tiếp theo” hoặc “Tiếp tục làm việc” để mở lại.`,
  resumed: "Quầy đang mở.",
  closed: "Đã đóng quầy. Bấm “Gọi số tiếp theo” để mở lại.",
  pausedMain: (reason) => `Quầy đang tạm nghỉ — ${reason}`,
  pausedHint: "Màn hình sảnh và máy lấy số đang báo quầy tạm nghỉ. Bấm “Gọi số tiếp theo” hoặc “Tiếp tục làm việc” để mở lại.",
  logoutTitle: "Đăng xuất khi đang phục vụ?",
  logoutServing: (number) =>
    `Số ${number} vẫn đang được phục vụ ở quầy này. Nếu đăng xuất, số này vẫn ở trạng thái đang gọi cho đến khi có người kết thúc. Quầy sẽ đóng.`,
  logoutStay: "Ở lại phục vụ",
  logoutAnyway: "Vẫn đăng xuất",

  // Current ticket
  currentTitle: "Đang phục vụ",
  idle: "Chưa phục vụ số nào.",
  idleHint: "Bấm “Gọi số tiếp theo” hoặc phím Space khi sẵn sàng.",
  noAppointment: "Không hẹn",
  priority: "Ưu tiên",
  transferredMark: "Chuyển đến",
  documentsComplete: "Đủ giấy tờ",
  documentsIncomplete: "Chưa đủ giấy tờ",
  noteLabel: "Ghi chú",
  noteSave: "Lưu ghi chú",
  noteSaved: (number) => `Đã lưu ghi chú của số ${number}.`,
  noteCleared: (number) => `Đã xóa ghi chú của số ${number}.`,
  noteOf: (note) => `Ghi chú: ${note}`,
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

  transferPaused: (reason) => (reason ? `Đang tạm nghỉ — ${reason}` : "Đang tạm nghỉ"),
  transferNone: "Không có quầy nào khác đang mở hoặc tạm nghỉ.",

  // Outcome dialog (finish and correction) and slip
  outcomeTitleOf: (outcome, number) =>
    ({
      appointment: `Hẹn trả kết quả cho số ${number}`,
      supplement: `Số ${number}: hồ sơ cần bổ sung`,
      refused: `Số ${number}: từ chối tiếp nhận`,
    })[outcome] || `Số ${number}`,
  confirmOutcome: {
    appointment: "Xác nhận hẹn trả",
    supplement: "Ghi nhận bổ sung hồ sơ",
    refused: "Xác nhận từ chối",
  },
  confirm: "Xác nhận",
  correctTitle: (number) => `Sửa kết quả của số ${number}`,
  recordedOutcome: (outcome) => `Kết quả đã ghi: ${outcome}.`,
  currentOutcome: "(đã ghi)",
  withdrawDossier: (code) => `Hồ sơ ${code} đã lập sẽ bị hủy; thu lại giấy hẹn đã in.`,
  correctOutcomeLegend: "Kết quả đúng",
  saveCorrection: "Lưu kết quả đã sửa",
  outcomeMissing: "Vui lòng chọn kết quả đúng.",
  corrected: (number, outcome) => `Đã sửa kết quả của số ${number}: ${outcome}.`,
  dueDate: "Ngày hẹn trả kết quả (ngày/tháng/năm)",
  dueDateHint: "Gõ ngày trước, tháng sau, ví dụ 08/12/2026. Mặc định theo thời hạn giải quyết của thủ tục (đã trừ ngày nghỉ).",
  dueQuickLabel: "Chọn nhanh ngày hẹn",
  dueProposed: (day) => `Hạn thủ tục: ${day}`,
  dueWorkingBack: "−1 ngày làm việc",
  dueWorkingAhead: "+1 ngày làm việc",
  dueWeek: "+1 tuần",
  dueDateMissing: "Vui lòng nhập ngày hẹn trả kết quả.",
  dueDateInvalid: "Ngày không hợp lệ: gõ theo dạng ngày/tháng/năm, ví dụ 08/12/2026.",
  dueDatePast: "Ngày hẹn không được trước hôm nay.",
  dueDateDayOff: "ngày nghỉ của trung tâm",
  missingLegend: "Giấy tờ còn thiếu (đánh dấu theo danh mục của thủ tục)",
  otherDocuments: "Giấy tờ khác còn thiếu (mỗi dòng một loại)",
  documentsMissing: "Vui lòng đánh dấu hoặc ghi ít nhất một giấy tờ còn thiếu.",
  documentsTooMany: (max) => `Tối đa ${max} loại giấy tờ.`,
  documentTooLong: (max) => `Mỗi loại giấy tờ tối đa ${max} ký tự.`,
  refusalReason: "Lý do từ chối (sẽ được ghi vào hồ sơ)",
  reasonMissing: "Vui lòng ghi lý do từ chối.",
  slipSection: "Vừa tiếp nhận",
  slipTitle: "Đã tiếp nhận hồ sơ — hẹn trả kết quả",
  dossierCode: "Mã hồ sơ",
  dueOn: "Ngày hẹn trả",
  printSlip: "In giấy hẹn",
  closeSlip: "Đóng",
  slipNote: "Ghi mã hồ sơ lên giấy tiếp nhận và hẹn trả kết quả (2 bản).",
  slipTitles: {
    appointment: "Đã tiếp nhận hồ sơ — hẹn trả kết quả",
    supplement: "Đã hướng dẫn bổ sung, hoàn thiện hồ sơ",
    refused: "Đã từ chối tiếp nhận hồ sơ",
  },
  formNote: "In phiếu trên khổ A4 để người dân ký nhận, hoặc tải bản DOCX.",
  printForm: "In giấy tờ (A4)",
  printFormLabel: (number) => `In giấy tờ (A4) của số ${number}`,
  formDocx: "Tải DOCX",
  formDocxLabel: (number) => `Tải giấy tờ của số ${number} (DOCX)`,

  // Lists: the line, today's no-shows, today's finished tickets
  listsLabel: "Danh sách số của quầy",
  waitingTitle: "Danh sách chờ",
  waitingCount: (count) => `Đang chờ: ${count}`,
  waited: "Đã chờ",
  minutes: (count) => `${count} phút`,
  waitedLabel: (count) => `đã chờ ${count} phút`,
  callThisHead: "Gọi",
  callThis: "Gọi số này",
  callThisLabel: (number) => `Gọi số này: ${number}`,
  noShowsTab: "Vắng mặt",
  noShowsHint: "Số vắng mặt hôm nay ở quầy này; người dân quay lại thì đưa về đầu hàng.",
  noShowsEmpty: "Chưa có số nào vắng mặt.",
  absentAt: (time) => `vắng lúc ${time}`,
  reinstate: "Gọi lại vào hàng",
  reinstateLabel: (number) => `Gọi lại vào hàng: ${number}`,
  reinstated: (number) => `Số ${number} đã về đầu hàng chờ của quầy.`,
  finishedTab: "Đã xong",
  finishedHint: "Các số bạn đã kết thúc hôm nay; bấm “Sửa kết quả” nếu ghi nhầm.",
  finishedEmpty: "Chưa kết thúc số nào.",
  finishedAt: (time) => `lúc ${time}`,
  correct: "Sửa kết quả",
  correctLabel: (number) => `Sửa kết quả: ${number}`,
  dueShort: (day) => `hẹn ${day}`,
  missingShort: (list) => `Thiếu: ${list}`,
  reasonShort: (reason) => `Lý do: ${reason}`,
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

  // The due-date watch and the apology
  watchTab: "Hồ sơ đến hạn",
  watchBadgeLabel: (overdue, today) => `${overdue} hồ sơ quá hạn, ${today} hồ sơ đến hạn hôm nay`,
  watchHint: "Theo ngày đã hẹn với người dân; hồ sơ bạn tiếp nhận xếp trước.",
  watchOverdue: "Quá hạn",
  watchToday: "Đến hạn hôm nay",
  watchNext: (day) => `Đến hạn ${day}`,
  watchNone: "Không có hồ sơ nào.",
  watchPromised: (day) => `Hẹn trả ${day}`,
  watchLate: (days) => `Quá hạn ${days} ngày làm việc`,
  watchApologies: (count) => `Đã xin lỗi ${count} lần`,
  watchMine: "Bạn tiếp nhận",
  apologyButton: "Lập phiếu xin lỗi",
  apologyLabel: (code) => `Lập phiếu xin lỗi: ${code}`,
  apologyTitle: (code) => `Phiếu xin lỗi và hẹn lại — hồ sơ ${code}`,
  apologyFacts: (number, procedure, due, promised) =>
    due === promised
      ? `Số ${number} — ${procedure}. Ngày hẹn trả: ${due}.`
      : `Số ${number} — ${procedure}. Ngày hẹn trả: ${due}; đã hẹn lại: ${promised}.`,
  apologyDate: "Ngày hẹn trả mới (ngày/tháng/năm)",
  apologyDateHint: "Một ngày làm việc sau hôm nay và sau ngày đã hẹn. Gõ ngày trước, tháng sau.",
  apologyDateMissing: "Vui lòng nhập ngày hẹn trả mới.",
  apologyDateTooEarly: "phải sau hôm nay và sau ngày đã hẹn",
  apologyDateTooEarlyError: "Ngày hẹn trả mới phải sau hôm nay và sau ngày đã hẹn.",
  apologyReasonLegend: "Lý do chậm trả kết quả",
  apologyReasonText: "Lý do ghi trên phiếu (chọn ở trên hoặc tự ghi)",
  apologyReasonMissing: "Vui lòng chọn hoặc ghi lý do chậm trả kết quả.",
  apologySubmit: "Lập phiếu và in",
  apologyDone: (code, day) => `Đã lập phiếu xin lỗi cho hồ sơ ${code}, hẹn lại ngày ${day}.`,

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
