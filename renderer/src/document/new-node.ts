/**
 * A new node as the palette drops it: the block's defaults stay implicit (the document stores only
 * what differs), and required parameters without a default get a value a user would pick first, so
 * that a dropped block is valid as soon as it is wired.
 */
import type { BlockDef } from '../../../engine/core/blocks/types.js';
import type { NodeSpec } from '../../../engine/core/document/schema.js';
import { idStemFromName, newNodeId } from './ids.js';
import type { XY } from './ops.js';

/** First values for required parameters, by name; a required parameter not listed is left for the user. */
const FIRST_VALUES: Record<string, unknown> = {
  outChannels: 64,
  outFeatures: 64,
  channels: 64,
  dim: 256,
  embedDim: 256,
  hidden: 1024,
  heads: 8,
  classes: 10,
};

export function initialParams(block: BlockDef): Record<string, unknown> {
  const parsed = block.params.safeParse({});
  if (parsed.success) return {};
  const params: Record<string, unknown> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && issue.path.length === 1 && key in FIRST_VALUES) params[key] = FIRST_VALUES[key];
  }
  return params;
}

export function newNode(block: BlockDef, taken: ReadonlySet<string>, position: XY): NodeSpec {
  const params = initialParams(block);
  return {
    id: newNodeId(idStemFromName(block.label, block.id), taken),
    block: block.id,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
}
