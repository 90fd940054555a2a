// The no-appointment poster (/khong-hen) is rendered on the server; this only draws the QR
// code of the online-services portal and shows the print button.
import { qrSvg } from "/static/common/qr.js";

const qr = document.getElementById("portal-qr");
if (qr && qr.dataset.url) qr.append(qrSvg(qr.dataset.url, `Mã QR: ${qr.dataset.url}`, 2));

const print = document.getElementById("print");
print.hidden = false;
print.addEventListener("click", () => window.print());
