// What typing does: the selected case takes the editor's texts, the draft on
// the device keeps them from the keystroke on, and the autosave is due.
// Typing or pasting past the limit is refused whole, with a message, never
// cut: the server would refuse a text over it.

import * as drafts from "./drafts.js";
import { charCount, charsKept, insertedText, notAddedText } from "./limit.js";
import { save, scheduleAutosave } from "./saving.js";
import { settings } from "./settings.js";
import { notify, selectedCase, state } from "./state.js";
import { editorTexts, render, showTextRefused } from "./view.js";

/** On beforeinput: cancel an insertion that would pass the limit. */
export function refuseOverLimit(event) {
  if (!event.inputType.startsWith("insert")) return;
  const field = event.target;
  const adding = charCount(insertedText(event));
  const kept = charsKept(field);
  if (kept + adding > settings.maxChars) {
    event.preventDefault();
    showTextRefused(field.id, notAddedText(adding, kept, settings.maxChars));
  }
}

export function edited(event) {
  const c = selectedCase();
  if (!c) return;
  const texts = editorTexts();
  const tooLong = Object.keys(texts).find((field) => charCount(texts[field]) > settings.maxChars);
  if (tooLong) {
    // An input refuseOverLimit could not cancel (an input method composing
    // text): undone, the case's own text drawn again.
    const kept = charCount(c[tooLong]);
    showTextRefused(event.target.id,
      notAddedText(charCount(texts[tooLong]) - kept, kept, settings.maxChars));
    render();
    return;
  }
  showTextRefused(event.target.id, "");
  changeTexts(c, texts);
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

/** New texts for an entry (one's own notes, or a teammate's: team-notes.js). */
export function changeTexts(c, texts) {
  Object.assign(c, texts);
  c.refusal = null;
  drafts.keep(state.user.id, c);
  notify("edited", c);
}
