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
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new Unreachable(error.message);
  }
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    return answer;
  }
  if (response.status === 401) {
    throw new SignedOut(answer.error || "Not signed in");
  }
  if (response.status >= 500 || response.status === 429) {
    throw new Unreachable(answer.error || `Server error ${response.status}`);
  }
  throw new Refused(response.status, answer);
}

export function caseUrl(caseNumber) {
  return `/api/cases/data/${encodeURIComponent(caseNumber)}`;
}
