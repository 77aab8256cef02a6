// The conflict dialog's words and its "Merge by hand" (conflict.js), with no DOM.

import { dateTime } from "./format.js";

/** When the server's text was saved, in words: version 0 (updatedAt null)
 * means it never was, and is no date of 1970. */
export function whenSaved(saved) {
  return saved.updatedAt ? `at ${dateTime(new Date(saved.updatedAt))}`
    : "(not saved on the server yet)";
}

/** What the dialog says of ``c`` (one's own notes or a teammate's) and the
 * server's newer entry ``saved``. */
export function conflictMessage(c, saved) {
  const what = c.author
    ? `${c.author.display_name}'s notes on ${c.caseNumber} were saved by someone else`
    : `${c.caseNumber} was saved in another tab, on another device or by a teammate`;
  return `${what} ${whenSaved(saved)}, after you began these changes. `
    + "Both texts are kept until you choose.";
}

/** Field by field: where the texts differ and neither is empty, both stay
 * in the field, marked, for the user to edit into one. ``mine`` and
 * ``saved`` hold problemStatement and fsrNotes; ``saved`` also updatedAt. */
export function merged(mine, saved) {
  const texts = {};
  for (const field of ["problemStatement", "fsrNotes"]) {
    const own = mine[field];
    const theirs = saved[field];
    if (own === theirs || !theirs) {
      texts[field] = own;
    } else if (!own) {
      texts[field] = theirs;
    } else {
      texts[field] = `${own}\n\n----- saved elsewhere ${whenSaved(saved)} -----\n${theirs}`;
    }
  }
  return texts;
}
