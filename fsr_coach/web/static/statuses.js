// Cases leaving the list. The server says which are still open: checked
// every CASE_STATUS_SECONDS, and on load for the cases listed on the last
// visit. A closed case leaves with a notice (its notes stay on the server,
// unsent text on the device); so does a case the user removes (history.js).

import * as api from "./api.js";
import * as drafts from "./drafts.js";
import { joinedWithAnd } from "./format.js";
import { failed } from "./saving.js";
import { caseKey, dropCase, isDirty, state } from "./state.js";
import { notice, noticeUnsentDraft, render } from "./view.js";

const STATUS_BATCH = 500; // POST /api/cases/status takes at most this many

export async function caseStatuses(caseNumbers) {
  const results = [];
  for (let i = 0; i < caseNumbers.length; i += STATUS_BATCH) {
    const body = { case_numbers: caseNumbers.slice(i, i + STATUS_BATCH) };
    results.push(...(await api.request("POST", "/api/cases/status", body)).results);
  }
  return results;
}

export async function checkCaseStatus() {
  if (!state.sessionReady || state.cases.size === 0) return;
  const cases = [...state.cases.values()];
  try {
    const results = await caseStatuses(cases.map((c) => c.caseNumber));
    results.forEach((result, i) => {
      if (!result.valid || result.is_closed) caseLeft(cases[i]);
    });
  } catch (error) {
    failed(error);
  }
}

export function caseLeft(c) {
  caseGone(c);
  if (isDirty(c)) {
    noticeUnsent(c, "was closed");
  } else {
    notice(`${c.caseNumber} was closed and has left your list. Its notes stay saved.`);
  }
}

export function caseGone(c) {
  dropCase(c);
  rememberList();
  render();
}

export function noticeUnsent(draft, what) {
  noticeUnsentDraft(draft, what, () => drafts.forget(state.user.id, draft));
}

// Cases listed on the last visit that the server lists no more: those closed
// since are named, unless a draft of theirs was (restoreDrafts).
export async function noticeClosedSinceLastVisit() {
  const gone = drafts.lastListed(state.user.id).filter((caseNumber) =>
    !state.cases.has(caseKey(caseNumber)) && !drafts.find(state.user.id, { caseNumber }));
  const results = await caseStatuses(gone);
  const closed = gone.filter((_caseNumber, i) => !results[i].valid || results[i].is_closed);
  if (closed.length > 0) {
    notice(`${joinedWithAnd(closed)} ${closed.length === 1 ? "was" : "were"} closed since `
      + "your last visit; your notes are kept.");
  }
}

// What the next visit compares the server's list with: the list as shown
// while signed in (not the drafts shown while the server is away).
export function rememberList() {
  if (state.sessionReady) {
    drafts.rememberListed(state.user.id, [...state.cases.values()].map((c) => c.caseNumber));
  }
}
