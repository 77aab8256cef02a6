// FSR Coach's page: sign in, pick or add a case, write, and never lose a word.
//
// Every keystroke goes to a draft on this device first (drafts.js); the
// server gets the text on autosave, on switching case, on Save now / Ctrl+S
// and when the page is hidden. A draft is dropped only once the server has
// acknowledged exactly its text. Every save names the version its text was
// edited from: text saved meanwhile in another tab or on another device is
// never overwritten without the user choosing to.

import * as api from "./api.js";
import * as drafts from "./drafts.js";

const $ = (id) => document.getElementById(id);

const settings = {
  autosaveMs: Number(document.body.dataset.autosaveSeconds) * 1000,
  caseStatusMs: Number(document.body.dataset.caseStatusSeconds) * 1000,
  maxChars: Number(document.body.dataset.maxTextChars),
  // AUTH_MODE=proxy: an authenticating proxy signs people in, on a page of
  // its own that a reload leads to; this page has no password form then.
  proxySignIn: document.body.dataset.authMode === "proxy",
};
const FIRST_RETRY_MS = 1000;
// Back-off doubles up to the autosave interval: never slower than autosave.
const LAST_RETRY_MS = Math.max(settings.autosaveMs, FIRST_RETRY_MS);
const STATUS_BATCH = 500; // POST /api/cases/status takes at most this many
const OFFLINE = "Offline — kept on this device, retrying";

const state = {
  user: null, // {id, name}
  sessionReady: false, // signed in and cases loaded: saves may go out
  cases: new Map(), // caseKey → case (see fromServer), newest first
  selected: null, // caseKey
  offline: false, // the last request could not reach the server
  retryDelay: FIRST_RETRY_MS,
  retryTimer: null,
  autosaveTimer: null,
};

// --- cases --------------------------------------------------------------

// Case numbers match regardless of letter case, as in the database.
const caseKey = (caseNumber) => caseNumber.toUpperCase();

function fromServer(data) {
  const texts = textsOf(data);
  return newCase(data.caseNumber, texts, texts, new Date(data.updatedAt), data.version);
}

// ``saved`` is the text the server has acknowledged (null: none yet);
// ``version`` the server's version the text here was edited from (0: none);
// ``conflict`` the server's newer entry, once a save was refused for it and
// until the user chooses which text to keep.
function newCase(caseNumber, texts, saved = null, savedAt = null, version = 0) {
  return {
    caseNumber, ...texts, saved, savedAt, version,
    sending: null, again: false, refusal: null, conflict: null,
  };
}

function isDirty(c) {
  return !c.saved || c.saved.problemStatement !== c.problemStatement
    || c.saved.fsrNotes !== c.fsrNotes;
}

const selectedCase = () => state.cases.get(state.selected) || null;
const dirtyCases = () => [...state.cases.values()].filter(isDirty);

function putFirst(c) {
  state.cases = new Map([[caseKey(c.caseNumber), c], ...state.cases]);
}

async function loadCases() {
  const answer = await api.request("GET", "/api/cases/data");
  const rows = Object.values(answer.cases)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  state.cases = new Map(rows.map((row) => [caseKey(row.caseNumber), fromServer(row)]));
  await restoreDrafts();
  if (!state.cases.has(state.selected)) {
    state.selected = state.cases.keys().next().value ?? null;
  }
  state.sessionReady = true;
  backOnline();
  render();
  saveAll();
}

// Unsent text from an earlier visit goes back into its case, to be sent.
async function restoreDrafts() {
  const elsewhere = [];
  for (const draft of drafts.all(state.user.id)) {
    const c = state.cases.get(caseKey(draft.caseNumber));
    if (c) {
      applyDraft(c, draft);
    } else {
      elsewhere.push(draft);
    }
  }
  const results = await caseStatuses(elsewhere.map((draft) => draft.caseNumber));
  results.forEach((result, i) => {
    if (result.valid && !result.is_closed) {
      putFirst(draftCase({ ...elsewhere[i], caseNumber: result.case_number }));
    } else {
      noticeUnsentDraft(elsewhere[i], result.valid ? "was closed" : "is not a valid case");
    }
  });
}

