// Saving. The server gets a case's text on autosave (AUTOSAVE_SECONDS after
// the first change not yet saved), on switching case, on Save now / Ctrl+S
// and when the page is hidden. Every save names the version its text was
// edited from, so that text saved meanwhile elsewhere is never overwritten
// unasked (conflict.js). A save that finds no server, or is told to wait
// (429), is retried with a back-off, never sooner than the server asked;
// the draft on the device (drafts.js) keeps the text meanwhile. An entry is
// the user's own notes on a case or a teammate's (state.js): each goes to its
// own address, with the same versions, drafts and conflict dialog.

import * as api from "./api.js";
import { conflicted } from "./conflict.js";
import * as drafts from "./drafts.js";
import { resumeSession, sessionEnded } from "./session.js";
import { settings } from "./settings.js";
import { dirtyCases, isDirty, state, textsOf } from "./state.js";
import { caseLeft } from "./statuses.js";
import { render, showBanner } from "./view.js";

const FIRST_RETRY_MS = 1000;
let retryDelay = FIRST_RETRY_MS;
let retryTimer = null;
let autosaveTimer = null;

// Back-off doubles up to the autosave interval: never slower than autosave.
const lastRetryMs = () => Math.max(settings.autosaveMs, FIRST_RETRY_MS);

export function save(c, { keepalive = false } = {}) {
  if (!state.sessionReady || !isDirty(c) || c.conflict) return Promise.resolve();
  if (c.sending) {
    c.again = true;
    return c.sending;
  }
  const sent = textsOf(c);
  const body = { ...sent, baseVersion: c.version };
  c.sending = api.request("PUT", api.notesUrl(c), body, { keepalive })
    .then((answer) => acknowledged(c, sent, answer))
    .catch((error) => saveFailed(c, error))
    .finally(() => {
      c.sending = null;
      render();
      if (c.again && !state.retrying && !c.conflict) {
        c.again = false;
        save(c);
      }
    });
  render();
  return c.sending;
}

export function saveAll(options) {
  return Promise.allSettled(dirtyCases().map((c) => save(c, options)));
}

function acknowledged(c, sent, answer) {
  c.saved = sent;
  c.savedAt = new Date(answer.updated_at);
  c.version = answer.version;
  c.refusal = null;
  drafts.forgetIfSent(state.user.id, c, sent);
  backOnline();
}

function saveFailed(c, error) {
  const reason = error instanceof api.Refused ? error.body.reason : null;
  if ((reason === "case_closed" || reason === "unknown_case") && !c.author) {
    caseLeft(c);
  } else if (error instanceof api.Refused && error.status === 409) {
    conflicted(c, error.body.current);
  } else if (error instanceof api.Refused) {
    c.refusal = error.message;
  } else {
    failed(error);
  }
}

// A request failed for want of a server (or of its time) or of a session:
// keep everything and retry, or ask the user to sign in again.
export function failed(error) {
  if (error instanceof api.SignedOut) {
    sessionEnded();
  } else if (error instanceof api.Unreachable) {
    retryLater(error);
  } else {
    throw error;
  }
}

function retryLater(error) {
  state.retrying = error instanceof api.TooManyRequests ? "busy" : "offline";
  if (!retryTimer) {
    // After a 429, not before the server said; the back-off grows all the same.
    retryTimer = setTimeout(retry, Math.max(retryDelay, (error.retryAfter ?? 0) * 1000));
    retryDelay = Math.min(retryDelay * 2, lastRetryMs());
  }
  render();
}

export function backOnline() {
  clearTimeout(retryTimer);
  state.retrying = null;
  retryDelay = FIRST_RETRY_MS;
  retryTimer = null;
  showBanner("");
}

function retry() {
  retryTimer = null;
  if (state.sessionReady) {
    saveAll();
  } else {
    resumeSession();
  }
}

export function retryNow() {
  clearTimeout(retryTimer);
  retry();
}

export function scheduleAutosave() {
  if (!autosaveTimer) {
    autosaveTimer = setTimeout(autosave, settings.autosaveMs);
  }
}

function autosave() {
  autosaveTimer = null;
  if (state.sessionReady && !retryTimer) saveAll();
}
