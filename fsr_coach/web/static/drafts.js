// What the page keeps on this device (localStorage). Above all unsent text,
// from the keystroke until the server has acknowledged exactly that text;
// also who last signed in here and which cases were listed for them. Keyed
// by user, so two people sharing a browser never see each other's drafts.
//
// A draft is of a target: {caseNumber}, the user's own notes on the case, or
// {caseNumber, author}, a teammate's notes on it (author: {user_id, ...}),
// keyed by the author too.

const PREFIX = "fsr-coach:draft:";
const LAST_USER = "fsr-coach:last-user";
const LISTED = "fsr-coach:listed:";

function draftKey(userId, { caseNumber, author }) {
  const own = `${PREFIX}${userId}:${caseNumber.toUpperCase()}`;
  return author ? `${own}:by:${author.user_id}` : own;
}

// ``version`` is the server's version the text was edited from: sent later
// as baseVersion, so that a stale draft can never overwrite newer text.
export function keep(userId, target) {
  const { caseNumber, author, problemStatement, fsrNotes, version } = target;
  const draft = { caseNumber, problemStatement, fsrNotes, baseVersion: version };
  if (author) draft.author = author;
  localStorage.setItem(draftKey(userId, target), JSON.stringify(draft));
}

/** Forget the draft if it still holds ``sent``: newer typing stays. */
export function forgetIfSent(userId, target, sent) {
  const draft = find(userId, target);
  if (draft && draft.problemStatement === sent.problemStatement
      && draft.fsrNotes === sent.fsrNotes) {
    localStorage.removeItem(draftKey(userId, target));
  }
}

export function forget(userId, target) {
  localStorage.removeItem(draftKey(userId, target));
}

export function find(userId, target) {
  return parse(localStorage.getItem(draftKey(userId, target)));
}

/** All of a user's drafts of their own notes, oldest key first (a
 * teammate's notes go back into them when their case is opened). */
export function all(userId) {
  const prefix = `${PREFIX}${userId}:`;
  const drafts = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key.startsWith(prefix)) {
      const draft = parse(localStorage.getItem(key));
      if (draft && !draft.author) drafts.push(draft);
    }
  }
  return drafts;
}

function parse(text) {
  try {
    const draft = JSON.parse(text);
    return typeof draft?.caseNumber === "string" ? draft : null;
  } catch {
    return null;
  }
}

// Who last signed in here (id and name only), so that a reload while the
// server is unreachable can still show that user's drafts.
export function rememberUser(user) {
  localStorage.setItem(LAST_USER, JSON.stringify(user));
}

export function forgetUser() {
  localStorage.removeItem(LAST_USER);
}

export function lastUser() {
  try {
    return JSON.parse(localStorage.getItem(LAST_USER));
  } catch {
    return null;
  }
}

// The case numbers the page last listed for a user, so that the next visit
// can name those closed since.
export function rememberListed(userId, caseNumbers) {
  localStorage.setItem(`${LISTED}${userId}`, JSON.stringify(caseNumbers));
}

export function lastListed(userId) {
  try {
    const caseNumbers = JSON.parse(localStorage.getItem(`${LISTED}${userId}`));
    return Array.isArray(caseNumbers) ? caseNumbers.filter((n) => typeof n === "string") : [];
  } catch {
    return [];
  }
}