function applyDraft(c, draft) {
  if (draft.problemStatement === c.saved?.problemStatement && draft.fsrNotes === c.saved?.fsrNotes) {
    drafts.forget(state.user.id, c.caseNumber); // sent, but the answer was lost
  } else {
    Object.assign(c, textsOf(draft), { version: baseVersionOf(draft, c.version) });
  }
}

// A case known only from its draft (not in the server's list, or offline).
function draftCase(draft) {
  return newCase(draft.caseNumber, textsOf(draft), null, null, baseVersionOf(draft, 0));
}

// Drafts kept before versions existed have none: they save as they always did.
function baseVersionOf(draft, otherwise) {
  return Number.isInteger(draft.baseVersion) ? draft.baseVersion : otherwise;
}

const textsOf = ({ problemStatement, fsrNotes }) => ({ problemStatement, fsrNotes });

async function caseStatuses(caseNumbers) {
  const results = [];
  for (let i = 0; i < caseNumbers.length; i += STATUS_BATCH) {
    const body = { case_numbers: caseNumbers.slice(i, i + STATUS_BATCH) };
    results.push(...(await api.request("POST", "/api/cases/status", body)).results);
  }
  return results;
}

// Closed cases leave the list with a notice; their notes stay on the server.
async function checkCaseStatus() {
  if (!state.sessionReady || state.cases.size === 0) return;
  const cases = [...state.cases.values()];
  try {
    const results = await caseStatuses(cases.map((c) => c.caseNumber));
    results.forEach((result, i) => {
      if (!result.valid || result.is_closed) caseLeft(cases[i]);
    });
  } catch (error) {
    failed(error);
  }
}

function caseLeft(c) {
  caseGone(c);
  if (isDirty(c)) {
    noticeUnsentDraft(c, "was closed");
  } else {
    notice(`${c.caseNumber} was closed and has left your list. Its notes stay saved.`);
  }
}

function caseGone(c) {
  state.cases.delete(caseKey(c.caseNumber));
  if (state.selected === caseKey(c.caseNumber)) {
    state.selected = state.cases.keys().next().value ?? null;
  }
  render();
}

// --- saving ---------------------------------------------------------------

function save(c, { keepalive = false } = {}) {
  if (!state.sessionReady || !isDirty(c) || c.conflict) return Promise.resolve();
  if (c.sending) {
    c.again = true;
    return c.sending;
  }
  const sent = textsOf(c);
  const body = { ...sent, baseVersion: c.version };
  c.sending = api.request("PUT", api.caseUrl(c.caseNumber), body, { keepalive })
    .then((answer) => acknowledged(c, sent, answer))
    .catch((error) => saveFailed(c, error))
    .finally(() => {
      c.sending = null;
      render();
      if (c.again && !state.offline && !c.conflict) {
        c.again = false;
        save(c);
      }
    });
  render();
  return c.sending;
}

function saveAll(options) {
  return Promise.allSettled(dirtyCases().map((c) => save(c, options)));
}

function acknowledged(c, sent, answer) {
  c.saved = sent;
  c.savedAt = new Date(answer.updated_at);
  c.version = answer.version;
  c.refusal = null;
  drafts.forgetIfSent(state.user.id, c.caseNumber, sent);
  backOnline();
}

function saveFailed(c, error) {
  const reason = error instanceof api.Refused ? error.body.reason : null;
  if (reason === "case_closed" || reason === "unknown_case") {
    caseLeft(c);
  } else if (error instanceof api.Refused && error.status === 409) {
    conflicted(c, error.body.current);
  } else if (error instanceof api.Refused) {
    c.refusal = error.message;
  } else {
    failed(error);
  }
}

// A request failed for want of a server or a session: keep everything and
// retry, or ask the user to sign in again.
function failed(error) {
  if (error instanceof api.SignedOut) {
    sessionEnded();
  } else if (error instanceof api.Unreachable) {
    goOffline();
  } else {
    throw error;
  }
}

