// The team dialog of the selected case: its assignee and members with their
// permissions. For an admin of the case: Add person (a search of the users,
// as the user types), the new member's permission, a member's permission
// changed, Remove, Hand over (or Assign, when no one is assigned) and
// Unassign. For anyone: Take this case when it is unassigned; for a member:
// Leave team. Each change answers with the team, drawn again; My cases and
// the team notes follow it at once (team-notes.js).

import * as api from "./api.js";
import { failed } from "./saving.js";
import { isMe, listedCaseNumber, state } from "./state.js";
import { refreshTeam } from "./team-notes.js";
import { drawPeople, drawTeam } from "./team-view.js";
import { $, showError } from "./view.js";

// Long enough to let a word be typed, short enough to feel immediate.
const SEARCH_DELAY_MS = 250;

let shown = null; // the team on show: GET .../team's answer
let searchTimer = null;

const member = (username) => `${api.teamUrl(shown.case_number)}/${encodeURIComponent(username)}`;

const ACTIONS = {
  setPermission: (username, permission) => changeTeam("PUT", member(username), { permission }),
  add: (username) => changeTeam("PUT", member(username), { permission: $("new-permission").value }),
  remove: (username) => changeTeam("DELETE", member(username)),
  handOver: (username) => changeTeam("PUT", api.assigneeUrl(shown.case_number), { username }),
};

export async function showTeam() {
  const caseNumber = listedCaseNumber(state.selected);
  if (!caseNumber) return;
  shown = null;
  $("team-title").textContent = `Team of ${caseNumber}`;
  $("team-assignee").textContent = "Loading…";
  $("team-members").replaceChildren();
  $("person-search").value = "";
  $("person-results").replaceChildren();
  showError("team-error", "");
  $("team-dialog").showModal();
  await answered(api.request("GET", api.teamUrl(caseNumber)));
}

export const takeCase = () => changeTeam("PUT", api.assigneeUrl(shown.case_number),
  { username: state.user.username });
export const unassign = () => changeTeam("DELETE", api.assigneeUrl(shown.case_number));
// Leave team shows only to a member: the team names them.
export const leaveTeam = () => changeTeam("DELETE", member(shown.members.find(isMe).username));

async function changeTeam(method, path, body) {
  if (!shown) return;
  if (await answered(api.request(method, path, body))) await refreshTeam();
}

// True once ``request`` answered with the team, drawn; else its refusal says why.
async function answered(request) {
  showError("team-error", "");
  try {
    shown = await request;
  } catch (error) {
    if (error instanceof api.Refused) {
      showError("team-error", error.message);
    } else if (error instanceof api.Unreachable) {
      showError("team-error", "The server cannot be reached: try again shortly.");
    } else {
      $("team-dialog").close();
      failed(error);
    }
    return false;
  }
  drawTeam(shown, Boolean(state.user.username), ACTIONS);
  findPeople();
  return true;
}

/** On typing in Add person: search once the typing pauses. */
export function searchPeople() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(findPeople, SEARCH_DELAY_MS);
}

/** Enter in Add person: search now. */
export function searchPeopleNow(event) {
  event.preventDefault();
  clearTimeout(searchTimer);
  findPeople();
}

async function findPeople() {
  const q = $("person-search").value.trim();
  if (!q || !shown) {
    $("person-results").replaceChildren();
    return;
  }
  try {
    const answer = await api.request("GET", `/api/users?q=${encodeURIComponent(q)}`);
    // An answer to an older query than the box now holds is not drawn.
    if ($("person-search").value.trim() === q) drawPeople(answer.users, shown, ACTIONS);
  } catch (error) {
    if (error instanceof api.SignedOut) {
      $("team-dialog").close();
      failed(error);
    } else {
      showError("team-error", error instanceof api.Unreachable
        ? "The server cannot be reached: try again shortly." : error.message);
    }
  }
}
