// The one way the page talks to the server: JSON in, JSON out, the CSRF
// header on every change, and three kinds of failure the page reacts to.

let csrfToken = "";

// Browsers cap the bodies of keepalive requests (64 KiB in all); a larger
// save goes as a normal request and the draft covers the rest.
const KEEPALIVE_MAX_BYTES = 60000;

/** No session (401): the page asks the user to sign in again. */
export class SignedOut extends Error {}

/** The server could not answer now (network down, 5xx, 429): retry later. */
export class Unreachable extends Error {}

/** Too many requests (429): retry, but not before ``retryAfter`` seconds
 * (null: the server did not say). */
export class TooManyRequests extends Unreachable {
  constructor(message, retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }
}

/** The server refused the request (any other 4xx); ``body`` says why. */
export class Refused extends Error {
  constructor(status, body) {
    super(body.error || body.message || `Refused (${status})`);
    this.status = status;
    this.body = body;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || "";
}

export async function request(method, path, body, { keepalive = false } = {}) {
  const options = { method, credentials: "same-origin", headers: {} };
  if (method !== "GET") {
    options.headers["X-CSRF-Token"] = csrfToken;
  }
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
    options.keepalive = keepalive && options.body.length < KEEPALIVE_MAX_BYTES;
  }
  const response = await send(path, options);
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    return answer;
  }
  throw failure(response, answer);
}

/** GET ``path`` unless it is unchanged since the answer tagged ``etag``:
 * {etag, body}, or null when unchanged (304); Unreachable after
 * ``timeoutMs``. Answers are never stored by the browser (no-store): the
 * caller keeps the copy and its tag. */
export async function requestIfChanged(path, etag, timeoutMs) {
  const headers = etag ? { "If-None-Match": etag } : {};
  const response = await send(path, {
    credentials: "same-origin", headers, signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 304) {
    return null;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw failure(response, answer);
  }
  return { etag: response.headers.get("ETag"), body: answer };
}

/** A file the server sends as an attachment: {blob, fileName}. */
export async function download(path) {
  const response = await send(path, { credentials: "same-origin" });
  if (!response.ok) {
    throw failure(response, await response.json().catch(() => ({})));
  }
  const fileName = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition"))?.[1];
  return { blob: await response.blob(), fileName };
}

async function send(path, options) {
  try {
    return await fetch(path, options);
  } catch (error) {
    throw new Unreachable(error.message);
  }
}

// The error a refused or failed answer is, by its status.
function failure(response, answer) {
  if (response.status === 401) {
    return new SignedOut(answer.error || "Not signed in");
  }
  if (response.status === 429) {
    return new TooManyRequests(answer.error || "Too many requests",
      secondsToWait(response.headers.get("Retry-After")));
  }
  if (response.status >= 500) {
    return new Unreachable(answer.error || `Server error ${response.status}`);
  }
  return new Refused(response.status, answer);
}

/** A Retry-After header in seconds from ``now``: it holds either those
 * seconds or an HTTP date. Null when there is none or it cannot be read. */
export function secondsToWait(retryAfter, now = Date.now()) {
  if (!retryAfter) return null;
  if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter);
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function caseUrl(caseNumber) {
  return `/api/cases/data/${encodeURIComponent(caseNumber)}`;
}

/** A case's team: GET it; /assignee, /team/<username>, /team/notes under it. */
export function teamUrl(caseNumber) {
  return `/api/cases/${encodeURIComponent(caseNumber)}/team`;
}

export function assigneeUrl(caseNumber) {
  return `/api/cases/${encodeURIComponent(caseNumber)}/assignee`;
}

/** Where an entry's notes are saved: one's own, or a teammate's (``author``). */
export function notesUrl({ caseNumber, author }) {
  return author
    ? `${teamUrl(caseNumber)}/notes/${encodeURIComponent(author.username)}`
    : caseUrl(caseNumber);
}
