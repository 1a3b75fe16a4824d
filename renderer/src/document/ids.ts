/**
 * Identifiers in a graph body: node ids must be unique within their body and match the document
 * schema's id pattern; edges carry no id in the document, so the editor derives one from their ends
 * (a target port takes one edge, which makes the ends unique in a valid body).
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type EdgeSpec } from '../../../engine/core/document/schema.js';

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= 200 && ID_PATTERN.test(id);
}

/** A valid id built from any text: `Conv 2d!` → `Conv_2d_`. */
export function sanitizeId(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `n_${cleaned}`;
}

/** `base` if free, else `base_2`, `base_3`, ... (a trailing `_n` of `base` is replaced, not stacked). */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const stem = sanitizeId(base);
  if (!taken.has(stem)) return stem;
  const root = stem.replace(/_\d+$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${root}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A fresh id for a new node of `blockId`: `conv2d_1`, `conv2d_2`, ... */
export function newNodeId(blockId: string, taken: ReadonlySet<string>): string {
  const stem = sanitizeId(blockId);
  for (let i = 1; ; i++) {
    const candidate = `${stem}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function edgeId(e: EdgeSpec): string {
  return `${e.source}.${e.sourcePort ?? DEFAULT_OUT_PORT}>${e.target}.${e.targetPort ?? DEFAULT_IN_PORT}`;
}

/** Edge ids for a whole body; a repeated edge (an invalid document) gets `#2`, `#3` so every id is unique. */
export function edgeIds(edges: readonly EdgeSpec[]): string[] {
  const seen = new Map<string, number>();
  return edges.map((e) => {
    const id = edgeId(e);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  });
}
