/**
 * Whether the gallery offers autosaved work: only when it differs from the document that is open.
 * In a running session the autosave is a copy of the open document; offering to "recover" it
 * would restore what the user is already looking at.
 */
import type { GraphDocument } from '../../../engine/core/document/schema.js';

export function recoveryDiffers(recovered: unknown, open: GraphDocument): boolean {
  return canonical(recovered) !== canonical(open);
}

/** JSON with object keys sorted, so that two equal documents compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
