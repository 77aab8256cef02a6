// The team, drawn: the selected case's teammates' notes under their authors'
// names (read-only without write), and the team dialog's members and the
// people found to add. What the controls do comes in as handlers
// (onTeamNoteEdit, and the actions team.js hands to drawTeam). A view
// module: it imports no logic module.

import { dateTime, statusText } from "./format.js";
import { isMe, state } from "./state.js";
import { $, button } from "./view.js";

export const PERMISSIONS = { read: "Read", write: "Write", admin: "Admin" };

let teamNoteEdited = () => {};

export function onTeamNoteEdit(handler) {
  teamNoteEdited = handler;
}

export const personName = (user) => `${user.display_name} (${user.username})`;

// --- team notes --------------------------------------------------------------------

export function renderTeamNotes() {
  const shown = state.sessionReady && state.selected !== null;
  $("team-section").hidden = !shown;
  if (!shown) return;
  const { caseKey, keys, message, permission } = state.team;
  const canWrite = permission === "write" || permission === "admin";
  const current = caseKey === state.selected ? keys : [];
  $("team-message").textContent = caseKey === state.selected ? message : "";
  const box = $("team-notes");
  if (box.dataset.keys !== current.join("\n")) {
    box.replaceChildren(...current.map((key) => noteSection(key, state.teamNotes.get(key))));
    box.dataset.keys = current.join("\n");
  }
  for (const section of box.children) {
    const c = state.teamNotes.get(section.dataset.entryKey);
    const [problem, notes] = section.querySelectorAll("textarea");
    setValue(problem, c.problemStatement);
    setValue(notes, c.fsrNotes);
    problem.readOnly = !canWrite;
    notes.readOnly = !canWrite;
    section.querySelector(".team-status").textContent = canWrite
      ? statusText(c, state.retrying) : "Read only: your permission on this case is Read";
  }
}

function noteSection(key, c) {
  const section = document.createElement("section");
  section.className = "team-note";
  section.dataset.entryKey = key;
  section.setAttribute("aria-label", `Notes by ${c.author.display_name}`);
  const heading = document.createElement("h3");
  heading.textContent = c.author.display_name;
  const id = `team-${c.author.user_id}`;
  const fields = [["problem", "Problem statement", 4], ["notes", "FSR notes", 8]]
    .flatMap(([name, label, rows]) => textField(`${id}-${name}`, label, rows));
  const status = document.createElement("p");
  status.className = "team-status";
  status.setAttribute("aria-live", "polite");
  section.append(heading, ...fields, status);
  const [problem, notes] = section.querySelectorAll("textarea");
  const edited = () => teamNoteEdited(key,
    { problemStatement: problem.value, fsrNotes: notes.value });
  problem.addEventListener("input", edited);
  notes.addEventListener("input", edited);
  return section;
}

function textField(id, text, rows) {
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = text;
  const area = document.createElement("textarea");
  area.id = id;
  area.rows = rows;
  return [label, area];
}

function setValue(area, text) {
  // Only on a real change, so that the cursor stays where the user types.
  if (area.value !== text) area.value = text;
}

export function focusTeamNote(key) {
  $("team-notes").querySelector(`[data-entry-key="${CSS.escape(key)}"] textarea`)?.focus();
}

// --- the team dialog ---------------------------------------------------------------

/** Draw ``team`` (GET .../team); ``actions`` holds setPermission, handOver
 * and remove (each given a username). ``canTake``: whether the user may
 * take the case, unassigned, for themselves. */
export function drawTeam(team, canTake, actions) {
  const admin = team.my_permission === "admin";
  const member = team.members.some(isMe);
  $("team-title").textContent = `Team of ${team.case_number}`;
  $("team-assignee").textContent = team.assignee
    ? `Assigned to ${personName(team.assignee)} since ${dateTime(new Date(team.assigned_at))}.`
    : "Not assigned.";
  $("take-case").hidden = Boolean(team.assignee) || !canTake;
  $("unassign").hidden = !(admin && team.assignee);
  $("leave-team").hidden = !member;
  $("team-members").replaceChildren(...team.members.map((m) => memberItem(m, admin, actions)));
  $("team-no-members").hidden = team.members.length > 0;
  $("add-person").hidden = !admin;
}

function memberItem(m, admin, actions) {
  const item = document.createElement("li");
  const who = document.createElement("span");
  who.textContent = admin ? personName(m) : `${personName(m)} — ${PERMISSIONS[m.permission]}`;
  item.append(who);
  if (!admin) return item;
  const choice = document.createElement("select");
  choice.setAttribute("aria-label", `Permission of ${m.display_name}`);
  choice.append(...Object.entries(PERMISSIONS).map(([value, text]) => new Option(text, value)));
  choice.value = m.permission;
  choice.addEventListener("change", () => actions.setPermission(m.username, choice.value));
  const handOver = button("Hand over", () => actions.handOver(m.username));
  const remove = button("Remove", () => actions.remove(m.username));
  item.append(choice, labelled(handOver, `Hand over to ${m.display_name}`),
    labelled(remove, `Remove ${m.display_name}`));
  return item;
}

/** The people found for Add person, but the assignee: each to add (with the
 * permission chosen) or to hand the case over to (``actions``: add, handOver). */
export function drawPeople(users, team, actions) {
  const verb = team.assignee ? "Hand over to" : "Assign to";
  $("person-results").replaceChildren(...users
    .filter((user) => user.user_id !== team.assignee?.user_id)
    .map((user) => {
      const item = document.createElement("li");
      const who = document.createElement("span");
      who.textContent = personName(user);
      const add = button("Add", () => actions.add(user.username));
      const assign = button(team.assignee ? "Hand over" : "Assign",
        () => actions.handOver(user.username));
      item.append(who, labelled(add, `Add ${user.display_name}`),
        labelled(assign, `${verb} ${user.display_name}`));
      return item;
    }));
}

function labelled(element, label) {
  element.setAttribute("aria-label", label);
  return element;
}
