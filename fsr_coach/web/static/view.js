// What the user sees, drawn from state.js: the sign-in form or the
// workspace, the editor with its counts and status line, the connection
// banner and the notices; the case list (list-view.js) and the team notes
// (team-view.js) are drawn with them. Logic modules call it; it imports
// none of them: a case picked in the list goes to the handler given to
// onPickCase, a notice's buttons to the functions they come with. Each
// dialog is filled by the module of its feature.

import { statusText } from "./format.js";
import { charCount } from "./limit.js";
import { renderCaseList } from "./list-view.js";
import { settings } from "./settings.js";
import { listedCaseNumber, selectedCase, state } from "./state.js";
import { renderTeamNotes } from "./team-view.js";

export const $ = (id) => document.getElementById(id);

export function showSignIn(reason) {
  $("workspace").hidden = true;
  $("account").hidden = true;
  $("sign-in-view").hidden = false;
  $("sign-in-reason").textContent = reason;
  $("sign-in-reason").hidden = !reason;
  (settings.proxySignIn ? $("sign-in-again") : $("username")).focus();
}

export function showWorkspace() {
  $("sign-in-view").hidden = true;
  $("workspace").hidden = false;
  $("account").hidden = false;
  $("user-name").textContent = state.user.name;
  render();
}

export function showError(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

export function showBanner(message) {
  showError("connection", message);
}

export function editorTexts() {
  return { problemStatement: $("problem-statement").value, fsrNotes: $("fsr-notes").value };
}

export function focusEditor() {
  $("problem-statement").focus();
}

// Each text box's message for an input refused at the limit (editor.js).
const REFUSED = { "problem-statement": "problem-refused", "fsr-notes": "notes-refused" };

export function showTextRefused(fieldId, message) {
  showError(REFUSED[fieldId], message);
}

export function clearTextRefusals() {
  for (const id of Object.values(REFUSED)) showError(id, "");
}

// --- the case list and the editor ---------------------------------------------

export function render() {
  renderCaseList();
  renderEditor();
  renderTeamNotes();
}

function renderEditor() {
  const c = selectedCase();
  $("editor-fields").hidden = !c;
  // A case shared with the user may have no notes of theirs: its team's show.
  $("editor-heading").textContent = listedCaseNumber(state.selected) ?? "Pick or add a case";
  if (!c) return;
  setValue("problem-statement", c.problemStatement);
  setValue("fsr-notes", c.fsrNotes);
  renderCount("problem-count", c.problemStatement);
  renderCount("notes-count", c.fsrNotes);
  $("save-status").textContent = statusText(c, state.retrying);
  $("resolve-conflict").hidden = !c.conflict;
}

function setValue(id, text) {
  // Only on a real change, so that the cursor stays where the user types.
  if ($(id).value !== text) $(id).value = text;
}

function renderCount(id, text) {
  const used = charCount(text);
  $(id).textContent = `${used.toLocaleString()} / ${settings.maxChars.toLocaleString()} characters`;
  $(id).classList.toggle("near-limit", used > settings.maxChars * 0.9);
}

// --- notices --------------------------------------------------------------------

export function notice(message, extra = []) {
  const item = document.createElement("div");
  item.className = "notice";
  const text = document.createElement("p");
  text.textContent = message;
  const dismiss = button("Dismiss", () => item.remove());
  item.append(text, ...extra, dismiss);
  $("notices").append(item);
  return item;
}

// A case that cannot take the unsent text any more: show the text so it can
// be copied elsewhere; it stays on the device until the user discards it.
export function noticeUnsentDraft(draft, what, discard) {
  const text = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Show the unsent text";
  const copy = document.createElement("pre");
  copy.textContent = `Problem statement:\n${draft.problemStatement}\n\nFSR notes:\n${draft.fsrNotes}`;
  text.append(summary, copy);
  const item = notice(`${draft.caseNumber} ${what} and has left your list. `
    + "Your unsent text for it is kept on this device.", [text]);
  item.insertBefore(button("Discard the unsent text", () => {
    discard();
    item.remove();
  }), item.lastChild);
}

export function button(label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}
