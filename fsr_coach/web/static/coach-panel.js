// The Coach panel's logic: the selected case's texts coached as the user
// types, by the page's own engine (coach/engine.js) on the rubric the server
// serves, kept on the device so that it coaches offline too. It only
// listens (state.subscribe) and draws after a timer: a save never waits for
// it, and nothing it does can fail one.

import * as api from "./api.js";
import { compileRubric, evaluate } from "./coach/engine.js";
import { noCoach, renderCoach, setCoachCollapsed } from "./coach-view.js";
import { selectedCase, state } from "./state.js";
import { $ } from "./view.js";

const RUBRIC_URL = "/api/coach/rubric";
const RUBRIC_KEY = "fsr-coach:coach-rubric";
const collapsedKey = (userId) => `fsr-coach:coach-collapsed:${userId}`;

// Coached once typing pauses, and at least once a second while it goes on.
const PAUSE_MS = 250;
const MOST_BEHIND_MS = 1000;
// The rubric is asked for again (a 304 while unchanged) on picking a case,
// but not more often than this; sooner while the device has none.
const ASK_AGAIN_MS = 5 * 60 * 1000;
const ASK_AGAIN_WITHOUT_MS = 10 * 1000;
// A request left unanswered (a proxy holding it) is given up, to be asked again.
const ASK_TIMEOUT_MS = 15 * 1000;

const EDITOR_FIELDS = { problemStatement: "problem-statement", fsrNotes: "fsr-notes" };

let coach = null; // the compiled rubric
let asking = false;
let nextAskAt = 0;
let timer = null;
let waitingSince = null;

/** On "selected": the panel follows the editor, coached at once. */
export function showCoachFor(c) {
  $("coach").hidden = !c;
  if (!c) return;
  setCoachCollapsed(localStorage.getItem(collapsedKey(state.user.id)) !== null);
  askForRubric();
  coachSoon(0);
}

/** On "edited": coached once typing pauses, at most a second behind. */
export function coachEdited() {
  coachSoon(PAUSE_MS);
}

function coachSoon(wait) {
  const now = performance.now();
  waitingSince ??= now;
  clearTimeout(timer);
  timer = setTimeout(coachNow, Math.min(wait, Math.max(0, waitingSince + MOST_BEHIND_MS - now)));
}

function coachNow() {
  clearTimeout(timer);
  timer = null;
  waitingSince = null;
  const c = selectedCase();
  if (!c) return;
  coach ??= keptCoach();
  if (!coach) {
    askForRubric();
    noCoach("The coach needs the server once, to load its checklist.");
    return;
  }
  try {
    const answer = evaluate(coach, c.problemStatement, c.fsrNotes);
    renderCoach(answer, guideLinks(coach), selectFinding);
  } catch {
    noCoach("The coach could not read its checklist.");
  }
}

export function toggleCoach() {
  const collapsed = $("coach-toggle").getAttribute("aria-expanded") === "true";
  setCoachCollapsed(collapsed);
  const key = collapsedKey(state.user.id);
  if (collapsed) {
    localStorage.setItem(key, "1");
  } else {
    localStorage.removeItem(key);
  }
}

// --- the rubric, from the server or the device ----------------------------------------

// The server's rubric when it changed since the copy kept here (ETag),
// else the copy; a failure to ask leaves the copy in use.
async function askForRubric() {
  if (asking || performance.now() < nextAskAt) return;
  asking = true;
  let answered = false;
  coach ??= keptCoach();
  try {
    // A kept copy that no longer compiles is asked for whole.
    const answer = await api.requestIfChanged(RUBRIC_URL, coach ? keptRubric()?.etag : null,
      ASK_TIMEOUT_MS);
    if (answer) {
      coach = compileRubric(answer.body);
      localStorage.setItem(RUBRIC_KEY, JSON.stringify({ etag: answer.etag, rubric: answer.body }));
    }
    answered = true;
  } catch {
    // Offline, signed out or failing: the kept copy coaches meanwhile.
  } finally {
    asking = false;
    nextAskAt = performance.now() + (answered ? ASK_AGAIN_MS : ASK_AGAIN_WITHOUT_MS);
  }
  coachSoon(0);
}

function keptRubric() {
  try {
    return JSON.parse(localStorage.getItem(RUBRIC_KEY));
  } catch {
    return null;
  }
}

function keptCoach() {
  const kept = keptRubric();
  try {
    return kept ? compileRubric(kept.rubric) : null;
  } catch {
    return null;
  }
}

function guideLinks({ rubric }) {
  return new Map(rubric.checks.map((check) => [check.id, check.link]));
}

// --- a finding's words, selected in the editor --------------------------------------

/** The UTF-16 index (a textarea's) of code point ``codePoints`` of ``text``
 * (the coach's offsets are the server's: code points). */
export function utf16Offset(text, codePoints) {
  let units = 0;
  for (let point = 0; point < codePoints && units < text.length; point += 1) {
    units += text.codePointAt(units) > 0xFFFF ? 2 : 1;
  }
  return units;
}

// The finding's words are selected while the text still holds them there;
// typed on since, the panel catches up instead.
function selectFinding(finding) {
  const field = $(EDITOR_FIELDS[finding.field]);
  const start = utf16Offset(field.value, finding.start);
  const end = utf16Offset(field.value, finding.end);
  if (field.value.slice(start, end) !== finding.match) {
    coachNow();
    return;
  }
  field.setSelectionRange(start, end);
  field.focus();
}
