// What the page knows, with no DOM and no network: the signed-in user, their
// cases (newest first, keyed by caseKey) with each case's texts and what the
// server has acknowledged, the cases assigned to them and shared with them,
// teammates' notes on the cases they open, and which case is selected.
//
// An entry is one author's notes on one case: the user's own (in ``cases``)
// or a teammate's (in ``teamNotes``, with ``author``: {user_id, username,
// display_name}). Saving, drafts and the conflict dialog take either.
//
// Feature modules follow the editor through subscribe(): "selected" when it
// shows another case (or none), "edited" when a case's texts change on the
// page (typed, restored, or chosen in the conflict dialog). A listener gets
// the case (or null) and runs before the page is drawn again.

export const state = {
  user: null, // {id, name}
  sessionReady: false, // signed in and cases loaded: saves may go out
  cases: new Map(), // caseKey → case (see newCase)
  assigned: [], // [{caseNumber}]: open cases assigned to the user, newest first
  shared: [], // [{caseNumber, permission}]: open cases the user is a collaborator on
  teamNotes: new Map(), // entryKey → a teammate's notes on a case (see teammateNotes)
  // The selected case's team notes: the user's permission, the entries shown, a hint.
  team: { caseKey: null, permission: "none", keys: [], message: "" },
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

/** A teammate's notes from the server's JSON (GET .../team/notes). */
export function teammateNotes(note) {
  return { ...fromServer(note), author: note.author };
}

/** The key of an entry: its case's for one's own notes, with the author's id for a teammate's. */
export const entryKey = (c) => (c.author
  ? `${caseKey(c.caseNumber)}:by:${c.author.user_id}` : caseKey(c.caseNumber));

/** Whose notes on which case an entry holds, in words. */
export const entryName = (c) => (c.author
  ? `${c.author.display_name}'s notes on ${c.caseNumber}` : c.caseNumber);

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
export const allEntries = () => [...state.cases.values(), ...state.teamNotes.values()];
export const dirtyCases = () => allEntries().filter(isDirty);
export const findEntry = (key) => state.cases.get(key) ?? state.teamNotes.get(key) ?? null;
export const firstKey = () => state.cases.keys().next().value ?? null;

export function putFirst(c) {
  state.cases = new Map([[caseKey(c.caseNumber), c], ...state.cases]);
}

/** Forget every case and team (signing out, or another user signing in). */
export function forgetCases() {
  Object.assign(state, {
    cases: new Map(), assigned: [], shared: [], teamNotes: new Map(),
    team: { caseKey: null, permission: "none", keys: [], message: "" },
  });
}

/** Whether an API user is the signed-in one (ids may come as text or numbers). */
export const isMe = (user) => state.user !== null && String(user.user_id) === String(state.user.id);

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

// --- the three groups of My cases -----------------------------------------------

/** The keys of My cases by group, each case in one only: assigned to the
 * user, then the user's own notes, then shared with them. */
export function caseGroups() {
  const assigned = [...new Set(state.assigned.map(({ caseNumber }) => caseKey(caseNumber)))];
  const mine = [...state.cases.keys()].filter((key) => !assigned.includes(key));
  const shared = [...new Set(state.shared.map(({ caseNumber }) => caseKey(caseNumber)))]
    .filter((key) => !assigned.includes(key) && !state.cases.has(key));
  return { assigned, mine, shared };
}

/** The case number of a listed case's key (null when it is not listed). */
export function listedCaseNumber(key) {
  if (state.cases.has(key)) return state.cases.get(key).caseNumber;
  const found = [...state.assigned, ...state.shared].find((c) => caseKey(c.caseNumber) === key);
  return found?.caseNumber ?? null;
}