function goOffline() {
  state.offline = true;
  if (!state.retryTimer) {
    state.retryTimer = setTimeout(retry, state.retryDelay);
    state.retryDelay = Math.min(state.retryDelay * 2, LAST_RETRY_MS);
  }
  render();
}

function backOnline() {
  clearTimeout(state.retryTimer);
  Object.assign(state, { offline: false, retryDelay: FIRST_RETRY_MS, retryTimer: null });
  showBanner("");
}

function retry() {
  state.retryTimer = null;
  if (state.sessionReady) {
    saveAll();
  } else {
    resumeSession();
  }
}

function retryNow() {
  clearTimeout(state.retryTimer);
  retry();
}

// Autosave comes AUTOSAVE_SECONDS after the first change not yet saved.
function scheduleAutosave() {
  if (!state.autosaveTimer) {
    state.autosaveTimer = setTimeout(autosave, settings.autosaveMs);
  }
}

function autosave() {
  state.autosaveTimer = null;
  if (state.sessionReady && !state.retryTimer) saveAll();
}

// --- session --------------------------------------------------------------

async function resumeSession() {
  try {
    signedIn(await api.request("GET", "/api/auth/me"));
    await loadCases();
  } catch (error) {
    if (error instanceof api.Unreachable && !state.sessionReady) {
      showDraftsOffline();
    }
    failed(error);
  }
}

// The server cannot be reached on load: the last user's drafts stay
// editable here until it answers.
function showDraftsOffline() {
  const user = state.user || drafts.lastUser();
  if (!user) {
    showSignIn("The server cannot be reached. Retrying…");
    return;
  }
  state.user = user;
  if (state.cases.size === 0) {
    for (const draft of drafts.all(user.id)) {
      putFirst(draftCase(draft));
    }
    state.selected = state.cases.keys().next().value ?? null;
  }
  showWorkspace();
}

function signedIn(me) {
  api.setCsrfToken(me.csrf_token);
  if (state.user && state.user.id !== me.user_id) {
    state.cases = new Map();
    state.selected = null;
  }
  state.user = { id: me.user_id, name: me.display_name };
  drafts.rememberUser(state.user);
  showWorkspace();
}

function sessionEnded() {
  state.sessionReady = false;
  showSignIn(state.user
    ? "Your session has ended. Sign in again: your unsaved text is kept on this device."
    : "");
}

async function signIn(event) {
  event.preventDefault();
  showError("sign-in-error", "");
  const body = { username: $("username").value, password: $("password").value };
  let me;
  try {
    me = await api.request("POST", "/api/auth/login", body);
  } catch (error) {
    showError("sign-in-error", error instanceof api.Unreachable
      ? "The server cannot be reached. Try again in a moment." : error.message);
    return;
  }
  $("password").value = "";
  signedIn(me);
  await loadCases().catch(failed);
}

async function signOut() {
  await saveAll();
  const unsent = dirtyCases().map((c) => c.caseNumber);
  if (unsent.length === 0) {
    await finishSignOut();
    return;
  }
  $("sign-out-message").textContent = `Your changes to ${unsent.join(", ")} have not `
    + "reached the server yet. If you sign out, they stay on this device and are sent "
    + "when you next sign in here.";
  $("sign-out-dialog").showModal();
}

async function finishSignOut() {
  $("sign-out-dialog").close();
  try {
    await api.request("POST", "/api/auth/logout");
  } catch (error) {
    // Staying signed in is safer than a cookie that still works.
    if (!(error instanceof api.SignedOut)) {
      showBanner("Could not reach the server to sign out. Try again in a moment.");
      return;
    }
  }
  drafts.forgetUser();
  backOnline();
  Object.assign(state, { user: null, sessionReady: false, cases: new Map(), selected: null });
  api.setCsrfToken("");
  showSignIn("");
}

// --- adding and picking cases -----------------------------------------------

