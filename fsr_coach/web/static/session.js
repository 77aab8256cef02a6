// Signing in and out. On load the page resumes the session the cookie
// holds; when the server cannot be reached, the last user's drafts stay
// editable until it answers. An ended session asks the user to sign in
// again and keeps every unsent text on the device.

import * as api from "./api.js";
import { loadCases } from "./cases.js";
import * as drafts from "./drafts.js";
import { backOnline, failed, saveAll } from "./saving.js";
import {
  dirtyCases, draftCase, entryName, firstKey, forgetCases, putFirst, selectCase, state,
} from "./state.js";
import { $, showBanner, showError, showSignIn, showWorkspace } from "./view.js";

export async function resumeSession() {
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
    selectCase(firstKey());
  }
  showWorkspace();
}

function signedIn(me) {
  api.setCsrfToken(me.csrf_token);
  if (state.user && state.user.id !== me.user_id) {
    forgetCases();
    selectCase(null);
  }
  // The username takes a case for oneself (team.js); the device keeps only id and name.
  state.user = { id: me.user_id, name: me.display_name, username: me.username };
  drafts.rememberUser({ id: state.user.id, name: state.user.name });
  showWorkspace();
}

export function sessionEnded() {
  state.sessionReady = false;
  showSignIn(state.user
    ? "Your session has ended. Sign in again: your unsaved text is kept on this device."
    : "");
}

export async function signIn(event) {
  event.preventDefault();
  showError("sign-in-error", "");
  const body = { username: $("username").value, password: $("password").value };
  let me;
  try {
    me = await api.request("POST", "/api/auth/login", body);
  } catch (error) {
    showError("sign-in-error", signInRefusal(error));
    return;
  }
  $("password").value = "";
  signedIn(me);
  await loadCases().catch(failed);
}

function signInRefusal(error) {
  if (error instanceof api.TooManyRequests) {
    const when = error.retryAfter === null ? "in a moment" : `in ${error.retryAfter} s`;
    return `Too many sign-in attempts. Try again ${when}.`;
  }
  return error instanceof api.Unreachable
    ? "The server cannot be reached. Try again in a moment." : error.message;
}

export async function signOut() {
  await saveAll();
  const unsent = dirtyCases().map(entryName);
  if (unsent.length === 0) {
    await finishSignOut();
    return;
  }
  $("sign-out-message").textContent = `Your changes to ${unsent.join(", ")} have not `
    + "reached the server yet. If you sign out, they stay on this device and are sent "
    + "when you next sign in here.";
  $("sign-out-dialog").showModal();
}

export async function finishSignOut() {
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
  forgetCases();
  Object.assign(state, { user: null, sessionReady: false });
  selectCase(null);
  api.setCsrfToken("");
  showSignIn("");
}
