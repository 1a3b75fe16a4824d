/** New block ids come from the block's name as the palette shows it. */
import { describe, expect, it } from 'vitest';
import { allBlocks, findBlock } from '../../engine/core/blocks/catalogue.js';
import { idStemFromName, newNodeId } from '../../renderer/src/document/ids.js';
import { newNode } from '../../renderer/src/document/new-node.js';

const stem = (blockId: string) => {
  const b = findBlock(blockId)!;
  return idStemFromName(b.label, b.id);
};

describe('ids of new blocks', () => {
  it('come from the name: "To feature map" is to_feature_map_1, not untokens_1', () => {
    expect(newNode(findBlock('untokens')!, new Set(), { x: 0, y: 0 }).id).toBe('to_feature_map_1');
    expect(newNode(findBlock('untokens')!, new Set(['to_feature_map_1']), { x: 0, y: 0 }).id).toBe('to_feature_map_2');
  });

  it('use a block\'s own abbreviation, drop "neuron", glosses and kernel sizes', () => {
    expect(stem('ssa')).toBe('ssa');
    expect(stem('qkta')).toBe('qkta');
    expect(stem('lif')).toBe('lif');
    expect(stem('psn')).toBe('psn');
    expect(stem('conv1d')).toBe('conv1d');
    expect(stem('erode')).toBe('erode');
    expect(stem('rate_encoder')).toBe('rate_encoding');
    expect(stem('untokens_like')).toBe('to_feature_map_like');
  });

  it('keep a parenthesis that names a paper, not the block, and fall back to the block id for a long name', () => {
    expect(stem('ms_sps')).toBe('membrane_shortcut_sps');
    expect(stem('meta_block')).toBe('meta_block');
    expect(stem('sew')).toBe('sew');
  });

  it('every catalogue block gets a valid id stem', () => {
    for (const b of allBlocks()) expect(newNodeId(idStemFromName(b.label, b.id), new Set()), b.id).toMatch(/^[a-z][a-z0-9_]{0,23}_1$/);
  });
});
