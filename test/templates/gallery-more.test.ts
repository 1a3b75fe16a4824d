/**
 * Spikformer V2, Auto-Spikformer, the hybrid example and the LIF CNN: counts where a reference
 * exists, the structure that is each template's point, and a forward pass for every non-ImageNet preset.
 * (PSN, SpikeDHS and Meta-SpikeFormer have their own test files.)
 */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { autoSpikformer } from '../../templates/auto-spikformer.js';
import { hybrid } from '../../templates/hybrid.js';
import { lifCnnTemplate } from '../../templates/lif-cnn.js';
import { spikformerV2 } from '../../templates/spikformer-v2.js';
import type { Template } from '../../templates/types.js';
import { describeForwardPasses, describePresets } from './helpers.js';

const build = (t: Template, name: string) => t.build(t.presets.find((p) => p.name === name)!);

describePresets(spikformerV2, {});
// Auto-Spikformer's supernet is Spikformer-4-384 with a CIFAR100 head
describePresets(autoSpikformer, { exact: { 'supernet-cifar100': 9_359_380 } });
describePresets(hybrid, {});
// conv1 1·64·9, bn1 2·64, conv2 64·128·9, bn2 2·128, fc 128·7·7·10 + 10
describePresets(lifCnnTemplate, { exact: { digits: 50_282, 'fashion-mnist': 576 + 128 + 73_728 + 256 + 62_730 } });

describe('gallery structure', () => {
  it('Spikformer V2 carries its assumed stem as an openable document composite', () => {
    const doc = build(spikformerV2, '8-512');
    expect(doc.nodes.find((n) => n.id === 'patch_embed')!.block).toBe('scs');
    expect(doc.composites?.scs?.label).toMatch(/SNN Studio reading/);
    expect(spikformerV2.description).toMatch(/SNN Studio's reading, not the paper's/);
    expect(analyseDocument(doc).body.byId.get('patch_embed')!.outputs.out!.shape).toEqual([196, 512]);
  });

  it('Auto-Spikformer writes each block\'s searched MLP ratio', () => {
    const ratios = build(autoSpikformer, '4-240-cifar100').nodes.filter((n) => n.block === 'spikformer_block').map((n) => n.params!.mlpRatio ?? 4);
    expect(ratios).toEqual([3.5, 3, 3.5, 3.5]);
  });

  it('the hybrid example stops being spike-driven after the mean over T', () => {
    const a = analyseDocument(build(hybrid, 'digits'));
    expect(a.body.byId.get('patch_embed')!.outputs.out!.timed).toBe(true);
    expect(a.body.byId.get('rates')!.outputs.out).toMatchObject({ timed: false, kind: 'analog' });
  });
});

describeForwardPasses(spikformerV2);
describeForwardPasses(autoSpikformer);
describeForwardPasses(hybrid);
describeForwardPasses(lifCnnTemplate);

describe('lif-cnn fashion-mnist', () => {
  it('carries the recipe that reached 92.6 % on Fashion-MNIST, and its class names', () => {
    const doc = build(lifCnnTemplate, 'fashion-mnist');
    expect(doc.training).toMatchObject({ dataset: 'fashion-mnist', epochs: 8, batchSize: 64, optimizer: 'adam', lr: 2e-3, augmentation: { hflip: true } });
    expect(doc.input.classes).toHaveLength(10);
    expect(doc.input.classes![9]).toBe('Ankle boot');
  });
});
