// What the page knows, with no DOM and no network: the signed-in user, their
// cases (newest first, keyed by caseKey) with each case's texts and what the
// server has acknowledged, and which case is selected.
//
// Feature modules follow the editor through subscribe(): "selected" when it
// shows another case (or none), "edited" when a case's texts change on the
// page (typed, restored, or chosen in the conflict dialog). A listener gets
// the case (or null) and runs before the page is drawn again.

export const state = {
  user: null, // {id, name}
  sessionReady: false, // signed in and cases loaded: saves may go out
  cases: new Map(), // caseKey → case (see newCase)
  selected: null, // caseKey
  retrying: null, // why the last request is to be tried again: "offline", or "busy" (429)
};

const listeners = { selected: [], edited: [] };

export function subscribe(event, listener) {
  listeners[event].push(listener);
}

export function notify(event, c) {
  for (const listener of listeners[event]) listener(c);
}

// --- one case -----------------------------------------------------------------

// Case numbers match regardless of letter case, as in the database.
export const caseKey = (caseNumber) => caseNumber.toUpperCase();

export const textsOf = ({ problemStatement, fsrNotes }) => ({ problemStatement, fsrNotes });

// ``saved`` is the text the server has acknowledged (null: none yet);
// ``version`` the server's version the text here was edited from (0: none);
// ``conflict`` the server's newer entry, once a save was refused for it and
// until the user chooses which text to keep.
export function newCase(caseNumber, texts, saved = null, savedAt = null, version = 0) {
  return {
    caseNumber, ...texts, saved, savedAt, version,
    sending: null, again: false, refusal: null, conflict: null,
  };
}

/** A case from the server's JSON (GET /api/cases/data). */
export function fromServer(data) {
  const texts = textsOf(data);
  return newCase(data.caseNumber, texts, texts, new Date(data.updatedAt), data.version);
}

// A case known only from its draft (not in the server's list, or offline).
export function draftCase(draft) {
  return newCase(draft.caseNumber, textsOf(draft), null, null, baseVersionOf(draft, 0));
}

// Drafts kept before versions existed have none: they save as they always did.
export function baseVersionOf(draft, otherwise) {
  return Number.isInteger(draft.baseVersion) ? draft.baseVersion : otherwise;
}

export function isDirty(c) {
  return !c.saved || c.saved.problemStatement !== c.problemStatement
    || c.saved.fsrNotes !== c.fsrNotes;
}

// --- the list ---------------------------------------------------------------------

export const selectedCase = () => state.cases.get(state.selected) || null;
export const dirtyCases = () => [...state.cases.values()].filter(isDirty);
export const firstKey = () => state.cases.keys().next().value ?? null;

export function putFirst(c) {
  state.cases = new Map([[caseKey(c.caseNumber), c], ...state.cases]);
}

/** Take ``c`` off the list; if it was selected, the first case is now. */
export function dropCase(c) {
  state.cases.delete(caseKey(c.caseNumber));
  if (state.selected === caseKey(c.caseNumber)) selectCase(firstKey());
}

export function selectCase(key) {
  if (key === state.selected) return;
  state.selected = key;
  notify("selected", selectedCase());
}
