// FSR Coach's page: sign in, pick or add a case, write, and never lose a word.
// This module wires the controls to the modules that do the work, and starts.
//
//   state.js     what the page knows (no DOM, no network); subscribe() for features
//   view.js      draws the state: sign-in or workspace, list, editor, status, notices
//   session.js   signing in and out, resuming a session, the drafts while offline
//   cases.js     the list: loading it with an earlier visit's drafts, adding, picking
//   statuses.js  cases leaving the list: closed (now, or since the last visit), removed
//   editor.js    typing: the draft, the autosave, the limit (limit.js counts characters)
//   saving.js    saves, their back-off while the server is away, the autosave
//   conflict.js  the conflict dialog (merge.js: its merge)
//   history.js   a case's history and its removal
//   groups.js    My cases' groups: assigned to the user, shared with them (list-view.js)
//   team.js      the team dialog: members, permissions, hand over (team-view.js draws)
//   team-notes.js  teammates' notes on the selected case, saved as one's own are
//   report.js    the report's exports
//   signoff.js   the customer's sign-off, kept on the device until sent (signature-pad.js)
//   coach-panel.js  the Coach panel: the texts coached as they are typed (coach-view.js
//                draws it, coach/engine.js coaches)
//   api.js the server, drafts.js the device, settings.js, format.js dates and lists
//
// Logic modules call the view, never the other way round, and call each
// other (a save that meets a conflict opens the dialog, which saves again):
// no module but this one runs anything on import, so the order of imports
// does not matter. A feature module of its own gets its controls wired here
// and follows the editor with state.subscribe("selected" | "edited").

import { addCase } from "./cases.js";
import { coachEdited, showCoachFor, toggleCoach } from "./coach-panel.js";
import { resolveConflict, showConflict } from "./conflict.js";
import { edited, refuseOverLimit } from "./editor.js";
import { pickCase } from "./groups.js";
import { askToRemove, removeCase, showHistory, showOlderHistory } from "./history.js";
import { onPickCase } from "./list-view.js";
import { exportReport } from "./report.js";
import { retryNow, saveAll } from "./saving.js";
import { finishSignOut, resumeSession, signIn, signOut } from "./session.js";
import { loadSettings, settings } from "./settings.js";
import {
  askForSignoff, clearSignature, loadSignoffStatus, renderSignoffStatus, sendUnsentSignoffs,
  signOff,
} from "./signoff.js";
import { selectedCase, subscribe } from "./state.js";
import { checkCaseStatus } from "./statuses.js";
import { refreshTeam, teamNoteEdited, teamNotesSelected } from "./team-notes.js";
import { onTeamNoteEdit } from "./team-view.js";
import {
  leaveTeam, searchPeople, searchPeopleNow, showTeam, takeCase, unassign,
} from "./team.js";
import { $, clearTextRefusals } from "./view.js";

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
  onPickCase(pickCase);
  for (const id of ["problem-statement", "fsr-notes"]) {
    $(id).addEventListener("beforeinput", refuseOverLimit);
    $(id).addEventListener("input", edited);
  }
  subscribe("selected", clearTextRefusals);
  $("save-now").addEventListener("click", retryNow);

  $("resolve-conflict").addEventListener("click", () => showConflict(selectedCase()));
  $("keep-mine").addEventListener("click", () => resolveConflict("mine"));
  $("take-saved").addEventListener("click", () => resolveConflict("saved"));
  $("merge-by-hand").addEventListener("click", () => resolveConflict("merge"));

  $("show-history").addEventListener("click", showHistory);
  $("history-older").addEventListener("click", showOlderHistory);
  $("history-close").addEventListener("click", () => $("history-dialog").close());
  $("remove-case").addEventListener("click", askToRemove);
  $("confirm-remove").addEventListener("click", removeCase);
  $("keep-case").addEventListener("click", () => $("remove-dialog").close());
}

function wireTeam() {
  $("show-team").addEventListener("click", showTeam);
  $("team-close").addEventListener("click", () => $("team-dialog").close());
  $("take-case").addEventListener("click", takeCase);
  $("unassign").addEventListener("click", unassign);
  $("leave-team").addEventListener("click", leaveTeam);
  $("person-search").addEventListener("input", searchPeople);
  $("add-person").addEventListener("submit", searchPeopleNow);
  onTeamNoteEdit(teamNoteEdited);
  subscribe("selected", teamNotesSelected);
  setInterval(refreshTeam, settings.caseStatusMs);
}

function wireReport() {
  $("export-pdf").addEventListener("click", () => exportReport("pdf"));
  $("export-markdown").addEventListener("click", () => exportReport("md"));
  $("customer-signoff").addEventListener("click", askForSignoff);
  $("signoff-form").addEventListener("submit", signOff);
  $("clear-signature").addEventListener("click", clearSignature);
  $("cancel-signoff").addEventListener("click", () => $("signoff-dialog").close());
  subscribe("selected", loadSignoffStatus);
  subscribe("edited", renderSignoffStatus);
  // Sign-offs kept on the device go when the server answers again.
  window.addEventListener("online", sendUnsentSignoffs);
  setInterval(sendUnsentSignoffs, settings.autosaveMs);
}

function wireCoach() {
  $("coach-toggle").addEventListener("click", toggleCoach);
  subscribe("selected", showCoachFor);
  subscribe("edited", coachEdited);
}

function wireSaving() {
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
  loadSettings(document.body.dataset);
  wireControls();
  wireTeam();
  wireReport();
  wireCoach();
  wireSaving();
  if ("serviceWorker" in navigator) {
    // Only needed for reloads while offline; the page works without it.
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  setInterval(checkCaseStatus, settings.caseStatusMs);
  resumeSession();
}

start();
