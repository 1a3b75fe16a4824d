/** Spikingformer, CML-Spikingformer and CML-Spikformer: the shared results grid, stems, forward passes. */
import { describe, expect, it } from 'vitest';
import { cmlSpikformer } from '../../templates/cml-spikformer.js';
import { cmlSpikingformer, spikingformer } from '../../templates/spikingformer.js';
import { describeForwardPasses, describePresets } from './helpers.js';

// Spikingformer-8-768 is the Spikformer-8-768 parameter set with the RPE conv as the tokeniser's last conv
const exact = { '8-768': 66_338_632 };
describePresets(spikingformer, { exact, tenClassColumn: true });
describePresets(cmlSpikingformer, { exact, tenClassColumn: true });
// CML only re-orders the SPS: Spikformer's exact counts
describePresets(cmlSpikformer, { exact: { ...exact, '4-384': 9_324_730 }, tenClassColumn: true });

describe('CML stems', () => {
  it('pool BN outputs before the LIF; the plain Spikingformer stem pools spikes', () => {
    const stem = (t: typeof spikingformer, preset: string) => t.build(t.presets.find((p) => p.name === preset)!).nodes.find((n) => n.id === 'patch_embed')!;
    expect(stem(spikingformer, '8-768').params).toEqual({ dim: 768, variant: 'imagenet' });
    expect(stem(cmlSpikingformer, '8-768').params).toEqual({ dim: 768, variant: 'imagenet', cml: true });
    expect(stem(cmlSpikformer, '4-384')).toMatchObject({ block: 'sps', params: { dim: 384, variant: 'cifar', cml: true } });
  });
});

describeForwardPasses(spikingformer);
describeForwardPasses(cmlSpikingformer);
describeForwardPasses(cmlSpikformer);
