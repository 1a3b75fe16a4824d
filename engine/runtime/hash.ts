/** The document hash recorded in models and checkpoints: SHA-256 of the canonical JSON (sorted keys). */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';

export { canonicalJson };

/** Node positions are layout, not model: moving a node keeps the hash (and checkpoints valid). */
export function documentHash(doc: unknown): string {
  return createHash('sha256').update(canonicalJson(doc, true)).digest('hex');
}
