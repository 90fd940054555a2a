// Every text of the counter's rating tablet (/rate/<id>), in Vietnamese.

export const T = {
  idleTitle: "Mời quý khách đánh giá sau khi được phục vụ",
  idleHint: "Khi cán bộ hoàn tất hồ sơ, số phiếu của quý khách sẽ hiện tại đây.",
  servedLabel: "Phiếu số",
  officer: (name) => `Cán bộ phục vụ: ${name}`,
  question: "Quý khách đánh giá thế nào về sự phục vụ vừa rồi?",
  very_satisfied: "Rất hài lòng",
  satisfied: "Hài lòng",
  unsatisfied: "Không hài lòng",
  sending: "Đang gửi đánh giá…",
  thanks: "Cảm ơn quý khách đã đánh giá!",
  yourRating: (name) => `Đánh giá của quý khách: ${name}`,
  thanksHint: "Ý kiến của quý khách giúp chúng tôi phục vụ tốt hơn.",
  connectionLost: "Mất kết nối máy chủ — đang tự kết nối lại…",
};
