/**
 * The block catalogue: every block a document can name, in palette order. Each family module
 * exports its blocks as an array; nothing registers itself.
 */
import { ANN_BLOCKS } from './ann.js';
import { ATTENTION_BLOCKS } from './attention.js';
import { bnPad } from './bn-pad.js';
import { ATTENTION_COMPOSITE_BLOCKS, RESIDUAL_COMPOSITES, STEM_BLOCKS } from './composites/index.js';
import { ENCODER_BLOCKS } from './encoders.js';
import { IO_BLOCKS } from './io.js';
import { HEAD_BLOCKS, LAYER_BLOCKS, RESIDUAL_BLOCKS } from './layers.js';
import { MAP_BLOCKS } from './maps.js';
import { NEURON_BLOCKS } from './neurons.js';
import type { BlockDef } from './types.js';

const ORDERED: readonly BlockDef[] = [
  ...IO_BLOCKS,
  ...ENCODER_BLOCKS,
  ...NEURON_BLOCKS,
  ...LAYER_BLOCKS,
  ...MAP_BLOCKS,
  bnPad,
  ...STEM_BLOCKS,
  ...ATTENTION_BLOCKS,
  ...ATTENTION_COMPOSITE_BLOCKS,
  ...RESIDUAL_BLOCKS,
  ...RESIDUAL_COMPOSITES,
  ...HEAD_BLOCKS,
  ...ANN_BLOCKS,
];

const BY_ID: ReadonlyMap<string, BlockDef> = (() => {
  const m = new Map<string, BlockDef>();
  for (const b of ORDERED) {
    if (m.has(b.id)) throw new Error(`block "${b.id}" is defined twice`);
    m.set(b.id, b);
  }
  return m;
})();

export function findBlock(id: string): BlockDef | undefined {
  return BY_ID.get(id);
}

export function allBlocks(): readonly BlockDef[] {
  return ORDERED;
}
