"""The JSON API of the contract (prefix /api): thin views over the domain functions."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, session

from server.clock import iso
from server.errors import InvalidInput, NotFound
from server.line import apologies, console, counter_actions, counter_states, dossiers, tickets
from server.line.catalog_queries import list_counters, list_procedures
from server.line.due_watch import due_watch
from server.line.events import last_seq
from server.line.public_queue import live_figures, public_queue
from server.line.remote_offer import remote_offer
from server.line.stats import today_stats
from server.paperwork.letterhead import load_letterhead
from server.paperwork.report_document import write_report
from server.printing import spool
from server.reporting import reports, spreadsheets
from server.reporting.evaluation import evaluate, no_appointment_days
from server.reporting.periods import parse_period
from server.setup import auth
from server.setup.admin.users import change_own_password, own_password_change
from server.setup.center import center_info, setting
from server.setup.kiosk_devices import kiosk_for_token
from server.setup.workdays import load_calendar
from server.web.openapi import openapi_document
from server.web.request import (
    body_value,
    browser_cookie_hash,
    current_user,
    db,
    error_response,
    json_body,
    login_required,
    services,
    site_url,
    ticket_rate_refusal,
)
from server.web.security import login_throttle, too_many_logins

api = Blueprint("api", __name__, url_prefix="/api")


def answer(outcome: counter_actions.Outcome) -> Any:
    """A counter action's answer: its ticket (its events are published after the request)."""
    return jsonify(outcome.ticket)


@api.get("/center")
def center() -> Any:
    s = services()
    return jsonify(center_info(db(), s.clock, s.settings))


@api.get("/procedures")
def procedures() -> Any:
    s = services()
    return jsonify(list_procedures(db(), s.clock, s.settings))


@api.get("/counters")
def counters() -> Any:
    return jsonify(list_counters(db(), services().clock))


@api.post("/tickets")
def issue_ticket() -> Any:
    s = services()
    registered = kiosk_for_token(db(), request.headers.get("X-Kiosk-Token"))
    refused = ticket_rate_refusal(registered)
    if refused:
        return refused
    body = json_body()
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and len(key) > 100:
        raise InvalidInput("Idempotency-Key quá dài (tối đa 100 ký tự).", "invalid_idempotency_key")
    channel = body_value(body, "channel", str, required=False) or "kiosk"
    issued = tickets.issue_ticket(
        db(),
        s.clock,
        s.settings,
        procedure_id=body_value(body, "procedure_id", str),
        documents_complete=body_value(body, "documents_complete", bool),
        priority=body_value(body, "priority", str, required=False),
        idempotency_key=key,
        receipt=tickets.ReceiptOrder(
            kiosk=registered,  # its own printer only with its token: X-Kiosk alone is a claim
            site_url=site_url(),
        ),
        channel=channel,
        browser=browser_cookie_hash() if channel == "remote" else None,
    )
    return jsonify(issued.ticket), 201 if issued.created else 200


@api.get("/tickets/<ticket_key>")
def get_ticket(ticket_key: str) -> Any:
    """The citizen's ticket by its key; staff may also read one by its id."""
    s = services()
    try:
        return jsonify(tickets.get_ticket_by_key(db(), s.clock, s.settings, ticket_key))
    except NotFound:
        user = current_user()
        if user is None or not user.may("officer"):
            raise
        return jsonify(tickets.get_ticket(db(), s.clock, s.settings, ticket_key))


@api.post("/session")
def login() -> Any:
    body = json_body()
    username, password = body_value(body, "username", str), body_value(body, "password", str)
    throttle, address = login_throttle(), request.remote_addr or ""
    wait = throttle.retry_after(username, address)
    if wait:
        return too_many_logins(wait)  # even with the right password: no guess is confirmed
    user = auth.authenticate(db(), username, password)
    if user is None:
        throttle.failed(username, address)
        return error_response(401, "invalid_credentials", "Sai tên đăng nhập hoặc mật khẩu.")
    throttle.succeeded(username, address)
    session.clear()
    session.permanent = True  # ends SESSION_HOURS after this login (server/web/security.py)
    session.update(auth.session_values(user.id, user.generation))  # until logout, etc.
    return jsonify(user.to_dict())


@api.get("/session")
def whoami() -> Any:
    user = current_user()
    if user is None:
        return error_response(401, "login_required", "Vui lòng đăng nhập.")
    return jsonify(user.to_dict())


@api.delete("/session")
@login_required("officer")
def logout() -> Any:
    """Ends every session of the user, on every device, not only this browser's cookie, and
    closes the counters they hold."""
    user = current_user()
    counter_states.leave_counters(db(), services().clock, user.id, by=user.id)
    auth.log_out(db(), user.id)
    session.clear()
    return "", 204


