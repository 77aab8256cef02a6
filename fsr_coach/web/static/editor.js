// What typing does: the selected case takes the editor's texts, the draft on
// the device keeps them from the keystroke on, and the autosave is due.

import * as drafts from "./drafts.js";
import { save, scheduleAutosave } from "./saving.js";
import { notify, selectedCase, state } from "./state.js";
import { editorTexts, render } from "./view.js";

export function edited() {
  const c = selectedCase();
  if (!c) return;
  changeTexts(c, editorTexts());
  scheduleAutosave();
  render();
}

// Text the user chose to have again (from the history, or a removed case):
// an edit like any other, saved at once.
export function bringBack(c, texts) {
  changeTexts(c, texts);
  render();
  save(c);
}

function changeTexts(c, texts) {
  Object.assign(c, texts);
  c.refusal = null;
  drafts.keep(state.user.id, c);
  notify("edited", c);
}
