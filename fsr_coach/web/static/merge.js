// "Merge by hand" in the conflict dialog (conflict.js), with no DOM.

import { dateTime } from "./format.js";

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
      texts[field] = `${own}\n\n----- saved elsewhere at ${dateTime(new Date(saved.updatedAt))} -----\n${theirs}`;
    }
  }
  return texts;
}
