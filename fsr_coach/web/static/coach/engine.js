// The coach in the page: evaluates the rubric GET /api/coach/rubric serves
// and answers exactly as POST /api/coach does (fsr_coach/coach/engine.py,
// step for step): the same checks, score and findings, with offsets in
// Unicode code points (a JavaScript string counts UTF-16 units). Pure:
// nothing runs on import and nothing is kept between calls.
//
//   const coach = compileRubric(await (await fetch("/api/coach/rubric")).json());
//   const answer = evaluate(coach, problemStatement, fsrNotes);

const SURROGATE = /[\uD800-\uDFFF]/;

// The served rubric with its patterns compiled. Each source holds the
// macros {word} and {space}; the rubric carries their ranges.
export function compileRubric(rubric) {
  const expand = (source) => Object.entries(rubric.classes).reduce(
    (text, [name, ranges]) => text.split(`{${name}}`).join(ranges), source);
  const patterns = new Map();
  for (const check of rubric.checks) {
    for (const test of check.tests) {
      for (const served of [test.pattern, test.if, test.then, test.terms]) {
        if (served && !patterns.has(served.source)) {
          patterns.set(served.source, compilePattern(expand(served.source)));
        }
      }
    }
  }
  return { rubric, wordStart: compilePattern(expand(rubric.wordStart)), patterns };
}

function compilePattern(source) {
  // "u": code points, as Python's re sees them; "g" for every match;
  // "starts": empty, wherever a match can start (patterns/char_classes.py's starts_source).
  return { any: new RegExp(source, "u"), every: new RegExp(source, "gu"),
    starts: new RegExp(`(?=(?:${source}))`, "gu") };
}

// The coach's answer for two texts, as POST /api/coach returns it.
export function evaluate(coach, problemStatement, fsrNotes) {
  const texts = {
    problemStatement: new Text(problemStatement, coach.wordStart),
    fsrNotes: new Text(fsrNotes, coach.wordStart),
  };
  const checks = [];
  const findings = [];
  for (const check of coach.rubric.checks) {
    const [passed, found] = runCheck(coach, check, texts);
    checks.push({ id: check.id, field: check.field, title: check.title, weight: check.weight,
      passed, hint: check.hint });
    for (const [field, start, end, message] of found) {
      findings.push(finding(check, texts[field], field, start, end, message));
    }
  }
  return { rubric: { name: coach.rubric.name, version: coach.rubric.version },
    score: score(checks), checks, findings };
}

// The passed checks' weight over all weights, 0-100, halves rounded up.
export function score(checks) {
  const total = checks.reduce((sum, check) => sum + check.weight, 0);
  const passed = checks.reduce((sum, check) => sum + (check.passed ? check.weight : 0), 0);
  return Math.floor((200 * passed + total) / (2 * total));
}

// One field's text, as written and with A-Z lowered, and the conversion
// of its UTF-16 offsets to code points and back.
class Text {
  constructor(text, wordStart) {
    this.original = text;
    this.lowered = text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
    this.hasWords = wordStart.any.test(text);
    this.points = null;
    this.units = null;
    if (SURROGATE.test(text)) {
      this.mapOffsets();
    }
  }

  matchedBy(pattern) {
    return pattern.caseSensitive ? this.original : this.lowered;
  }

  mapOffsets() {
    const text = this.original;
    this.points = new Int32Array(text.length + 1);
    this.units = [];
    let point = 0;
    for (let unit = 0; unit < text.length; unit += 1) {
      this.points[unit] = point;
      const code = text.charCodeAt(unit);
      const pairs = code >= 0xD800 && code <= 0xDBFF && unit + 1 < text.length
        && (text.charCodeAt(unit + 1) & 0xFC00) === 0xDC00;
      this.units.push(unit);
      if (pairs) {
        unit += 1;
        this.points[unit] = point;
      }
      point += 1;
    }
    this.points[text.length] = point;
    this.units.push(text.length);
  }

  codePoint(unit) {
    return this.points ? this.points[unit] : unit;
  }

  unit(codePoint) {
    return this.units ? this.units[codePoint] : codePoint;
  }
}

// [passed, [[field, start, end, message]]] of one check: its first
// maxFindings findings, in the order of its tests and fields. A check whose
// fields hold no word fails without being looked at.
function runCheck(coach, check, texts) {
  const fields = check.field === "both" ? ["problemStatement", "fsrNotes"] : [check.field];
  const names = fields.filter((name) => texts[name].hasWords);
  if (names.length === 0) {
    return [false, []];
  }
  let passed = true;
  const found = [];
  for (const test of check.tests) {
    const room = coach.rubric.maxFindings - found.length;
    const [testPassed, testFound] = TESTS[test.kind](coach, test, names, texts, room);
    passed = passed && testPassed;
    found.push(...testFound);
  }
  return [passed, found];
}

