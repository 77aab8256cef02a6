// Dates as the page shows them (in the user's locale), and lists in words.

export const hoursAndMinutes = (date) => [date.getHours(), date.getMinutes()]
  .map((n) => String(n).padStart(2, "0")).join(":");

export const dateTime = (date) => date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

/** "A", "A and B", "A, B and C". */
export function joinedWithAnd(items) {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
