// Draws the Coach panel from the coach's answer (coach/engine.js): the score
// as "N of M checks", the findings (a click hands the finding to the
// handler given), the checklist by field with each missing check's hint and
// guide. Like view.js, whose helpers it uses, it imports no logic module.

import { $, button } from "./view.js";

const FIELD_NAMES = { problemStatement: "Problem statement", fsrNotes: "FSR notes", both: "Both texts" };

let drawn = null; // the answer last drawn, as JSON: an unchanged one is not drawn again

export function setCoachCollapsed(collapsed) {
  $("coach-toggle").setAttribute("aria-expanded", String(!collapsed));
  $("coach-body").hidden = collapsed;
}

/** The panel without an answer, saying why. */
export function noCoach(message) {
  drawn = null;
  $("coach-score").textContent = "";
  $("coach-message").textContent = message;
  $("coach-message").hidden = false;
  $("coach-answer").hidden = true;
}

/** The answer; ``links`` maps a check's id to its guide, ``onFinding`` gets a clicked finding. */
export function renderCoach(answer, links, onFinding) {
  const json = JSON.stringify(answer);
  if (json === drawn) return; // the focus stays on a finding the user tabbed to
  drawn = json;
  const passed = answer.checks.filter((check) => check.passed).length;
  $("coach-score").textContent = `${passed} of ${answer.checks.length} checks`;
  $("coach-message").hidden = true;
  $("coach-answer").hidden = false;
  $("coach-findings").replaceChildren(...answer.findings.map((found) => findingItem(found, onFinding)));
  $("no-findings").hidden = answer.findings.length > 0;
  $("coach-checklist").replaceChildren(...checklistGroups(answer.checks, links));
}

function findingItem(found, onFinding) {
  // A message that does not quote the words found (the check's hint) gets them in front.
  const message = found.message.includes(found.match)
    ? found.message : `“${found.match}”: ${found.message}`;
  const pick = button("", () => onFinding(found));
  pick.className = `finding severity-${found.severity}`;
  pick.dataset.check = found.check;
  pick.append(element("span", "finding-where", `${FIELD_NAMES[found.field]} · ${found.severity}`),
    element("span", "finding-message", message));
  const item = element("li");
  item.append(pick);
  return item;
}

function checklistGroups(checks, links) {
  return Object.entries(FIELD_NAMES)
    .map(([field, name]) => [name, checks.filter((check) => check.field === field)])
    .filter(([, fieldChecks]) => fieldChecks.length > 0)
    .map(([name, fieldChecks]) => {
      const group = element("section", "check-group");
      const list = element("ul", "checklist");
      list.append(...fieldChecks.map((check) => checkItem(check, links.get(check.id))));
      group.append(element("h4", "", name), list);
      return group;
    });
}

function checkItem(check, link) {
  const item = element("li", check.passed ? "check passed" : "check missing");
  item.dataset.check = check.id;
  const title = element("span", "check-title");
  title.append(element("span", "visually-hidden", check.passed ? "Passed: " : "Missing: "),
    check.title);
  const mark = element("span", "check-mark", check.passed ? "✓" : "!");
  mark.setAttribute("aria-hidden", "true"); // the words before the title say it
  item.append(mark, title);
  if (!check.passed) {
    const hint = element("p", "check-hint", `${check.hint} `);
    if (link) hint.append(guideLink(check.title, link));
    item.append(hint);
  }
  return item;
}

function guideLink(title, link) {
  // Not aria-label: the editor's fields are found by their labels, and a
  // check's title may hold one ("the problem statement").
  const guide = element("a", "", "Guide");
  guide.append(element("span", "visually-hidden", ` for “${title}”`));
  guide.href = link;
  guide.target = "_blank";
  guide.rel = "noopener noreferrer";
  return guide;
}

function element(tag, className = "", text = "") {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}