// [passed, the first "room" findings]: no more are looked for, but one, to
// tell whether the test passes.
function first(findings, room) {
  const found = [];
  for (const finding of findings) {
    found.push(finding);
    if (found.length >= Math.max(room, 1)) {
      break;
    }
  }
  return [found.length === 0, found.slice(0, room)];
}

function* spans(text, regex, matched) {
  for (const match of matched.matchAll(regex)) {
    yield [text.codePoint(match.index), text.codePoint(match.index + match[0].length)];
  }
}

function existence(coach, test, names, texts) {
  const regex = coach.patterns.get(test.pattern.source).any;
  return [names.some((name) => regex.test(texts[name].matchedBy(test.pattern))), []];
}

function absence(coach, test, names, texts, room) {
  const regex = coach.patterns.get(test.pattern.source).every;
  function* findings() {
    for (const name of names) {
      for (const [start, end] of spans(texts[name], regex, texts[name].matchedBy(test.pattern))) {
        yield [name, start, end, test.message];
      }
    }
  }
  return first(findings(), room);
}

// Each match of "if" needs a match of "then" in the same field: anywhere, or,
// with "within", one starting at most "within" code points after its end.
function conditional(coach, test, names, texts, room) {
  const trigger = coach.patterns.get(test.if.source).every;
  const then = coach.patterns.get(test.then.source);
  function* unfollowed() {
    for (const name of names) {
      const text = texts[name];
      let following = null;
      for (const [start, end] of spans(text, trigger, text.matchedBy(test.if))) {
        following ??= new Following(then, text, text.matchedBy(test.then));
        if (!following.holds(end, test.within)) {
          yield [name, start, end, test.message];
        }
      }
    }
  }
  return first(unfollowed(), room);
}

// Whether "then" matches after a trigger: asked about triggers in order, it
// searches each stretch of the text once.
class Following {
  constructor(then, text, matched) {
    this.then = then;
    this.text = text;
    this.matched = matched;
    this.anywhere = then.any.test(matched);
    // The first start of a match at or after where it was last searched from.
    this.start = this.anywhere ? 0 : null;
  }

  holds(end, within) {
    if (within === null || this.start === null) {
      return this.anywhere;
    }
    if (this.start < end) {
      this.start = this.firstStart(end);
    }
    return this.start !== null && this.start <= end + within;
  }

  // The first position, from "from" on, that a match can start at.
  firstStart(from) {
    const { starts } = this.then;
    starts.lastIndex = this.text.unit(from);
    const match = starts.exec(this.matched);
    starts.lastIndex = 0;
    return match ? this.text.codePoint(match.index) : null;
  }
}

function metric(coach, test, names, texts) {
  const low = test.minWords;
  const high = test.maxWords;
  function* words() {
    for (const name of names) {
      yield* texts[name].original.matchAll(coach.wordStart.every);
    }
  }
  // Counting stops as soon as the answer is known.
  const count = countUpTo(words(), high !== null ? high + 1 : low);
  return [(low === null || count >= low) && (high === null || count <= high), []];
}

function countUpTo(items, most) {
  let count = 0;
  for (const _item of items) {
    if (count >= most) {
      break;
    }
    count += 1;
  }
  return count;
}

// Passes when the field names a term of the "source" field: terms agree
// when their first "prefix" code points do (all of them with 0).
function overlap(coach, test, names, texts) {
  const terms = coach.patterns.get(test.terms.source).every;
  const ignore = new Set(test.ignore);
  const key = (term) => firstCodePoints(term, test.prefix);
  const wanted = new Set();
  for (const [term] of texts[test.source].matchedBy(test.terms).matchAll(terms)) {
    if (!ignore.has(term)) {
      wanted.add(key(term));
    }
  }
  for (const name of names) {
    for (const [term] of texts[name].matchedBy(test.terms).matchAll(terms)) {
      if (!ignore.has(term) && wanted.has(key(term))) {
        return [true, []];
      }
    }
  }
  return [false, []];
}

function firstCodePoints(term, count) {
  if (!count) {
    return term;
  }
  return SURROGATE.test(term) ? Array.from(term).slice(0, count).join("") : term.slice(0, count);
}

const TESTS = { existence, absence, conditional, metric, overlap };

function finding(check, text, field, start, end, message) {
  const match = text.original.slice(text.unit(start), text.unit(end));
  return { check: check.id, field, severity: check.severity,
    message: message.split("{match}").join(match), start, end, match };
}
