/**
 * The one-line parameter summary under a node's title: the parameters the document sets, in the
 * block's own order, written compactly (`outChannels 64 · kernel 3 · stride 2`).
 */
import type { NodeSpec } from '../../../engine/core/document/schema.js';

const MAX_ITEMS = 4;

export function paramSummary(spec: NodeSpec): string {
  const params = spec.params ?? {};
  const items = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .slice(0, MAX_ITEMS)
    .map(([k, v]) => `${k} ${formatValue(v)}`);
  const more = Object.keys(params).length - MAX_ITEMS;
  return more > 0 ? `${items.join(' · ')} · +${more}` : items.join(' · ');
}

export function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? v.join('×') : `[${v.map(formatValue).join(', ')}]`;
  if (v === null) return 'none';
  if (typeof v === 'object') {
    const name = (v as { name?: unknown }).name;
    return typeof name === 'string' ? name : '{…}';
  }
  return String(v);
}
