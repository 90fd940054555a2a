// Every text of the voice recording page, in Vietnamese.

export const T = {
  title: "Ghi âm giọng gọi số",
  logout: "Đăng xuất",
  loginTitle: "Đăng nhập quản trị",
  loginHint: "Chỉ tài khoản quản trị (admin) được ghi âm giọng gọi số.",
  username: "Tên đăng nhập",
  password: "Mật khẩu",
  login: "Đăng nhập",
  notAdmin: (username) => `Tài khoản ${username} không phải tài khoản quản trị. Hãy đăng nhập bằng tài khoản quản trị.`,
  who: (username) => `Quản trị: ${username}`,

  progressMissing: (missing, total) => `Còn thiếu ${missing}/${total} đoạn`,
  progressDone: (total) => `Đã ghi đủ ${total}/${total} đoạn`,
  hintMissing: "Màn hình sảnh chỉ dùng giọng ghi âm của trung tâm khi đã ghi đủ mọi đoạn; đến lúc đó dùng giọng đọc của máy.",
  hintDone: "Màn hình sảnh dùng giọng ghi âm của trung tâm (tải lại màn hình sảnh để áp dụng).",
  howTo:
    "Bấm “Ghi âm”, đọc rõ ràng đúng chữ trong ô, rồi bấm “Dừng”. Nghe lại, nếu chưa ưng thì “Ghi lại”; ưng thì “Tải lên”. Nên ghi ở nơi yên tĩnh, cùng một người đọc, cùng khoảng cách tới micrô.",
  sample: "Nghe thử lời gọi",
  sampleUnavailable: "Chưa có đoạn âm thanh nào để nghe thử.",

  recorded: (at, by) => `Đã ghi${at ? ` lúc ${at}` : ""}${by ? ` bởi ${by}` : ""}`,
  notRecorded: "Chưa ghi",
  newTake: "Bản ghi mới, chưa tải lên",
  record: "Ghi âm",
  stop: "Dừng",
  listen: "Nghe",
  redo: "Ghi lại",
  upload: "Tải lên",
  chooseFile: "Chọn tệp",
  remove: "Xoá",
  uploading: "Đang tải lên…",
  uploaded: (text) => `Đã lưu đoạn “${text}”.`,
  removed: (text) => `Đã xoá đoạn “${text}”.`,
  confirmRemove: (text) => `Xoá bản ghi “${text}”?`,
  recording: "Đang ghi… bấm “Dừng” khi đọc xong",
  noMicrophone: "Không dùng được micrô: hãy cho phép trình duyệt dùng micrô, hoặc chọn tệp âm thanh có sẵn.",
  noRecorder: "Trình duyệt này không ghi âm được; hãy chọn tệp âm thanh có sẵn.",
  playFailed: "Không phát được âm thanh này.",

  // How a clip is used, so the reader says it the way a call needs it.
  hint: (key) => {
    if (key.startsWith("letter_")) return `tên chữ ${key.slice(7).toUpperCase()} (như trong số ${key.slice(7).toUpperCase()}025)`;
    return HINTS[key] || "";
  },
};

const HINTS = {
  intro: "đầu câu gọi",
  to_counter: "trước số quầy",
  digit_0: "như trong “A không không bảy”",
  ten: "như trong “mười lăm”",
  tens: "như trong “hai mươi”",
  one_after_tens: "như trong “hai mươi mốt”",
  four_after_tens: "như trong “hai mươi tư”",
  five_after_ten: "như trong “mười lăm”, “hai mươi lăm”",
  zero_tens: "như trong “một trăm lẻ năm”",
  hundred: "như trong “một trăm”",
  thousand: "như trong “một nghìn”",
};
