// Every text of the citizen's phone pages for taking a ticket from home (/lay-so) and booking
// a time (/dat-lich), in Vietnamese.

export const S = {
  stepOf: (count, total) => `Bước ${count}/${total}`,
  back: "‹ Quay lại",
  chooseProcedure: (field) => `${field}: chọn thủ tục`,
  waitingPeople: (count) => (count > 0 ? `Đang chờ ${count} người` : "Chưa có người chờ"),
  linePaused: "Quầy đang tạm nghỉ",
  lineClosed: "Chưa có quầy nào mở",
  noAppointment: "Không hẹn",
  documentsTitle: "Giấy tờ cần mang theo:",
  fee: (fee) => `Lệ phí: ${fee}`,

  // /lay-so
  haveAllQuestion: "Tôi đã có đủ các giấy tờ trên?",
  haveAll: "Có, tôi đã có đủ",
  notAll: "Chưa đủ — tôi cần hướng dẫn",
  priorityTitle: "Quý vị có thuộc đối tượng ưu tiên không?",
  priorityText: "Đối tượng ưu tiên được gọi trước; cán bộ có thể đề nghị xuất trình giấy tờ.",
  noPriority: "Không thuộc đối tượng ưu tiên",
  confirmTitle: "Kiểm tra và lấy số",
  confirmProcedure: "Thủ tục",
  confirmDocuments: "Giấy tờ",
  documentsComplete: "Đã có đủ",
  documentsIncomplete: "Chưa đủ — cán bộ sẽ hướng dẫn khi đến lượt",
  confirmPriority: "Ưu tiên",
  confirmWaiting: "Đang chờ",
  confirmWait: "Thời gian chờ dự kiến",
  confirmAbsent:
    "Khi được gọi mà quý vị chưa có mặt tại quầy, số bị đánh dấu vắng mặt. Hãy theo dõi số trên điện thoại và đến trung tâm khi sắp đến lượt.",
  take: "Lấy số từ xa",
  taking: "Đang lấy số…",
  mine: (number) => `Số quý vị lấy từ xa hôm nay: ${number}.`,
  mineLink: "Xem số của tôi",

  // /dat-lich
  chooseDay: "Chọn ngày",
  chooseSlot: (day) => `Chọn giờ — ${day}`,
  loadingDays: "Đang tải các ngày còn chỗ…",
  loadingSlots: "Đang tải các khung giờ…",
  noDays: "Thủ tục này hiện không còn ngày nào nhận đặt lịch. Quý vị vui lòng lấy số tại trung tâm.",
  noSlots: "Ngày này không còn khung giờ nào. Quý vị vui lòng chọn ngày khác.",
  today: "Hôm nay",
  freePlaces: (count) => (count > 0 ? `Còn ${count} chỗ` : "Đã đủ người"),
  slot: (start, end) => `${start}–${end}`,
  contactTitle: "Thông tin người đặt lịch",
  bookingFor: (procedure, day, start, end) => `${procedure} — ${day}, ${start}–${end}`,
  name: "Họ và tên",
  phone: "Số điện thoại",
  phoneHint: "10 chữ số, bắt đầu bằng 0",
  consent: (days) =>
    `Tôi đồng ý để trung tâm lưu họ tên và số điện thoại này để quản lý lịch hẹn của quý vị. Chỉ cán bộ trung tâm được xem; thông tin không gửi cho ai khác và được xoá ${days} ngày sau ngày hẹn.`,
  book: "Đặt lịch",
  booking: "Đang đặt lịch…",
};
