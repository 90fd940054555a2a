// A booking's page: the code's QR, drawn from the page's code (the kiosk's scanner types it).
import { qrSvg } from "/static/common/qr.js";

const figure = document.getElementById("qr");
figure.append(qrSvg(figure.dataset.code, `Mã QR của lịch hẹn ${figure.dataset.code}`, 2));
