// The conflict dialog: a save was refused because the notes were saved in
// another tab, on another device or by a teammate since their text was
// loaded. Both texts are kept until the user chooses one, or both to merge
// (merge.js). An entry is one's own notes or a teammate's (state.js).

import { select } from "./cases.js";
import * as drafts from "./drafts.js";
import { conflictMessage, merged } from "./merge.js";
import { save, scheduleAutosave } from "./saving.js";
import {
  allEntries, caseKey, entryKey, findEntry, isDirty, notify, state, textsOf,
} from "./state.js";
import { focusTeamNote } from "./team-view.js";
import { $, focusEditor, render } from "./view.js";

export function conflicted(c, current) {
  c.conflict = current;
  if (!document.querySelector("dialog[open]")) showConflict(c);
}

export function showConflict(c) {
  if (state.selected !== caseKey(c.caseNumber)) select(caseKey(c.caseNumber));
  const saved = c.conflict;
  $("conflict-message").textContent = conflictMessage(c, saved);
  $("mine-problem").textContent = c.problemStatement;
  $("mine-notes").textContent = c.fsrNotes;
  $("saved-problem").textContent = saved.problemStatement;
  $("saved-notes").textContent = saved.fsrNotes;
  $("conflict-dialog").dataset.entryKey = entryKey(c);
  $("conflict-dialog").showModal();
}

// ``choice``: "mine" (overwrite the saved text), "saved" (drop mine) or
// "merge" (both texts in the editor, to be edited into one).
export function resolveConflict(choice) {
  const dialog = $("conflict-dialog");
  dialog.close();
  const c = findEntry(dialog.dataset.entryKey);
  if (!c?.conflict) return;
  const saved = c.conflict;
  const texts = { mine: textsOf(c), saved: textsOf(saved), merge: merged(c, saved) }[choice];
  Object.assign(c, texts, {
    saved: textsOf(saved),
    savedAt: saved.updatedAt ? new Date(saved.updatedAt) : null,
    version: saved.version,
    conflict: null,
  });
  if (isDirty(c)) {
    drafts.keep(state.user.id, c);
  } else {
    drafts.forget(state.user.id, c);
  }
  notify("edited", c);
  render();
  if (choice === "mine") save(c);
  if (choice === "merge") {
    scheduleAutosave();
    if (c.author) {
      focusTeamNote(entryKey(c));
    } else {
      focusEditor();
    }
  }
  const next = allEntries().find((other) => other.conflict);
  if (next) showConflict(next);
}
