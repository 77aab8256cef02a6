// My cases' other two groups: the open cases assigned to the user and those
// shared with them (the user's own notes are cases.js's). Loaded with the
// list and again every CASE_STATUS_SECONDS, so that a team's change shows
// without a reload; a case no longer shared leaves, and with it its notes.
// Picking an assigned case opens the user's own notes on it (new and empty
// at first); a shared one shows its team's notes only.

import * as api from "./api.js";
import { listCase, select } from "./cases.js";
import { failed } from "./saving.js";
import { caseKey, firstKey, listedCaseNumber, selectCase, state } from "./state.js";
import { $, focusEditor, notice, render } from "./view.js";

export async function loadGroups() {
  const [assigned, shared] = await Promise.all(
    [casesAt("/api/cases/assigned"), casesAt("/api/cases/shared")]);
  state.assigned = assigned.map((row) => ({ caseNumber: row.case_number }));
  state.shared = shared.map((row) => ({ caseNumber: row.case_number, permission: row.permission }));
}

// A server without teams has neither list: none then.
async function casesAt(path) {
  try {
    return (await api.request("GET", path)).cases;
  } catch (error) {
    if (error instanceof api.Refused && error.status === 404) return [];
    throw error;
  }
}

/** Load the groups again; the selected case, if it is listed no more, leaves. */
export async function refreshGroups() {
  if (!state.sessionReady) return;
  const selected = listedCaseNumber(state.selected);
  try {
    await loadGroups();
  } catch (error) {
    failed(error);
    return;
  }
  if (selected && !listedCaseNumber(state.selected)) {
    notice(`${selected} is no longer shared with you, or was closed: it has left your list.`);
    selectCase(firstKey());
  }
  render();
}

/** The handler of a case picked in My cases. */
export async function pickCase(key) {
  if (!state.cases.has(key) && state.assigned.some((c) => caseKey(c.caseNumber) === key)) {
    try {
      await listCase(listedCaseNumber(key));
    } catch (error) {
      if (error instanceof api.Refused) {
        notice(`${listedCaseNumber(key)} could not be opened: ${error.message}`);
        return;
      }
      failed(error);
      return;
    }
    select(key);
    focusEditor();
    return;
  }
  select(key);
  if (state.cases.has(key)) return;
  $("show-team").focus(); // a shared case: its team's notes are all there is
}
