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
};
