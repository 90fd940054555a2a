// Taking a ticket from home (/lay-so): the kiosk's steps on a phone — field (rendered by the
// server) → procedure → checklist ("Tôi đã có đủ các giấy tờ trên?") → priority → confirm —
// then POST /api/tickets with channel "remote" and one Idempotency-Key (a double tap or a
// retry on a flaky link gives one ticket), and on to the ticket's own page /t/<key>. The key
// is kept in this phone's localStorage, so the citizen finds their ticket again here.
import { ApiError } from "/static/common/api.js";
import { h, replaceChildren } from "/static/common/dom.js";
import { TicketRequest } from "../ticket-request.js";
import { backButton, checklist, choice, heading, pageData, procedureName, steps, waitWords } from "./flow.js";
import { S } from "./strings.js";

const STORE = "motcua-remote-ticket"; // {key, number, day} of this phone's remote ticket
const TOTAL = 5;
const today = document.body.dataset.today;

function stored() {
  try {
    const ticket = JSON.parse(localStorage.getItem(STORE) || "null");
    return ticket && ticket.day === today && ticket.key ? ticket : null;
  } catch {
    return null;
  }
}

const ticketPath = (ticket) => `/t/${encodeURIComponent(ticket.key)}`;

// "Số quý vị lấy từ xa hôm nay: B003. Xem số của tôi": the ticket this phone took today.
function showMine() {
  const ticket = stored();
  const mine = document.getElementById("mine");
  if (!ticket) return;
  replaceChildren(mine, S.mine(ticket.number), " ", h("a", { href: ticketPath(ticket) }, S.mineLink));
  mine.hidden = false;
}

function start() {
  const catalog = pageData("catalog");
  const flow = steps(document.getElementById("step-fields"), document.getElementById("step"));
  const request = new TicketRequest();
  const sameDay = (procedure) =>
    procedure.no_appointment && catalog.center.no_appointment_day && catalog.center.no_appointment_open;

  const procedures = (field) => () => h("div", {},
    heading(2, TOTAL, S.chooseProcedure(field.name)),
    h("ul", { class: "choices" }, field.procedures.map((procedure) =>
      choice(procedureName(procedure), [
        sameDay(procedure) ? h("span", { class: "tag" }, S.noAppointment) : null,
        S.waitingPeople(procedure.waiting), " · ", waitWords(procedure),
      ], () => flow.go(documents(procedure)), { procedure: procedure.id }))),
    backButton(flow));

  const documents = (procedure) => () => h("div", {},
    heading(3, TOTAL, procedureName(procedure)),
    checklist(procedure),
    h("p", { class: "question" }, S.haveAllQuestion),
    h("div", { class: "answers" },
      h("button", { type: "button", class: "primary", dataset: { complete: "yes" },
        onclick: () => flow.go(priority(procedure, true)) }, S.haveAll),
      h("button", { type: "button", class: "secondary", dataset: { complete: "no" },
        onclick: () => flow.go(priority(procedure, false)) }, S.notAll)),
    backButton(flow));

  const priority = (procedure, complete) => () => h("div", {},
    heading(4, TOTAL, S.priorityTitle),
    h("p", {}, S.priorityText),
    h("ul", { class: "choices" },
      choice(S.noPriority, null, () => flow.go(confirm(procedure, complete, null)), { priority: "" }),
      catalog.priorities.map((group) =>
        choice(group.name, null, () => flow.go(confirm(procedure, complete, group)), { priority: group.id }))),
    backButton(flow));

  const confirm = (procedure, complete, group) => () => {
    const alert = h("p", { class: "alert", role: "alert" });
    const button = h("button", { type: "button", class: "primary take", id: "take" }, S.take);
    button.addEventListener("click", () => take(button, alert, {
      procedure_id: procedure.id, documents_complete: complete, priority: group ? group.id : null, channel: "remote",
    }));
    return h("div", {},
      heading(5, TOTAL, S.confirmTitle),
      h("dl", { class: "summary" },
        h("dt", {}, S.confirmProcedure), h("dd", {}, procedureName(procedure)),
        h("dt", {}, S.confirmDocuments), h("dd", {}, complete ? S.documentsComplete : S.documentsIncomplete),
        group ? [h("dt", {}, S.confirmPriority), h("dd", {}, group.name)] : null,
        h("dt", {}, S.confirmWaiting), h("dd", {}, S.waitingPeople(procedure.waiting)),
        h("dt", {}, S.confirmWait), h("dd", {}, waitWords(procedure) || "—")),
      h("p", { class: "warning" }, S.confirmAbsent),
      button,
      alert,
      backButton(flow));
  };

  async function take(button, alert, body) {
    if (request.busy) return;
    button.disabled = true;
    alert.textContent = S.taking;
    try {
      const ticket = await request.issue(body);
      localStorage.setItem(STORE, JSON.stringify({ key: ticket.key, number: ticket.number, day: today }));
      location.assign(ticketPath(ticket));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      button.disabled = false;
      replaceChildren(alert, error.message);
      const mine = stored();
      if (error.code === "remote_ticket_active" && mine) {
        alert.append(" ", h("a", { href: ticketPath(mine) }, S.mineLink));
      }
    }
  }

  for (const button of document.querySelectorAll("#step-fields [data-field]")) {
    const field = catalog.fields.find((entry) => entry.id === button.dataset.field);
    if (field) button.addEventListener("click", () => flow.go(procedures(field)));
  }
}

showMine();
if (document.body.dataset.state === "open") start();
