/**
 * Why a file that was opened is not a graph document, in words: the host (or the parser here)
 * reports located problems (`version: must be a non-negative integer, got "0.1.0"`); this says
 * what the file is not — not JSON, JSON but not a graph, a graph from a newer SNN Studio, or a
 * graph with invalid parts — and lists the reasons a person can act on.
 */

export interface NotDocument {
  readonly title: string;
  /** One sentence: what the file is not, and what a graph document is. */
  readonly summary: string;
  /** The located reasons, each readable on its own (at most a handful). */
  readonly reasons: readonly string[];
}

/** The fields every graph document has; a file missing most of them is some other JSON. */
const CORE_FIELDS = ['name', 'timeSteps', 'input', 'nodes', 'edges'];
const MAX_REASONS = 6;

/** From the host's error (`model.json is not a graph document: p1; p2; and 3 more`). */
export function explainOpenError(message: string, fallbackName: string): NotDocument | undefined {
  const m = /(?:^|: )([^:]+?) is not a graph document: ([\s\S]*)$/.exec(message);
  if (!m) return undefined;
  return explainProblems(m[1]!.trim() || fallbackName, splitProblems(m[2]!));
}

/** From located problems as `formatProblem` writes them (`path: message`, `document: message`). */
export function explainProblems(fileName: string, problems: readonly string[]): NotDocument {
  const title = `${fileName} is not a graph document`;
  const first = problems[0] ?? '';
  const notJson = /^(?:document: )?not valid JSON: (.*)$/s.exec(first);
  if (notJson) return { title, summary: 'The file is not JSON, so it cannot be an SNN Studio graph (a .snn.json file is JSON text).', reasons: [`The JSON parser says: ${notJson[1]}`] };
  if (/must be a JSON object/.test(first)) return { title, summary: 'The file is JSON, but holds a list or a single value; an SNN Studio graph is a JSON object.', reasons: [] };
  if (/is newer than this SNN Studio understands/.test(first)) return { title, summary: 'The file is a graph document from a newer version of SNN Studio.', reasons: [sentence(first)] };

  const missing = CORE_FIELDS.filter((f) => problems.some((p) => new RegExp(`^${f}: .*received undefined`).test(p)));
  const badVersion = problems.some((p) => /^version: must be a non-negative integer/.test(p));
  if (missing.length >= 2 || (badVersion && missing.length > 0) || (badVersion && problems.length === 1)) {
    return {
      title,
      summary: 'The file is JSON, but not an SNN Studio graph: a graph document has "format": "snn-studio/graph", a version number, a name, time steps, an input, and lists of nodes and edges.',
      reasons: missing.length > 0 ? [`It has no ${orList(missing.map(fieldName))}.`] : problems.slice(0, MAX_REASONS).map(sentence),
    };
  }
  return {
    title,
    summary: 'The file is a graph document, but some of it is not valid, so it cannot be opened as it is.',
    reasons: problems.slice(0, MAX_REASONS).map(sentence),
  };
}

/** `a; b; and 3 more` → [a, b, 'and 3 more'] (a message with `; ` inside a quoted value stays whole). */
function splitProblems(text: string): string[] {
  return text
    .split(/; (?=(?:[A-Za-z_][\w.[\]]*(?: "[^"]*")?[\w.[\]]*|document|and \d+ more): ?)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** zod's terse wording, as a sentence: `name: Invalid input: expected string, received undefined` → `name is missing (text expected)`. */
function sentence(problem: string): string {
  const version = /^version: must be a non-negative integer, got (.*)$/.exec(problem);
  if (version) return `Its "version" is ${version[1]}; a graph document's version is a whole number (1 today).`;
  const m = /^(.*?): Invalid input: expected (\w+), received (\w+)$/.exec(problem);
  if (m) return m[3] === 'undefined' ? `${fieldName(m[1]!)} is missing (${KIND[m[2]!] ?? m[2]} expected).` : `${fieldName(m[1]!)} should be ${KIND[m[2]!] ?? m[2]}, not ${KIND[m[3]!] ?? m[3]}.`;
  return problem.replace(/^document: /, '');
}

const KIND: Record<string, string> = { string: 'text', number: 'a number', object: 'an object', array: 'a list', boolean: 'true or false' };

/** `a, b or c` */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function fieldName(path: string): string {
  return path === 'timeSteps' ? 'time steps' : path;
}