async function addCase(event) {
  event.preventDefault();
  showError("add-case-error", "");
  const given = $("case-number").value.trim();
  if (!given) {
    showError("add-case-error", "Enter a case number.");
    return;
  }
  try {
    if (!state.cases.has(caseKey(given))) {
      const check = await api.request("GET", `/api/cases/validate/${encodeURIComponent(given)}`);
      if (check.is_closed) {
        showError("add-case-error", `Case ${check.case_number} is closed: notes can no longer be added to it.`);
        return;
      }
      putFirst(await openCase(check.case_number));
    }
    $("case-number").value = "";
    select(caseKey(given));
    $("problem-statement").focus();
  } catch (error) {
    if (error instanceof api.Refused) {
      showError("add-case-error", error.body.message || `Case number '${given}' is not valid.`);
    } else if (error instanceof api.Unreachable) {
      showError("add-case-error", "The server cannot be reached: try adding the case again shortly.");
    } else {
      failed(error);
    }
  }
}

// The user's entry for an open case: the saved one, or a new empty one.
async function openCase(caseNumber) {
  let c;
  try {
    c = fromServer((await api.request("GET", api.caseUrl(caseNumber))).data);
  } catch (error) {
    if (!(error instanceof api.Refused && error.status === 404)) throw error;
    const { removed } = error.body;
    const empty = { problemStatement: "", fsrNotes: "" };
    const answer = await api.request("PUT", api.caseUrl(caseNumber),
      { ...empty, baseVersion: removed?.version ?? 0 });
    c = newCase(answer.case_number, empty, empty, new Date(answer.updated_at), answer.version);
    if (removed && (removed.problemStatement || removed.fsrNotes)) offerRemovedText(c, removed);
  }
  const draft = drafts.find(state.user.id, c.caseNumber);
  if (draft) applyDraft(c, draft);
  return c;
}

// Adding a removed case again starts it empty, with its old text one click away.
function offerRemovedText(c, removed) {
  const item = notice(`You removed ${c.caseNumber} from your list on `
    + `${dateTime(new Date(removed.removedAt))}. Its text from then is kept.`, [
    button("Put back the removed text", () => {
      item.remove();
      bringBack(c, textsOf(removed));
    }),
  ]);
}

// Text the user chose to have again (from the history, or a removed case):
// an edit like any other, saved at once.
function bringBack(c, texts) {
  Object.assign(c, texts);
  c.refusal = null;
  drafts.keep(state.user.id, c);
  render();
  save(c);
}

function select(key) {
  const current = selectedCase();
  if (current && caseKey(current.caseNumber) !== key) save(current);
  state.selected = key;
  render();
}

function edited() {
  const c = selectedCase();
  if (!c) return;
  c.problemStatement = $("problem-statement").value;
  c.fsrNotes = $("fsr-notes").value;
  c.refusal = null;
  drafts.keep(state.user.id, c);
  scheduleAutosave();
  render();
}

// --- conflicts: the case was saved elsewhere since its text was loaded -------

function conflicted(c, current) {
  c.conflict = current;
  if (!document.querySelector("dialog[open]")) showConflict(c);
}

