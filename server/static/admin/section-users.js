// Tài khoản: officers and admins; add, change the role or name, disable, reset a password.
import { ROLE_NAMES, T } from "./strings.js";
import { button, confirmAction, h, openDialog, row, rowError, table, textOf } from "./ui.js";

const S = {
  title: "Tài khoản",
  hint: "Tài khoản bị khoá không đăng nhập được nữa và bị đăng xuất ngay ở mọi máy. Luôn phải còn ít nhất một tài khoản quản trị.",
  username: "Tên đăng nhập",
  usernameHint: "Chữ thường không dấu, số, dấu chấm hoặc gạch; ví dụ nguyenvana.",
  fullName: "Họ và tên",
  fullNameHint: "In trên giấy hẹn trả kết quả.",
  role: "Vai trò",
  password: "Mật khẩu",
  passwordHint: "Ít nhất 8 ký tự, không dễ đoán (như 12345678 hay tên đăng nhập). Để trống để máy tạo một mật khẩu ngẫu nhiên.",
  status: "Trạng thái",
  active: "Đang hoạt động",
  disabled: "Đã khoá",
  add: "Thêm tài khoản",
  addTitle: "Thêm tài khoản",
  editTitle: (user) => `Sửa tài khoản ${user.username}`,
  disable: "Khoá",
  enable: "Mở khoá",
  reset: "Đặt lại mật khẩu",
  empty: "Chưa có tài khoản nào.",
  disableTitle: "Khoá tài khoản?",
  disableText: (user) => `Khoá tài khoản ${user.username}? Người này bị đăng xuất và không đăng nhập được nữa cho đến khi mở khoá.`,
  resetTitle: "Đặt lại mật khẩu?",
  resetText: (user) => `Tạo mật khẩu mới cho ${user.username}? Mật khẩu cũ không dùng được nữa, các phiên đăng nhập đang mở của tài khoản này sẽ kết thúc.`,
  passwordTitle: (username) => `Mật khẩu mới của ${username}`,
  passwordNote: "Hãy ghi lại và đưa cho người dùng: mật khẩu này chỉ hiện một lần.",
  done: "Đã ghi lại",
  enabled: (username) => `Đã mở khoá tài khoản ${username}.`,
  disabledNow: (username) => `Đã khoá tài khoản ${username}.`,
};

const roleSelect = (value = "officer") =>
  h("select", { name: "role" }, Object.entries(ROLE_NAMES).map(([key, label]) =>
    h("option", { value: key, selected: key === value }, label)));

function showPassword(username, password) {
  return openDialog({
    title: S.passwordTitle(username),
    body: [h("p", { class: "new-password", dataset: { password } }, password), h("p", { class: "hint" }, S.passwordNote)],
    submitLabel: S.done,
    cancel: false,
  });
}

async function add(app) {
  const created = await openDialog({
    title: S.addTitle,
    body: [
      row(S.username, h("input", { name: "username", required: true, autocomplete: "off", autocapitalize: "none", spellcheck: "false" }), { hint: S.usernameHint }),
      row(S.fullName, h("input", { name: "full_name", autocomplete: "off" }), { hint: S.fullNameHint }),
      row(S.role, roleSelect()),
      row(S.password, h("input", { name: "password", type: "text", autocomplete: "new-password", spellcheck: "false" }), { hint: S.passwordHint }),
    ],
    submitLabel: S.add,
    submit: (form) => app.call("POST", "/api/admin/users", {
      username: textOf(form, "username"),
      full_name: textOf(form, "full_name"),
      role: form.elements.role.value,
      ...(form.elements.password.value ? { password: form.elements.password.value } : {}),
    }),
  });
  if (!created) return;
  if (created.password) await showPassword(created.username, created.password);
  await app.redraw();
}

function edit(app, user) {
  return openDialog({
    title: S.editTitle(user),
    body: [
      row(S.fullName, h("input", { name: "full_name", value: user.full_name || "", autocomplete: "off" }), { hint: S.fullNameHint }),
      row(S.role, roleSelect(user.role)),
    ],
    submitLabel: T.save,
    submit: (form) => app.call("PUT", `/api/admin/users/${user.id}`, {
      full_name: textOf(form, "full_name"), role: form.elements.role.value,
    }),
  }).then((saved) => saved && app.redraw());
}

async function toggle(app, user, tr) {
  if (user.active && !(await confirmAction(S.disableTitle, S.disableText(user), S.disable))) return;
  try {
    await app.call("PUT", `/api/admin/users/${user.id}`, { active: !user.active });
    await app.redraw(user.active ? S.disabledNow(user.username) : S.enabled(user.username));
  } catch (error) {
    rowError(tr, error);
  }
}

async function reset(app, user, tr) {
  if (!(await confirmAction(S.resetTitle, S.resetText(user), S.reset))) return;
  try {
    const answer = await app.call("POST", `/api/admin/users/${user.id}/password`, {});
    await showPassword(answer.username, answer.password);
  } catch (error) {
    rowError(tr, error);
  }
}

async function draw(app) {
  const users = await app.call("GET", "/api/admin/users");
  const rows = users.map((user) => {
    const tr = h("tr", { class: user.active ? "" : "inactive", dataset: { username: user.username } },
      h("td", {}, h("strong", {}, user.username)),
      h("td", {}, user.full_name || ""),
      h("td", {}, ROLE_NAMES[user.role] || user.role),
      h("td", {}, h("span", { class: user.active ? "state state-ok" : "state state-off" }, user.active ? S.active : S.disabled)),
      h("td", { class: "actions" },
        button(T.edit, () => edit(app, user), "small"),
        button(user.active ? S.disable : S.enable, () => toggle(app, user, tr), user.active ? "small danger-quiet" : "small"),
        button(S.reset, () => reset(app, user, tr), "small")));
    return tr;
  });
  return h("div", {},
    h("div", { class: "toolbar" }, button(S.add, () => add(app), "primary")),
    table([S.username, S.fullName, S.role, S.status, T.actions], rows, S.empty));
}

export const users = { id: "tai-khoan", title: S.title, hint: S.hint, draw };
