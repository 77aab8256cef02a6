// A case's history (every saved change, newest first, each one a click away
// from being the text again) and removing a case from the list (its text
// stays in the history; adding the case again offers it back).

import * as api from "./api.js";
import * as drafts from "./drafts.js";
import { bringBack } from "./editor.js";
import { dateTime } from "./format.js";
import { failed, save } from "./saving.js";
import { caseKey, isDirty, selectedCase, state } from "./state.js";
import { caseGone } from "./statuses.js";
import { $, button, notice, showError } from "./view.js";

const FIELD_LABELS = { problemStatement: "Problem statement", fsrNotes: "FSR notes" };
const PREVIEW_CHARS = 120;

export function showHistory() {
  const c = selectedCase();
  if (!c) return;
  $("history-title").textContent = `History of ${c.caseNumber}`;
  $("history-list").replaceChildren();
  $("history-older").hidden = true;
  $("history-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("history-dialog").showModal();
  loadHistory(c);
}

export function showOlderHistory() {
  loadHistory(state.cases.get($("history-dialog").dataset.caseKey),
    $("history-older").dataset.before);
}

async function loadHistory(c, before = null) {
  const query = before ? `?before=${before}` : "";
  showError("history-message", "Loading…");
  try {
    const answer = await api.request("GET", `${api.caseUrl(c.caseNumber)}/history${query}`);
    $("history-list").append(...answer.history.map((change) => historyItem(c, change)));
    $("history-older").hidden = !answer.next_before;
    $("history-older").dataset.before = answer.next_before ?? "";
    showError("history-message", "");
  } catch (error) {
    if (error instanceof api.Refused && error.status === 404) {
      showError("history-message", "No changes saved yet.");
    } else if (error instanceof api.Unreachable) {
      showError("history-message", "The server cannot be reached: try again shortly.");
    } else {
      $("history-dialog").close();
      failed(error);
    }
  }
}

// A removal keeps the text it took away in oldValue; any other change has
// the text it saved in newValue.
function historyItem(c, change) {
  const removal = change.newValue === null;
  const text = (removal ? change.oldValue : change.newValue) ?? "";
  const item = document.createElement("li");
  const what = document.createElement("p");
  what.textContent = `${dateTime(new Date(change.changedAt))} · ${FIELD_LABELS[change.field]}`
    + ` · ${removal ? "removed from the list" : `version ${change.version}`}`;
  const preview = document.createElement("p");
  preview.className = "preview";
  preview.textContent = text.length > PREVIEW_CHARS
    ? `${text.slice(0, PREVIEW_CHARS)}…` : text || "(empty)";
  item.append(what, preview, button("Restore this text", () => {
    $("history-dialog").close();
    bringBack(c, { [change.field]: text });
  }));
  return item;
}

// --- removal ---------------------------------------------------------------------

export function askToRemove() {
  const c = selectedCase();
  if (!c) return;
  $("remove-message").textContent = `${c.caseNumber} leaves your list. Its text stays in `
    + "its history, and adding the case again offers it back.";
  $("remove-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("remove-dialog").showModal();
}

export async function removeCase() {
  const dialog = $("remove-dialog");
  dialog.close();
  const c = state.cases.get(dialog.dataset.caseKey);
  if (!c) return;
  await save(c);
  if (isDirty(c)) {
    notice(`${c.caseNumber} was not removed: its latest text has not reached the server yet.`);
    return;
  }
  try {
    await api.request("DELETE", api.caseUrl(c.caseNumber));
  } catch (error) {
    if (error instanceof api.SignedOut) {
      failed(error);
    } else {
      notice(`${c.caseNumber} could not be removed: ${error instanceof api.Unreachable
        ? "the server cannot be reached. Try again shortly." : error.message}`);
    }
    return;
  }
  drafts.forget(state.user.id, c);
  caseGone(c);
  notice(`${c.caseNumber} was removed from your list. Add it again to have its text back.`);
}