@api.post("/session/password")
@login_required("officer")
def change_password() -> Any:
    """The user's own new password: their other sessions end, this one stays open. A wrong
    current password counts as a failed login (a stolen session cannot guess it)."""
    current, new = own_password_change(json_body())
    user, throttle, address = current_user(), login_throttle(), request.remote_addr or ""
    wait = throttle.retry_after(user.username, address)
    if wait:
        return too_many_logins(wait)
    try:
        generation = change_own_password(db(), services().clock, user.id, current, new)
    except auth.WrongPassword:
        throttle.failed(user.username, address)
        raise
    throttle.succeeded(user.username, address)
    session.update(auth.session_values(user.id, generation))
    return "", 204


@api.post("/counters/<int:counter_id>/next")
@login_required("officer")
def call_next(counter_id: int) -> Any:
    s = services()
    outcome = counter_actions.call_next(db(), s.clock, s.settings, counter_id, current_user())
    if outcome.ticket is None:
        return "", 204
    return answer(outcome)


@api.get("/counters/<int:counter_id>/state")
@login_required("officer")
def counter_state(counter_id: int) -> Any:
    s = services()
    return jsonify(console.counter_state(db(), s.clock, s.settings, counter_id))


@api.post("/counters/<int:counter_id>/pause")
@login_required("officer")
def pause_counter(counter_id: int) -> Any:
    reason = json_body().get("reason")
    return jsonify(counter_states.pause(db(), services().clock, counter_id, current_user(), reason))


@api.post("/counters/<int:counter_id>/resume")
@login_required("officer")
def resume_counter(counter_id: int) -> Any:
    return jsonify(counter_states.resume(db(), services().clock, counter_id, current_user()))


@api.post("/counters/<int:counter_id>/close")
@login_required("officer")
def close_counter(counter_id: int) -> Any:
    return jsonify(counter_states.close(db(), services().clock, counter_id, current_user()))


@api.post("/tickets/<ticket_id>/call")
@login_required("officer")
def call_ticket(ticket_id: str) -> Any:
    counter_id = body_value(json_body(), "counter_id", int)
    s = services()
    return answer(
        counter_actions.call_ticket(
            db(), s.clock, s.settings, ticket_id, counter_id, current_user()
        )
    )


@api.post("/tickets/<ticket_id>/reinstate")
@login_required("officer")
def reinstate(ticket_id: str) -> Any:
    s = services()
    return answer(counter_actions.reinstate(db(), s.clock, s.settings, ticket_id, current_user()))


@api.post("/tickets/<ticket_id>/note")
@login_required("officer")
def note(ticket_id: str) -> Any:
    text = json_body().get("note")
    s = services()
    return answer(
        counter_actions.set_note(db(), s.clock, s.settings, ticket_id, current_user(), text)
    )


@api.post("/tickets/<ticket_id>/recall")
@login_required("officer")
def recall(ticket_id: str) -> Any:
    s = services()
    return answer(counter_actions.recall(db(), s.clock, s.settings, ticket_id, current_user()))


@api.post("/tickets/<ticket_id>/no-show")
@login_required("officer")
def no_show(ticket_id: str) -> Any:
    s = services()
    return answer(counter_actions.no_show(db(), s.clock, s.settings, ticket_id, current_user()))


@api.post("/tickets/<ticket_id>/transfer")
@login_required("officer")
def transfer(ticket_id: str) -> Any:
    counter_id = body_value(json_body(), "counter_id", int)
    s = services()
    return answer(
        counter_actions.transfer(db(), s.clock, s.settings, ticket_id, counter_id, current_user())
    )


@api.post("/tickets/<ticket_id>/finish")
@login_required("officer")
def finish(ticket_id: str) -> Any:
    s = services()
    return answer(
        counter_actions.finish(db(), s.clock, s.settings, ticket_id, current_user(), **result())
    )


@api.post("/tickets/<ticket_id>/correct")
@login_required("officer")
def correct(ticket_id: str) -> Any:
    s = services()
    return answer(
        counter_actions.correct(db(), s.clock, s.settings, ticket_id, current_user(), **result())
    )


def result() -> dict[str, Any]:
    """How a service ended, from the body of finish or correct (checked by the domain)."""
    body = json_body()
    return {
        "outcome": body_value(body, "outcome", str),
        "due_date": body_value(body, "due_date", str, required=False),
        "missing_documents": body_value(body, "missing_documents", list, required=False),
        "reason": body.get("reason"),  # up to 500 characters: the domain checks it
    }


