/**
 * The palette's content: catalogue blocks grouped by category in the order a network is built
 * (encoders first, heads last), the document's own composites as "My blocks", all filtered by a
 * search over label, id, keywords and description.
 */
import type { BlockCategory, BlockDef } from '../../../engine/core/blocks/types.js';
import { CATEGORY_LABELS } from '../../../engine/core/blocks/types.js';
import type { CompositeDef } from '../../../engine/core/document/schema.js';

export interface PaletteItem {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly composite: boolean;
}

export interface PaletteGroup {
  readonly id: BlockCategory | 'mine';
  readonly label: string;
  readonly items: readonly PaletteItem[];
}

export const GROUP_ORDER: readonly (BlockCategory | 'mine')[] = ['mine', 'encoders', 'neurons', 'layers', 'attention', 'stems', 'residuals', 'heads', 'ann', 'io'];

export function paletteGroups(blocks: readonly BlockDef[], composites: Readonly<Record<string, CompositeDef>>, query: string): PaletteGroup[] {
  const q = query.trim().toLowerCase();
  const byGroup = new Map<BlockCategory | 'mine', { item: PaletteItem; rank: number }[]>();
  const add = (group: BlockCategory | 'mine', item: PaletteItem, words: readonly string[]) => {
    const rank = q === '' ? 0 : matchRank(q, item, words);
    if (rank < 0) return;
    byGroup.set(group, [...(byGroup.get(group) ?? []), { item, rank }]);
  };
  for (const [name, def] of Object.entries(composites)) {
    add('mine', { id: name, label: def.label ?? name, description: def.description ?? 'A block defined in this document.', composite: true }, []);
  }
  for (const b of blocks) add(b.category, { id: b.id, label: b.label, description: b.description, composite: b.kind === 'composite' }, b.keywords ?? []);
  return GROUP_ORDER.flatMap((g) => {
    const entries = byGroup.get(g);
    if (!entries || entries.length === 0) return [];
    const items = q === '' ? entries.map((e) => e.item) : [...entries].sort((a, b) => a.rank - b.rank).map((e) => e.item);
    return [{ id: g, label: g === 'mine' ? 'My blocks' : CATEGORY_LABELS[g], items }];
  });
}

/** 0 best; -1 no match. Every word of the query must match somewhere. */
function matchRank(q: string, item: PaletteItem, keywords: readonly string[]): number {
  const label = item.label.toLowerCase();
  const id = item.id.toLowerCase();
  const words = keywords.map((k) => k.toLowerCase());
  const description = item.description.toLowerCase();
  let rank = 0;
  for (const term of q.split(/\s+/)) {
    if (label.startsWith(term) || id.startsWith(term)) rank += 0;
    else if (label.includes(term) || id.includes(term)) rank += 1;
    else if (words.some((w) => w.includes(term))) rank += 2;
    else if (description.includes(term)) rank += 3;
    else return -1;
  }
  return rank;
}
