// The customer's sign-off of the selected case's report: the signer's name
// and role and a signature on a pad (signature-pad.js), for the notes as
// they are on screen. A sign-off is kept on this device, like a draft, until
// the server has it: one taken while the server is away, or before the notes
// it signs are saved, is sent when they are. The case shows its latest
// sign-off, and "changed since sign-off" once the notes move on.

import * as api from "./api.js";
import { dateTime } from "./format.js";
import { failed, save } from "./saving.js";
import { signaturePad } from "./signature-pad.js";
import { caseKey, isDirty, selectedCase, state, textsOf } from "./state.js";
import { $, notice, showError } from "./view.js";

const UNSENT = "fsr-coach:signoffs:"; // localStorage, per user: the unsent sign-offs

let pad = null;
let sending = null;
// "<user id>:<case key>" → the case's latest sign-off on the server, null
// when it has none.
const latest = new Map();

// --- the sign-off dialog --------------------------------------------------------------

export function askForSignoff() {
  const c = selectedCase();
  if (!c) return;
  const dialog = $("signoff-dialog");
  $("signoff-title").textContent = `Customer sign-off: ${c.caseNumber}`;
  dialog.dataset.caseKey = caseKey(c.caseNumber);
  showError("signoff-error", "");
  dialog.showModal();
  pad ??= signaturePad($("signature-pad"));
  pad.clear(); // sized now that the dialog shows it
  $("signer-name").focus();
}

export function clearSignature() {
  pad.clear();
}

export async function signOff(event) {
  event.preventDefault();
  const dialog = $("signoff-dialog");
  const c = state.cases.get(dialog.dataset.caseKey);
  if (!c) {
    dialog.close(); // the case left the list meanwhile
    return;
  }
  const signerName = $("signer-name").value.trim();
  if (!signerName) {
    showError("signoff-error", "Enter the signer's name.");
    return;
  }
  if (pad.isEmpty()) {
    showError("signoff-error", "Ask the signer to sign on the pad.");
    return;
  }
  keepUnsent(state.user.id, {
    caseNumber: c.caseNumber, signerName, signerRole: $("signer-role").value.trim(),
    signature: pad.png(), texts: textsOf(c), version: isDirty(c) ? null : c.version,
    signedAt: new Date().toISOString(),
  });
  dialog.close();
  $("signer-name").value = "";
  $("signer-role").value = "";
  renderSignoffStatus();
  await save(c);
  await sendUnsentSignoffs();
}

// --- sending ---------------------------------------------------------------------------

/** Send the sign-offs kept on this device, one tab at a time. */
export function sendUnsentSignoffs() {
  if (!state.sessionReady) return Promise.resolve();
  // One at a time in this tab, and (where the browser has Web Locks) across
  // tabs: each reads the list afresh, so none is sent twice.
  sending ??= (navigator.locks
    ? navigator.locks.request(UNSENT, sendEach) : sendEach()).finally(() => {
    sending = null;
  });
  return sending;
}

async function sendEach() {
  const userId = state.user.id;
  for (const signoff of unsent(userId)) {
    if (!(await send(userId, signoff))) break; // the server is away: all wait
  }
}

// False when the server could not be reached (the sign-off stays on the device).
async function send(userId, signoff) {
  const c = state.cases.get(caseKey(signoff.caseNumber));
  const version = versionSigned(signoff, c);
  if (version === null) return true; // its notes are still to be saved
  if (version === undefined) {
    notSigned(userId, signoff, "the notes changed before they were saved");
    return true;
  }
  const { signerName, signerRole, signature } = signoff;
  try {
    const answer = await api.request("POST", `${api.caseUrl(signoff.caseNumber)}/signoff`,
      { signerName, signerRole, signature, version });
    forgetUnsent(userId, signoff);
    latest.set(latestKey(userId, signoff.caseNumber),
      { signerName, signedAt: answer.signedAt, version: answer.version });
  } catch (error) {
    if (error instanceof api.Refused) {
      notSigned(userId, signoff, error.status === 409
        ? "the notes changed since it was given" : error.message);
    } else if (error instanceof api.Unreachable) {
      return false;
    } else {
      failed(error);
      return false;
    }
  } finally {
    renderSignoffStatus();
  }
  return true;
}

/** The version of the notes a sign-off is for: the one shown when it was
 * given; for notes not saved then, the version that saved exactly them.
 * null while they may yet be saved, undefined once other text was saved
 * instead (``c``: the case on the page, if it is listed). */
export function versionSigned(signoff, c) {
  if (signoff.version !== null) return signoff.version;
  if (c?.saved && c.saved.problemStatement === signoff.texts.problemStatement
      && c.saved.fsrNotes === signoff.texts.fsrNotes) {
    return c.version;
  }
  return c && isDirty(c) ? null : undefined;
}

function notSigned(userId, signoff, why) {
  forgetUnsent(userId, signoff);
  notice(`The sign-off by ${signoff.signerName} on ${signoff.caseNumber} was not recorded: `
    + `${why}. Ask for a new sign-off.`);
}

// --- what the case shows --------------------------------------------------------------

/** On selecting a case: show its latest sign-off, then ask the server for it. */
export async function loadSignoffStatus(c) {
  renderSignoffStatus();
  if (!c) return;
  try {
    const answer = await api.request("GET", `${api.caseUrl(c.caseNumber)}/signoffs`);
    latest.set(latestKey(state.user.id, c.caseNumber), answer.signoffs[0] ?? null);
  } catch (error) {
    if (error instanceof api.SignedOut) failed(error);
    return; // not saved yet (404), or the server is away: what is known stays
  }
  renderSignoffStatus();
}

export function renderSignoffStatus() {
  const c = selectedCase();
  const waiting = c && unsent(state.user.id).findLast(
    (signoff) => caseKey(signoff.caseNumber) === caseKey(c.caseNumber));
  $("signoff-status").textContent = !c ? "" : signoffText(
    c, latest.get(latestKey(state.user.id, c.caseNumber)) ?? null, waiting ?? null);
}

/** What a case says of its sign-off: the latest the server has (``signed``)
 * or one still on this device (``waiting``). */
export function signoffText(c, signed, waiting) {
  if (waiting) {
    return `Signed by ${waiting.signerName} at ${dateTime(new Date(waiting.signedAt))}`
      + " — kept on this device until the server has it";
  }
  if (!signed) return "";
  const text = `Signed by ${signed.signerName} at ${dateTime(new Date(signed.signedAt))}`
    + ` (version ${signed.version})`;
  return isDirty(c) || c.version !== signed.version ? `${text} · changed since sign-off` : text;
}

const latestKey = (userId, caseNumber) => `${userId}:${caseKey(caseNumber)}`;

// --- kept on this device -----------------------------------------------------------------

function unsent(userId) {
  try {
    const list = JSON.parse(localStorage.getItem(`${UNSENT}${userId}`));
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function keepUnsent(userId, signoff) {
  localStorage.setItem(`${UNSENT}${userId}`, JSON.stringify([...unsent(userId), signoff]));
}

function forgetUnsent(userId, signoff) {
  const rest = unsent(userId).filter((other) => other.signedAt !== signoff.signedAt
    || other.caseNumber !== signoff.caseNumber);
  localStorage.setItem(`${UNSENT}${userId}`, JSON.stringify(rest));
}
