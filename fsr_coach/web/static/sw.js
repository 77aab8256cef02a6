// Keeps a copy of the page (never of API answers) so that a reload while
// the server is unreachable still opens it, with the drafts on this device.
// Network first: a new release is seen as soon as the server answers.

const CACHE = "fsr-coach-page-v1";
// Every file the page loads (tests/test_page_files.py keeps this list whole).
const PAGE = [
  "/",
  "/static/api.js",
  "/static/app.css",
  "/static/cases.js",
  "/static/coach-panel.js",
  "/static/coach-view.js",
  "/static/coach/engine.js",
  "/static/conflict.js",
  "/static/drafts.js",
  "/static/editor.js",
  "/static/format.js",
  "/static/groups.js",
  "/static/history.js",
  "/static/icon.svg",
  "/static/limit.js",
  "/static/list-view.js",
  "/static/main.js",
  "/static/merge.js",
  "/static/report.js",
  "/static/saving.js",
  "/static/session.js",
  "/static/settings.js",
  "/static/signature-pad.js",
  "/static/signoff.js",
  "/static/state.js",
  "/static/statuses.js",
  "/static/team-notes.js",
  "/static/team-view.js",
  "/static/team.js",
  "/static/view.js",
];

self.addEventListener("install", (event) => {
  // API requests go straight to the network, never through this worker:
  // through it, Chromium lost about one in three of the keepalive saves sent
  // as the user navigated away. (Without addRoutes, the fetch handler below
  // still lets them through.)
  const apiBypass = event.addRoutes?.({
    condition: { urlPattern: { pathname: "/api/*" } },
    source: "network",
  }).catch(() => {});
  event.waitUntil(Promise.all([caches.open(CACHE).then((cache) => cache.addAll(PAGE)), apiBypass]));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin
      || !PAGE.includes(url.pathname)) {
    return;
  }
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    })
    .catch(() => caches.match(url.pathname)));
});
