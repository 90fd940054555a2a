// The public queue page: the server rendered the line; this refreshes its figures from
// GET /api/queue every few seconds while the page is on screen (a phone in a pocket polls
// nothing), and at once when it comes back. An unchanged line costs a 304.
import { formatMinutes } from "/static/common/format.js";

const REFRESH_MS = Number(document.body.dataset.refresh || 15) * 1000;
const TIME_ZONE = document.body.dataset.timeZone || "Asia/Ho_Chi_Minh";
const S = {
  serving: "Đang phục vụ",
  lastCalled: "Số vừa gọi",
  none: "Chưa gọi số nào",
  waiting: (count) => `${count} người`,
  paused: "Quầy đang tạm nghỉ",
  closed: "Chưa có quầy nào mở",
  open: "Đang làm việc",
  shut: "Ngoài giờ làm việc",
  updated: (time) => `Số liệu lúc ${time}; tự cập nhật mỗi ${REFRESH_MS / 1000} giây.`,
  offline: (time) => `Chưa cập nhật được (mất kết nối) — số liệu lúc ${time}. Đang thử lại…`,
};

let lastUpdate = document.getElementById("updated").textContent.match(/\d\d:\d\d/)?.[0] || "";
let timer = null;

const clockTime = () =>
  new Date().toLocaleTimeString("vi-VN", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false });

function waitWords(line) {
  if (line.line_state === "paused") return S.paused;
  if (line.line_state === "closed") return S.closed;
  return formatMinutes(line.estimated_wait_minutes) || "—";
}

function show(queue) {
  for (const field of queue.fields) {
    const section = document.querySelector(`.field[data-field="${CSS.escape(field.id)}"]`);
    if (!section) continue;
    section.dataset.state = field.line_state;
    section.querySelector(".serving-box dt").textContent = field.serving.length ? S.serving : S.lastCalled;
    const serving = section.querySelector(".serving");
    serving.textContent = field.serving.length ? field.serving.join(", ") : field.last_called || S.none;
    serving.classList.toggle("none", !field.serving.length && !field.last_called);
    section.querySelector(".waiting").textContent = S.waiting(field.waiting);
    section.querySelector(".figures .estimate").textContent = waitWords(field);
    for (const procedure of field.procedures) {
      const item = section.querySelector(`li[data-procedure="${CSS.escape(procedure.id)}"] .procedure-wait`);
      if (!item) continue;
      item.querySelector(".count").textContent = procedure.waiting;
      item.querySelector(".estimate").textContent = waitWords(procedure);
    }
  }
  const open = document.getElementById("open-state");
  open.dataset.open = queue.center.open_now ? "yes" : "no";
  open.textContent = queue.center.open_now ? S.open : S.shut;
}

async function refresh() {
  clearTimeout(timer);
  try {
    const response = await fetch("/api/queue", { cache: "no-cache" });
    if (!response.ok) throw new Error(String(response.status));
    show(await response.json());
    lastUpdate = clockTime();
    document.getElementById("updated").textContent = S.updated(lastUpdate);
  } catch {
    document.getElementById("updated").textContent = S.offline(lastUpdate);
  }
  if (document.visibilityState === "visible") timer = setTimeout(refresh, REFRESH_MS);
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh();
  else clearTimeout(timer);
});
timer = setTimeout(refresh, REFRESH_MS);