@api.post("/tickets/<ticket_key>/rating")
def rating(ticket_key: str) -> Any:
    """The citizen's rating, by the key only: an id (which staff see) rates nothing."""
    value = body_value(json_body(), "rating", str)
    s = services()
    ticket_id = tickets.ticket_id_for_key(db(), ticket_key)
    return answer(counter_actions.rate(db(), s.clock, s.settings, ticket_id, value))


@api.get("/health")
def health() -> Any:
    """For systemd, the center's monitoring and the province: 200 while the database answers,
    503 with a Vietnamese message when it does not (a disk gone read-only, a lost file)."""
    try:
        seq = last_seq(db())
    except sqlite3.Error:
        current_app.logger.exception("health check: the database does not answer")
        return error_response(
            503, "database_unavailable", "Không đọc được cơ sở dữ liệu: báo cán bộ kỹ thuật."
        )
    return jsonify({"status": "ok", "now": iso(services().clock.now()), "last_seq": seq})


@api.get("/queue")
def queue() -> Any:
    """The public queue's live figures (server/line/public_queue.py). A phone polls it: an
    unchanged answer is a 304 to its If-None-Match."""
    s = services()
    response = jsonify(live_figures(public_queue(db(), s.clock, s.settings)))
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@api.get("/remote")
def remote() -> Any:
    """Whether remote tickets are taken today, when, and how many are left (public)."""
    s = services()
    return jsonify(remote_offer(db(), s.settings, s.clock.now()))


@api.get("/stats/today")
def stats_today() -> Any:
    s = services()
    return jsonify(today_stats(db(), s.clock, s.settings))


@api.get("/openapi.json")
def openapi() -> Any:
    """This API as an OpenAPI 3.1 document (server/data/openapi.yaml), naming the session
    cookie as this app sets it."""
    return jsonify(openapi_document(session_cookie=current_app.config["SESSION_COOKIE_NAME"]))


@api.get("/reports/summary")
@login_required("admin")
def report_summary() -> Any:
    args = request.args
    period = parse_period(args.get("from"), args.get("to"), args.get("period"))
    s = services()
    report = reports.summary(db(), period, load_calendar(db(), s.settings), s.clock.now())
    file_format = args.get("format", "json")
    name = f"bao-cao-{period.start}-{period.end}"
    if file_format == "csv":
        return Response(
            spreadsheets.to_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if file_format == "xlsx":
        return Response(
            spreadsheets.to_xlsx(
                report, no_appointment_days(db(), s.settings, period, s.clock.now().date())
            ),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    if file_format == "docx":
        evaluation = evaluate(db(), s.settings, period, s.clock.now())
        return Response(
            write_report(
                evaluation,
                load_letterhead(db()),
                s.clock.now().date(),
                setting(db(), "center_name"),
            ),
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": f'attachment; filename="{name}.docx"'},
        )
    if file_format != "json":
        raise InvalidInput("Định dạng không hỗ trợ (json, csv, xlsx hoặc docx).", "invalid_format")
    return jsonify(report)


@api.post("/dossiers/<code>/return")
@login_required("officer")
def return_dossier(code: str) -> Any:
    return jsonify(dossiers.return_dossier(db(), services().clock, code, current_user().id))


@api.post("/dossiers/<code>/apology")
@login_required("officer")
def apologize(code: str) -> Any:
    body = json_body()
    s = services()
    apology = apologies.apologize(
        db(), s.clock, s.settings, code, current_user(),
        new_due_date=body.get("new_due_date"), reason=body.get("reason"),
    )  # fmt: skip
    return jsonify(apology), 201


@api.get("/dossiers/watch")
@login_required("officer")
def dossier_watch() -> Any:
    s = services()
    return jsonify(due_watch(db(), s.clock, s.settings, current_user().id))


@api.get("/dossiers/overdue")
@login_required("officer")
def overdue_dossiers() -> Any:
    """The watch's overdue group alone (the endpoint came first), in promised-date order
    whoever asks: the leader's list, not an officer's own first."""
    s = services()
    return jsonify(due_watch(db(), s.clock, s.settings)["overdue"])


@api.get("/printers")
def printers() -> Any:
    """Every printer queue and its last known state: kiosks and consoles show it."""
    return jsonify(spool.printer_statuses(db()))


@api.post("/printers/<name>/reprint")
@login_required("officer")
def reprint(name: str) -> Any:
    """Print the last receipt of this printer again (torn, jammed, or never came out)."""
    s = services()
    now = s.clock.now()
    spool.printer_status(db(), name)  # 404 for a printer that does not exist
    spool.reprint_last(db(), name, now.date().isoformat(), iso(now))
    return jsonify(spool.printer_status(db(), name)), 202
