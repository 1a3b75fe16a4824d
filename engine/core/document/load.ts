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
  const migrated = migrate(raw);
  if (!migrated.ok) return { ok: false, problems: [{ severity: 'error', path: migrated.path, message: migrated.message }] };
  const parsed = documentSchema.safeParse(migrated.doc);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, migrated.doc) };
  return { ok: true, doc: parsed.data, migratedFrom: migrated.from };
}

/** zod issues → located problems; a path through `nodes[i]` also names the node's id. */
export function zodProblems(error: z.ZodError, root: unknown, prefix = ''): Problem[] {
  return error.issues.map((issue) => {
    const path = joinPath(prefix, issue.path as readonly PropertyKey[]);
    const nodeId = nodeIdAt(root, issue.path as readonly PropertyKey[]);
    return {
      severity: 'error' as const,
      path: nodeId === undefined ? path : decorateNodePath(path, nodeId),
      ...(nodeId === undefined ? {} : { nodeId }),
      message: issue.message,
    };
  });
}

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
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
      return typeof nid === 'string' ? nid : undefined;
    }
  }
  return undefined;
}
