/** Spikformer presets: exact counts where the spec has the arithmetic, forward passes for CIFAR/DVS/tiny. */
import { describe, expect, it } from 'vitest';
import { spikformer } from '../../templates/spikformer.js';
import { describeForwardPasses, describePresets } from './helpers.js';

describePresets(spikformer, {
  // spec §0 and §3.7: without the never-called LayerNorms
  exact: { '4-384': 9_324_730, '4-384-400e': 9_324_730, '8-768': 66_338_632 },
  tenClassColumn: true,
});

describe('spikformer: the released flavours', () => {
  it('CIFAR uses Linear with bias and (QKᵀ)V; ImageNet Conv1d without bias and Q(KᵀV); DVS scale 0.25', () => {
    const block = (preset: string) => spikformer.build(spikformer.presets.find((p) => p.name === preset)!).nodes.find((n) => n.id === 'block1')!.params;
    expect(block('4-384')).toMatchObject({ qkvBias: true, order: 'qk_v', scale: 0.125, heads: 12 });
    expect(block('8-768')).toMatchObject({ qkvBias: false, order: 'q_kv', scale: 0.125 });
    expect(block('2-256')).toMatchObject({ scale: 0.25, heads: 16 });
    expect(block('2-256-gesture')).toMatchObject({ heads: 8 });
  });
});

describeForwardPasses(spikformer);
