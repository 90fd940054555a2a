// The ticket page's service worker, served at /t/sw.js so that its scope is /t/: it shows the
// center's Web Push messages ({title, body, number, counter_id}, server/line/push_notices.py)
// and, on a tap, brings the ticket's page forward (or opens it). The messages never carry
// the ticket's key, so each page tells the worker its own address (a "ticket" message),
// which is kept in the Cache API under the ticket's number.
const PAGES = "motcua-ticket-pages";
const ICON = "/static/kiosk/kiosk/ticket/icon-192.png";
const pageKey = (number) => new Request(`/t/__page__/${encodeURIComponent(number)}`);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "ticket" || typeof data.number !== "string" || typeof data.page !== "string") return;
  if (!data.page.startsWith("/t/")) return;
  event.waitUntil(caches.open(PAGES).then((cache) => cache.put(pageKey(data.number), new Response(data.page))));
});

self.addEventListener("push", (event) => {
  let message;
  try {
    message = event.data.json();
  } catch {
    message = { title: "Số thứ tự", body: event.data ? event.data.text() : "", number: "", counter_id: null };
  }
  event.waitUntil(self.registration.showNotification(message.title, {
    body: message.body,
    tag: `ticket-${message.number}`,
    renotify: true,
    lang: "vi",
    icon: ICON,
    vibrate: [400, 200, 400],
    requireInteraction: message.counter_id !== null && message.counter_id !== undefined,
    data: { number: message.number },
  }));
});

async function pageOf(number) {
  const cache = await caches.open(PAGES);
  const stored = number ? await cache.match(pageKey(number)) : undefined;
  return stored ? stored.text() : null;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const page = await pageOf((event.notification.data || {}).number);
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((client) => new URL(client.url).pathname === page)
      || (page ? null : windows.find((client) => new URL(client.url).pathname.startsWith("/t/")));
    if (open) return open.focus();
    return self.clients.openWindow(page || "/");
  })());
});
