// Team notes: the other members' notes on the selected case, each under its
// author's name, loaded on selecting the case and every CASE_STATUS_SECONDS.
// With write on the case they are edited as one's own are: autosaved
// (saving.js), kept on the device meanwhile (drafts.js, keyed by author),
// and a save over newer text opens the conflict dialog (conflict.js).

import * as api from "./api.js";
import { applyDraft } from "./cases.js";
import * as drafts from "./drafts.js";
import { changeTexts } from "./editor.js";
import { refreshGroups } from "./groups.js";
import { scheduleAutosave } from "./saving.js";
import {
  caseKey, entryKey, isDirty, isMe, listedCaseNumber, state, teammateNotes,
} from "./state.js";
import { render } from "./view.js";

const NOT_ON_TEAM = "You are not on this case's team: only your own notes show here.";
const NO_OTHERS = "No one else on this case's team has saved notes on it.";

/** On selecting a case: its team notes, once the server has sent them. */
export function teamNotesSelected() {
  state.team = { caseKey: state.selected, permission: "none", keys: [], message: "" };
  return loadTeamNotes();
}

/** Every CASE_STATUS_SECONDS: the groups, then the selected case's team notes. */
export async function refreshTeam() {
  if (!state.sessionReady) return;
  await refreshGroups();
  await loadTeamNotes();
}

export async function loadTeamNotes() {
  const key = state.selected;
  const caseNumber = listedCaseNumber(key);
  if (!caseNumber) return;
  let answer;
  try {
    answer = await api.request("GET", `${api.teamUrl(caseNumber)}/notes`);
  } catch (error) {
    if (error instanceof api.Refused && state.selected === key) {
      showTeamNotes(key, "none", [], error.body.reason === "not_on_team" ? NOT_ON_TEAM : "");
    }
    // The server is away, or the session ended: what is shown stays, and the
    // next save or status check says so (a read never interrupts typing).
    return;
  }
  if (state.selected !== key) return; // another case was picked meanwhile
  const others = answer.notes.filter((note) => !isMe(note.author));
  const keys = others.map((note) => keepNewer(teammateNotes(note)));
  showTeamNotes(key, answer.my_permission, keys, keys.length > 0 ? "" : NO_OTHERS);
}

// The server's entry, unless the page's has text of its own to send, or is
// that same version; with the device's draft of it put back.
function keepNewer(fresh) {
  const key = entryKey(fresh);
  const shown = state.teamNotes.get(key);
  const busy = shown && (isDirty(shown) || shown.conflict || shown.sending);
  if (busy || shown?.version === fresh.version) return key;
  const draft = drafts.find(state.user.id, fresh);
  if (draft) applyDraft(fresh, draft);
  state.teamNotes.set(key, fresh);
  if (isDirty(fresh)) scheduleAutosave();
  return key;
}

// Entries of the case the server no longer lists are dropped, but for text
// still to be sent: shown until it is (or its refusal is).
function showTeamNotes(key, permission, keys, message) {
  for (const [other, c] of state.teamNotes) {
    if (caseKey(c.caseNumber) !== key || keys.includes(other)) continue;
    if (isDirty(c)) {
      keys.push(other);
    } else {
      state.teamNotes.delete(other);
    }
  }
  state.team = { caseKey: key, permission, keys, message };
  render();
}

/** The handler of typing in a teammate's notes. */
export function teamNoteEdited(key, texts) {
  const c = state.teamNotes.get(key);
  if (!c) return;
  changeTexts(c, texts);
  scheduleAutosave();
  render();
}
