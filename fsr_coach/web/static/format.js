// Dates as the page shows them, in the user's locale.

export const hoursAndMinutes = (date) => [date.getHours(), date.getMinutes()]
  .map((n) => String(n).padStart(2, "0")).join(":");

export const dateTime = (date) => date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