function showConflict(c) {
  select(caseKey(c.caseNumber));
  const saved = c.conflict;
  $("conflict-message").textContent = `${c.caseNumber} was saved in another tab or on `
    + `another device at ${dateTime(new Date(saved.updatedAt))}, after you began these `
    + "changes. Both texts are kept until you choose.";
  $("mine-problem").textContent = c.problemStatement;
  $("mine-notes").textContent = c.fsrNotes;
  $("saved-problem").textContent = saved.problemStatement;
  $("saved-notes").textContent = saved.fsrNotes;
  $("conflict-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("conflict-dialog").showModal();
}

// ``choice``: "mine" (overwrite the saved text), "saved" (drop mine) or
// "merge" (both texts in the editor, to be edited into one).
function resolveConflict(choice) {
  const dialog = $("conflict-dialog");
  dialog.close();
  const c = state.cases.get(dialog.dataset.caseKey);
  if (!c?.conflict) return;
  const saved = c.conflict;
  const texts = { mine: textsOf(c), saved: textsOf(saved), merge: merged(c, saved) }[choice];
  Object.assign(c, texts, {
    saved: textsOf(saved), savedAt: new Date(saved.updatedAt), version: saved.version,
    conflict: null,
  });
  if (isDirty(c)) {
    drafts.keep(state.user.id, c);
  } else {
    drafts.forget(state.user.id, c.caseNumber);
  }
  render();
  if (choice === "mine") save(c);
  if (choice === "merge") {
    scheduleAutosave();
    $("problem-statement").focus();
  }
  const next = [...state.cases.values()].find((other) => other.conflict);
  if (next) showConflict(next);
}

// Field by field: where the texts differ and neither is empty, both stay in
// the field, marked, for the user to edit into one.
function merged(c, saved) {
  const texts = {};
  for (const field of ["problemStatement", "fsrNotes"]) {
    const mine = c[field];
    const theirs = saved[field];
    if (mine === theirs || !theirs) {
      texts[field] = mine;
    } else if (!mine) {
      texts[field] = theirs;
    } else {
      texts[field] = `${mine}\n\n----- saved elsewhere at ${dateTime(new Date(saved.updatedAt))} -----\n${theirs}`;
    }
  }
  return texts;
}

// --- history and removal ------------------------------------------------------

const FIELD_LABELS = { problemStatement: "Problem statement", fsrNotes: "FSR notes" };
const PREVIEW_CHARS = 120;

function showHistory() {
  const c = selectedCase();
  if (!c) return;
  $("history-title").textContent = `History of ${c.caseNumber}`;
  $("history-list").replaceChildren();
  $("history-older").hidden = true;
  $("history-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("history-dialog").showModal();
  loadHistory(c);
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

function askToRemove() {
  const c = selectedCase();
  if (!c) return;
  $("remove-message").textContent = `${c.caseNumber} leaves your list. Its text stays in `
    + "its history, and adding the case again offers it back.";
  $("remove-dialog").dataset.caseKey = caseKey(c.caseNumber);
  $("remove-dialog").showModal();
}

async function removeCase() {
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
  drafts.forget(state.user.id, c.caseNumber);
  caseGone(c);
  notice(`${c.caseNumber} was removed from your list. Add it again to have its text back.`);
}

// --- notices ------------------------------------------------------------------

function notice(message, extra = []) {
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
function noticeUnsentDraft(draft, what) {
  const text = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Show the unsent text";
  const copy = document.createElement("pre");
  copy.textContent = `Problem statement:\n${draft.problemStatement}\n\nFSR notes:\n${draft.fsrNotes}`;
  text.append(summary, copy);
  const item = notice(`${draft.caseNumber} ${what} and has left your list. `
    + "Your unsent text for it is kept on this device.", [text]);
  item.insertBefore(button("Discard the unsent text", () => {
    drafts.forget(state.user.id, draft.caseNumber);
    item.remove();
  }), item.lastChild);
}

function button(label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

// --- rendering ------------------------------------------------------------------

function showSignIn(reason) {
  $("workspace").hidden = true;
  $("account").hidden = true;
  $("sign-in-view").hidden = false;
  $("sign-in-reason").textContent = reason;
  $("sign-in-reason").hidden = !reason;
  (settings.proxySignIn ? $("sign-in-again") : $("username")).focus();
}

function showWorkspace() {
  $("sign-in-view").hidden = true;
  $("workspace").hidden = false;
  $("account").hidden = false;
  $("user-name").textContent = state.user.name;
  render();
}

function showError(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

function showBanner(message) {
  showError("connection", message);
}

function render() {
  renderCaseList();
  renderEditor();
}

function renderCaseList() {
  const list = $("case-list");
  const keys = [...state.cases.keys()];
  if (list.dataset.keys !== keys.join("\n")) {
    const focused = document.activeElement?.dataset.caseKey;
    list.replaceChildren(...keys.map((key) => {
      const item = document.createElement("li");
      const pick = button(state.cases.get(key).caseNumber, () => select(key));
      pick.dataset.caseKey = key;
      item.append(pick);
      return item;
    }));
    list.dataset.keys = keys.join("\n");
    list.querySelector(`[data-case-key="${CSS.escape(focused ?? "")}"]`)?.focus();
  }
  for (const pick of list.querySelectorAll("button")) {
    const key = pick.dataset.caseKey;
    pick.classList.toggle("unsaved", isDirty(state.cases.get(key)));
    if (key === state.selected) {
      pick.setAttribute("aria-current", "true");
    } else {
      pick.removeAttribute("aria-current");
    }
  }
  $("no-cases").hidden = state.cases.size > 0;
}

function renderEditor() {
  const c = selectedCase();
  $("editor-fields").hidden = !c;
  $("editor-heading").textContent = c ? c.caseNumber : "Pick or add a case";
  if (!c) return;
  setValue("problem-statement", c.problemStatement);
  setValue("fsr-notes", c.fsrNotes);
  renderCount("problem-count", c.problemStatement);
  renderCount("notes-count", c.fsrNotes);
  $("save-status").textContent = statusText(c);
  $("resolve-conflict").hidden = !c.conflict;
}

function setValue(id, text) {
  // Only on a real change, so that the cursor stays where the user types.
  if ($(id).value !== text) $(id).value = text;
}

function renderCount(id, text) {
  const used = [...text].length;
  $(id).textContent = `${used.toLocaleString()} / ${settings.maxChars.toLocaleString()} characters`;
  $(id).classList.toggle("near-limit", used > settings.maxChars * 0.9);
}

function statusText(c) {
  if (c.conflict) return "Changed elsewhere: not saved until you choose a text";
  if (c.sending) return "Saving…";
  if (c.refusal) return `Not saved: ${c.refusal}`;
  if (isDirty(c)) return state.offline ? OFFLINE : "Unsaved changes";
  return c.savedAt ? `Saved at ${hoursAndMinutes(c.savedAt)}` : "";
}

const hoursAndMinutes = (date) => [date.getHours(), date.getMinutes()]
  .map((n) => String(n).padStart(2, "0")).join(":");

const dateTime = (date) => date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

// --- start ------------------------------------------------------------------

function wireControls() {
  $("sign-in-form").addEventListener("submit", signIn);
  $("password-sign-in").hidden = settings.proxySignIn;
  $("sign-in-again").hidden = !settings.proxySignIn;
  // Drafts are on the device: the reload through the proxy's sign-in loses none.
  $("sign-in-again").addEventListener("click", () => window.location.reload());
  $("sign-out").addEventListener("click", signOut);
  $("sign-out-anyway").addEventListener("click", finishSignOut);
  $("stay-signed-in").addEventListener("click", () => $("sign-out-dialog").close());
  $("add-case-form").addEventListener("submit", addCase);
  for (const id of ["problem-statement", "fsr-notes"]) {
    $(id).maxLength = settings.maxChars;
    $(id).addEventListener("input", edited);
  }
  $("save-now").addEventListener("click", retryNow);
  $("resolve-conflict").addEventListener("click", () => showConflict(selectedCase()));
  $("keep-mine").addEventListener("click", () => resolveConflict("mine"));
  $("take-saved").addEventListener("click", () => resolveConflict("saved"));
  $("merge-by-hand").addEventListener("click", () => resolveConflict("merge"));
  $("show-history").addEventListener("click", showHistory);
  $("history-older").addEventListener("click", () => loadHistory(
    state.cases.get($("history-dialog").dataset.caseKey), $("history-older").dataset.before));
  $("history-close").addEventListener("click", () => $("history-dialog").close());
  $("remove-case").addEventListener("click", askToRemove);
  $("confirm-remove").addEventListener("click", removeCase);
  $("keep-case").addEventListener("click", () => $("remove-dialog").close());
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      retryNow();
    }
  });
  // The last chance to send before the tab goes away; keepalive lets the
  // request outlive the page, and the draft covers a request that does not.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveAll({ keepalive: true });
  });
  window.addEventListener("pagehide", () => saveAll({ keepalive: true }));
  window.addEventListener("online", retryNow);
}

function start() {
  wireControls();
  if ("serviceWorker" in navigator) {
    // Only needed for reloads while offline; the page works without it.
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  setInterval(checkCaseStatus, settings.caseStatusMs);
  resumeSession();
}

start();
