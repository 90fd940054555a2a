// Máy in: the default receipt printer, and a kiosk's or a counter's own printer.
import { PRINTER_STATE_WORDS } from "/static/common/printers.js";
import { T } from "./strings.js";
import { button, confirmAction, h, openDialog, row, rowError, table, textOf } from "./ui.js";

const S = {
  title: "Máy in",
  hint: "Ki-ốt và quầy in ra máy in chung, trừ khi được gán máy in riêng. Địa chỉ được kiểm tra trước khi lưu.",
  printer: "Máy in",
  queue: "Dùng cho",
  url: "Địa chỉ máy in",
  urlHint: "Ví dụ: tcp://192.168.1.50:9100 (máy in mạng, cổng 9100–9102), file:/dev/usb/lp0 (máy in USB), none (không in). Máy in usb:, serial: và các tệp, thư mục khác phải cấu hình trên máy chủ (lệnh motcua printer set).",
  state: "Tình trạng",
  shared: "Dùng máy in chung",
  serverDefault: (url) => `Theo cài đặt máy chủ: ${url}`,
  change: "Đổi địa chỉ",
  editTitle: (printer) => `Địa chỉ của ${printer.label}`,
  add: "Gán máy in riêng",
  addTitle: "Gán máy in riêng cho ki-ốt hoặc quầy",
  kind: "Cho",
  kinds: { counter: "Một quầy", kiosk: "Một ki-ốt" },
  counter: "Quầy",
  kiosk: "Tên ki-ốt",
  kioskHint: "Chữ thường không dấu, số và gạch, ví dụ sanh-1; mở ki-ốt bằng /kiosk?kiosk=sanh-1.",
  resetTitle: "Bỏ máy in riêng?",
  resetText: (printer) => `${printer.label} sẽ in ra máy in chung.`,
  resetDefaultText: "Máy in chung sẽ dùng địa chỉ trong cài đặt máy chủ (MOTCUA_PRINTER).",
  reset: "Bỏ địa chỉ riêng",
  empty: "Chưa có máy in nào.",
  pending: (count) => `${count} phiếu chờ in`,
};

const who = (printer) => (printer.printer === "default" ? "Mọi ki-ốt và quầy chưa có máy riêng" : printer.printer.replace("counter:", "quầy ").replace("kiosk:", "ki-ốt "));

function editUrl(app, printer) {
  return openDialog({
    title: S.editTitle(printer),
    body: row(S.url, h("input", { name: "url", value: printer.url || "", required: true, autocomplete: "off", spellcheck: "false" }), { hint: S.urlHint }),
    submitLabel: T.save,
    submit: (form) => app.call("PUT", `/api/admin/printers/${encodeURIComponent(printer.printer)}`, { url: textOf(form, "url") }),
  }).then((saved) => saved && app.redraw());
}

async function addOwn(app) {
  const counters = await app.call("GET", "/api/admin/counters");
  const kind = h("select", { name: "kind" }, Object.entries(S.kinds).map(([key, label]) => h("option", { value: key }, label)));
  const counterRow = row(S.counter, h("select", { name: "counter" }, counters.map((counter) => h("option", { value: counter.id }, counter.name))));
  const kioskRow = row(S.kiosk, h("input", { name: "kiosk", autocomplete: "off", spellcheck: "false" }), { hint: S.kioskHint });
  kioskRow.hidden = true;
  kind.addEventListener("change", () => {
    counterRow.hidden = kind.value !== "counter";
    kioskRow.hidden = kind.value !== "kiosk";
  });
  const saved = await openDialog({
    title: S.addTitle,
    body: [row(S.kind, kind), counterRow, kioskRow, row(S.url, h("input", { name: "url", required: true, autocomplete: "off", spellcheck: "false" }), { hint: S.urlHint })],
    submitLabel: T.save,
    submit: (form) => {
      const queue = kind.value === "counter" ? `counter:${form.elements.counter.value}` : `kiosk:${textOf(form, "kiosk") || ""}`;
      return app.call("PUT", `/api/admin/printers/${encodeURIComponent(queue)}`, { url: textOf(form, "url") });
    },
  });
  if (saved) await app.redraw();
}

async function resetUrl(app, printer, tr) {
  const text = printer.printer === "default" ? S.resetDefaultText : S.resetText(printer);
  if (!(await confirmAction(S.resetTitle, text, S.reset))) return;
  try {
    await app.call("PUT", `/api/admin/printers/${encodeURIComponent(printer.printer)}`, { url: null });
    await app.redraw();
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const printers = await app.call("GET", "/api/admin/printers");
  const rows = printers.map((printer) => {
    const tr = h("tr", { dataset: { printer: printer.printer } },
      h("td", {}, h("strong", {}, printer.label)),
      h("td", {}, who(printer)),
      h("td", { class: "url" }, printer.url || (printer.fallback_url ? S.serverDefault(printer.fallback_url) : S.shared)),
      h("td", {}, h("span", { class: `state state-${printer.state}` }, PRINTER_STATE_WORDS[printer.state] || printer.state),
        printer.pending ? h("span", { class: "tag" }, S.pending(printer.pending)) : null),
      h("td", { class: "actions" },
        button(S.change, () => editUrl(app, printer), "small"),
        printer.url ? button(S.reset, () => resetUrl(app, printer, tr), "small danger-quiet") : null));
    return tr;
  });
  return h("div", {},
    h("div", { class: "toolbar" }, button(S.add, () => addOwn(app), "primary")),
    table([S.printer, S.queue, S.url, S.state, T.actions], rows, S.empty));
}

export const printers = { id: "may-in", title: S.title, hint: S.hint, draw };
