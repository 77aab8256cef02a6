// The conflict dialog: a save was refused because the case was saved in
// another tab or on another device since its text was loaded. Both texts
// are kept until the user chooses one, or both to merge (merge.js).

import { select } from "./cases.js";
import * as drafts from "./drafts.js";
import { dateTime } from "./format.js";
import { merged } from "./merge.js";
import { save, scheduleAutosave } from "./saving.js";
import { caseKey, isDirty, notify, state, textsOf } from "./state.js";
import { $, focusEditor, render } from "./view.js";

export function conflicted(c, current) {
  c.conflict = current;
  if (!document.querySelector("dialog[open]")) showConflict(c);
}

export function showConflict(c) {
  select(caseKey(c.caseNumber));
  const saved = c.conflict;
  $("conflict-message").textContent = `${c.caseNumber} was saved in another tab or on `
    + `another device at ${dateTime(new Date(saved.updatedAt))}, after you began these `
    + "changes. Both texts are kept until you choose.";
  $("mine-problem").textContent = c.problemStatement;
  $("mine-notes").textContent = c.fsrNotes;
  $("saved-problem").textContent = saved.problemStatement;
  $("saved-notes").textContent = saved.fsrNotes;
  $("conflict-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("conflict-dialog").showModal();
}

// ``choice``: "mine" (overwrite the saved text), "saved" (drop mine) or
// "merge" (both texts in the editor, to be edited into one).
export function resolveConflict(choice) {
  const dialog = $("conflict-dialog");
  dialog.close();
  const c = state.cases.get(dialog.dataset.caseKey);
  if (!c?.conflict) return;
  const saved = c.conflict;
  const texts = { mine: textsOf(c), saved: textsOf(saved), merge: merged(c, saved) }[choice];
  Object.assign(c, texts, {
    saved: textsOf(saved), savedAt: new Date(saved.updatedAt), version: saved.version,
    conflict: null,
  });
  if (isDirty(c)) {
    drafts.keep(state.user.id, c);
  } else {
    drafts.forget(state.user.id, c.caseNumber);
  }
  notify("edited", c);
  render();
  if (choice === "mine") save(c);
  if (choice === "merge") {
    scheduleAutosave();
    focusEditor();
  }
  const next = [...state.cases.values()].find((other) => other.conflict);
  if (next) showConflict(next);
}
