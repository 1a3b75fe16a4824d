/**
 * Parsing a document: JSON text or value → migrated, schema-checked GraphDocument, or located
 * problems. Never throws on bad input.
 */
import type { z } from 'zod';
import type { Problem } from '../problems.js';
import { migrate } from './migrate.js';
import { documentSchema, type GraphDocument } from './schema.js';

export type ParseResult = { ok: true; doc: GraphDocument; migratedFrom: number } | { ok: false; problems: Problem[] };

export function parseDocumentText(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ severity: 'error', path: '', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseDocument(raw);
}

export function parseDocument(raw: unknown): ParseResult {
  const deep = tooDeep(raw);
  if (deep) return { ok: false, problems: [{ severity: 'error', path: joinPath('', deep), message: `nested more than ${MAX_NESTING} levels deep` }] };
  const migrated = migrate(raw);
  if (!migrated.ok) return { ok: false, problems: [{ severity: 'error', path: migrated.path, message: migrated.message }] };
  const parsed = documentSchema.safeParse(migrated.doc);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, migrated.doc) };
  return { ok: true, doc: parsed.data, migratedFrom: migrated.from };
}

/** Far deeper than any document needs; deeper values would overflow recursive code (zod, hashing). */
export const MAX_NESTING = 100;

/**
 * The path of the first value nested deeper than MAX_NESTING (an explicit stack: no recursion).
 * Each entry links to its parent instead of carrying its whole path, so a value nested 20,000
 * deep costs 20,000 steps, not 20,000² copies of a growing path.
 */
function tooDeep(raw: unknown): PropertyKey[] | undefined {
  interface At {
    readonly value: unknown;
    readonly depth: number;
    readonly key?: PropertyKey;
    readonly parent?: At;
  }
  const stack: At[] = [{ value: raw, depth: 0 }];
  while (stack.length > 0) {
    const at = stack.pop()!;
    const v = at.value;
    if (typeof v !== 'object' || v === null) continue;
    if (at.depth >= MAX_NESTING) {
      const path: PropertyKey[] = [];
      for (let p: At | undefined = at; p?.parent; p = p.parent) path.push(p.key!);
      return path.reverse();
    }
    const entries: [PropertyKey, unknown][] = Array.isArray(v) ? [...v.entries()] : Object.entries(v);
    for (const [key, value] of entries) stack.push({ value, depth: at.depth + 1, key, parent: at });
  }
  return undefined;
}

/** zod issues → located problems; a path through `nodes[i]` also names the node's id. */
export function zodProblems(error: z.ZodError, root: unknown, prefix = ''): Problem[] {
  return error.issues.flatMap(locatedIssues).map((issue) => {
    const path = joinPath(prefix, issue.path);
    const nodeId = nodeIdAt(root, issue.path);
    return {
      severity: 'error' as const,
      path: nodeId === undefined ? path : decorateNodePath(path, nodeId),
      ...(nodeId === undefined ? {} : { nodeId }),
      message: issue.message,
    };
  });
}

/**
 * One entry per place: zod reports unknown keys once, at the object that holds them; the path
 * should point at each key itself (`nodes[0] "conv1".params.kernal`, not `nodes[0] "conv1".params`).
 */
export function locatedIssues(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string }[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...issue.path, key], message: `unknown field "${clipKey(key)}"` }));
  return [{ path: [...issue.path], message: issue.message }];
}

/** A key quoted in a message or path: a short prefix of a huge one. */
function clipKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 60)}…` : key;
}

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? clipKey(String(key)) : `.${clipKey(String(key))}`;
  }
  return out;
}

/** `nodes[3].params.heads` → `nodes[3] "attn1".params.heads` */
export function decorateNodePath(path: string, nodeId: string): string {
  return path.replace(/^((?:composites\.[^.[]+\.)?nodes\[\d+\])/, `$1 "${nodeId}"`);
}

function nodeIdAt(root: unknown, path: readonly PropertyKey[]): string | undefined {
  let at: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[path[i]!];
    if (path[i - 1] === 'nodes' && typeof path[i] === 'number') {
      const nid = (at as { id?: unknown } | null)?.id;
      // an id past the schema's length limit is itself the error; quoting it would echo it whole
      return typeof nid === 'string' && nid.length <= 200 ? nid : undefined;
    }
  }
  return undefined;
}
