// My cases, drawn from state.js in three groups (state.caseGroups): Assigned
// to me, My notes, Shared with me; each case once, the selected one marked,
// a case with text not yet on the server marked too. A case picked goes to
// the handler given to onPickCase. A view module: it imports no logic module.

import { caseGroups, isDirty, listedCaseNumber, state } from "./state.js";
import { $, button } from "./view.js";

// Each group: its name in caseGroups(), its list and the section holding both.
const GROUPS = [
  ["assigned", "assigned-list", "assigned-group"],
  ["mine", "case-list", "mine-group"],
  ["shared", "shared-list", "shared-group"],
];

let pickCase = () => {};

export function onPickCase(handler) {
  pickCase = handler;
}

export function renderCaseList() {
  const groups = caseGroups();
  for (const [group, listId, sectionId] of GROUPS) {
    renderGroup($(listId), groups[group]);
    $(sectionId).hidden = groups[group].length === 0;
  }
  $("no-cases").hidden = Object.values(groups).some((keys) => keys.length > 0);
}

function renderGroup(list, keys) {
  if (list.dataset.keys !== keys.join("\n")) {
    const focused = document.activeElement?.dataset.caseKey;
    list.replaceChildren(...keys.map((key) => {
      const item = document.createElement("li");
      const pick = button(listedCaseNumber(key), () => pickCase(key));
      pick.dataset.caseKey = key;
      item.append(pick);
      return item;
    }));
    list.dataset.keys = keys.join("\n");
    list.querySelector(`[data-case-key="${CSS.escape(focused ?? "")}"]`)?.focus();
  }
  for (const pick of list.querySelectorAll("button")) {
    const key = pick.dataset.caseKey;
    const c = state.cases.get(key);
    pick.classList.toggle("unsaved", Boolean(c) && isDirty(c));
    if (key === state.selected) {
      pick.setAttribute("aria-current", "true");
    } else {
      pick.removeAttribute("aria-current");
    }
  }
}
