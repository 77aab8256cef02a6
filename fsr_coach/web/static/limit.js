// The texts' limit (MAX_TEXT_CHARS) as the server counts it: in Unicode
// code points, so that an emoji is one character, not the two UTF-16 units
// a textarea's maxLength counts. No DOM here: a field is anything with a
// value, selectionStart and selectionEnd.

export const charCount = (text) => [...text].length;

/** What a beforeinput event of type insert… would put in its field. */
export function insertedText(event) {
  if (event.inputType === "insertLineBreak" || event.inputType === "insertParagraph") return "\n";
  return event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
}

/** The field's characters that stay when its selection is typed over. */
export function charsKept(field) {
  return charCount(field.value) - charCount(field.value.slice(field.selectionStart, field.selectionEnd));
}

/** The message for ``adding`` characters refused beside ``kept`` ones. */
export function notAddedText(adding, kept, max) {
  const what = adding === 1 ? "1 character" : `${adding.toLocaleString()} characters`;
  return `${what} not added: the limit is ${max.toLocaleString()} characters, `
    + `${Math.max(max - kept, 0).toLocaleString()} left.`;
}
