// The user's cases: loading the list (with the drafts left from an earlier
// visit, and the cases assigned to and shared with them: groups.js), adding
// and opening a case, picking one. How cases leave the list is statuses.js's.

import * as api from "./api.js";
import * as drafts from "./drafts.js";
import { bringBack } from "./editor.js";
import { dateTime } from "./format.js";
import { loadGroups } from "./groups.js";
import { backOnline, failed, save, saveAll } from "./saving.js";
import {
  baseVersionOf, caseKey, draftCase, firstKey, fromServer, listedCaseNumber, newCase, putFirst,
  selectCase, selectedCase, state, textsOf,
} from "./state.js";
import {
  caseStatuses, noticeClosedSinceLastVisit, noticeUnsent, rememberList,
} from "./statuses.js";
import { $, button, focusEditor, notice, render, showError } from "./view.js";

export async function loadCases() {
  const answer = await api.request("GET", "/api/cases/data");
  const rows = Object.values(answer.cases)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  state.cases = new Map(rows.map((row) => [caseKey(row.caseNumber), fromServer(row)]));
  await restoreDrafts();
  await noticeClosedSinceLastVisit();
  await loadGroups();
  if (!listedCaseNumber(state.selected)) selectCase(firstKey());
  state.sessionReady = true;
  rememberList();
  backOnline();
  render();
  saveAll();
}

// Unsent text from an earlier visit goes back into its case, to be sent.
async function restoreDrafts() {
  const elsewhere = [];
  for (const draft of drafts.all(state.user.id)) {
    const c = state.cases.get(caseKey(draft.caseNumber));
    if (c) {
      applyDraft(c, draft);
    } else {
      elsewhere.push(draft);
    }
  }
  const results = await caseStatuses(elsewhere.map((draft) => draft.caseNumber));
  results.forEach((result, i) => {
    if (result.valid && !result.is_closed) {
      putFirst(draftCase({ ...elsewhere[i], caseNumber: result.case_number }));
    } else {
      noticeUnsent(elsewhere[i], result.valid ? "was closed" : "is not a valid case");
    }
  });
}

/** Put a draft's text into its entry (one's own notes or a teammate's), to
 * be sent; a draft of the very text saved is forgotten. */
export function applyDraft(c, draft) {
  if (draft.problemStatement === c.saved?.problemStatement && draft.fsrNotes === c.saved?.fsrNotes) {
    drafts.forget(state.user.id, c); // sent, but the answer was lost
  } else {
    Object.assign(c, textsOf(draft), { version: baseVersionOf(draft, c.version) });
  }
}

// --- adding and picking cases -----------------------------------------------

export async function addCase(event) {
  event.preventDefault();
  showError("add-case-error", "");
  const given = $("case-number").value.trim();
  if (!given) {
    showError("add-case-error", "Enter a case number.");
    return;
  }
  try {
    if (!state.cases.has(caseKey(given))) {
      const check = await api.request("GET", `/api/cases/validate/${encodeURIComponent(given)}`);
      if (check.is_closed) {
        showError("add-case-error", `Case ${check.case_number} is closed: notes can no longer be added to it.`);
        return;
      }
      await listCase(check.case_number);
    }
    $("case-number").value = "";
    select(caseKey(given));
    focusEditor();
  } catch (error) {
    if (error instanceof api.Refused) {
      showError("add-case-error", error.body.message || `Case number '${given}' is not valid.`);
    } else if (error instanceof api.Unreachable) {
      showError("add-case-error", "The server cannot be reached: try adding the case again shortly.");
    } else {
      failed(error);
    }
  }
}

/** Put an open case first in the user's list: their saved notes, or new empty ones. */
export async function listCase(caseNumber) {
  putFirst(await openCase(caseNumber));
  rememberList();
}

// The user's entry for an open case: the saved one, or a new empty one.
async function openCase(caseNumber) {
  let c;
  try {
    c = fromServer((await api.request("GET", api.caseUrl(caseNumber))).data);
  } catch (error) {
    if (!(error instanceof api.Refused && error.status === 404)) throw error;
    const { removed } = error.body;
    const empty = { problemStatement: "", fsrNotes: "" };
    const answer = await api.request("PUT", api.caseUrl(caseNumber),
      { ...empty, baseVersion: removed?.version ?? 0 });
    c = newCase(answer.case_number, empty, empty, new Date(answer.updated_at), answer.version);
    if (removed && (removed.problemStatement || removed.fsrNotes)) offerRemovedText(c, removed);
  }
  const draft = drafts.find(state.user.id, c);
  if (draft) applyDraft(c, draft);
  return c;
}

// Adding a removed case again starts it empty, with its old text one click away.
function offerRemovedText(c, removed) {
  const item = notice(`You removed ${c.caseNumber} from your list on `
    + `${dateTime(new Date(removed.removedAt))}. Its text from then is kept.`, [
    button("Put back the removed text", () => {
      item.remove();
      bringBack(c, textsOf(removed));
    }),
  ]);
}

/** Show the case ``key`` in the editor, saving the one it replaces. */
export function select(key) {
  const current = selectedCase();
  if (current && caseKey(current.caseNumber) !== key) save(current);
  selectCase(key);
  render();
}
