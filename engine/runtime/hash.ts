/** The document hash recorded in models and checkpoints: SHA-256 of the canonical JSON (sorted keys). */
import { createHash } from 'node:crypto';

export function canonicalJson(v: unknown, dropPositions = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x, dropPositions)).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && !(dropPositions && k === 'position'))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k], dropPositions)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Node positions are layout, not model: moving a node keeps the hash (and checkpoints valid). */
export function documentHash(doc: unknown): string {
  return createHash('sha256').update(canonicalJson(doc, true)).digest('hex');
}
