// Dates as the page shows them (in the user's locale), lists in words, and
// what a case's status line says.

import { isDirty } from "./state.js";

// The status line of unsaved text while saves wait to be retried (state.retrying).
const RETRYING = {
  offline: "Offline — kept on this device, retrying",
  busy: "Too many requests for now — kept on this device, retrying",
};

export const hoursAndMinutes = (date) => [date.getHours(), date.getMinutes()]
  .map((n) => String(n).padStart(2, "0")).join(":");

export const dateTime = (date) => date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

/** "A", "A and B", "A, B and C". */
export function joinedWithAnd(items) {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The status line of an entry (one's own notes or a teammate's), given why
 * saves wait to be retried (state.retrying, or null). */
export function statusText(c, retrying) {
  if (c.conflict) return "Changed elsewhere: not saved until you choose a text";
  if (c.sending) return "Saving…";
  if (c.refusal) return `Not saved: ${c.refusal}`;
  if (isDirty(c)) return RETRYING[retrying] ?? "Unsaved changes";
  return c.savedAt ? `Saved at ${hoursAndMinutes(c.savedAt)}` : "";
}
