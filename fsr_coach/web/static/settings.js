// The page's settings. The server hands them over as data attributes of
// <body>, since the Content-Security-Policy allows no inline script;
// main.js loads them before anything else runs.

export const settings = {};

/** Read the settings from ``dataset`` (document.body.dataset). */
export function loadSettings(dataset) {
  Object.assign(settings, {
    autosaveMs: Number(dataset.autosaveSeconds) * 1000,
    caseStatusMs: Number(dataset.caseStatusSeconds) * 1000,
    maxChars: Number(dataset.maxTextChars),
    // AUTH_MODE=proxy: an authenticating proxy signs people in, on a page of
    // its own that a reload leads to; this page has no password form then.
    proxySignIn: dataset.authMode === "proxy",
  });
}
