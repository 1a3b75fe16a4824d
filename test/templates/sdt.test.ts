/** SDT presets: counts against the paper's table, per-step logits, the CIFAR10-DVS Erode, forward passes for CIFAR/DVS/tiny. */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { train } from '../../engine/runtime/train/index.js';
import { sdt } from '../../templates/sdt.js';
import { describeForwardPasses, describePresets, relativeGap } from './helpers.js';
import { bn, conv, linear, mlp, qkvAttention } from './param-arithmetic.js';

const preset = (name: string) => sdt.presets.find((p) => p.name === name)!;

/**
 * SDT parameters by the spec (§5.2–5.6): MS-SPS is four 3×3 convs without bias, C_in → D/8 → D/4 →
 * D/2 → D, each with BN, and the RPE's 3×3 D → D conv with BN; each block an SDSA (q, k, v, proj)
 * and an MLP of ratio 4; the head a Linear D → classes (its LIF has no parameters; the Erode none).
 */
function sdtCount(cin: number, d: number, blocks: number, classes: number): number {
  const sps = conv(cin, d / 8, 3, false) + bn(d / 8) + conv(d / 8, d / 4, 3, false) + bn(d / 4) + conv(d / 4, d / 2, 3, false) + bn(d / 2) + conv(d / 2, d, 3, false) + bn(d);
  const rpe = conv(d, d, 3, false) + bn(d);
  return sps + rpe + blocks * (qkvAttention(d) + mlp(d, 4)) + linear(d, classes);
}

// SDT-8-384 (ImageNet): SPS 873,648 + RPE 1,327,872 + 8 × (593,280 + 1,185,408) + head 385,000 = 16,816,024,
// the paper's 16.81 M. SDT-2-256 (CIFAR10-DVS, 2 channels in): SPS 388,608 + RPE 590,336
// + 2 × (264,448 + 528,128) + head 2,570 = 2,566,666, the quoted 2.57 M.
const sdt8x384 = sdtCount(3, 384, 8, 1000);
const sdt2x256 = sdtCount(2, 256, 2, 10);
describePresets(sdt, { exact: { '8-384': sdt8x384, '2-256': sdt2x256, '2-256-t10': sdt2x256 } });

describe('sdt: parameter arithmetic', () => {
  it('the spec\'s layer-by-layer counts give the paper\'s 16.81 M and 2.57 M', () => {
    expect(conv(3, 48, 3, false) + bn(48) + conv(48, 96, 3, false) + bn(96) + conv(96, 192, 3, false) + bn(192) + conv(192, 384, 3, false) + bn(384)).toBe(873_648);
    expect([qkvAttention(384), mlp(384, 4), linear(384, 1000)]).toEqual([593_280, 1_185_408, 385_000]);
    expect(sdt8x384).toBe(16_816_024);
    expect([qkvAttention(256), mlp(256, 4), linear(256, 10)]).toEqual([264_448, 528_128, 2_570]);
    expect(sdt2x256).toBe(2_566_666);
    expect(relativeGap(sdt2x256, 2.57e6)).toBeLessThan(0.005);
  });
});

describe('sdt: head', () => {
  it('LIF on the token mean of the membrane, then per-step logits (kept for TET)', () => {
    const doc = sdt.build(sdt.presets[0]!);
    expect(doc.nodes.filter((n) => ['mean_tokens', 'lif', 'head'].includes(n.block)).map((n) => n.block)).toEqual(['mean_tokens', 'lif', 'head']);
    expect(analyseDocument(doc).output).toEqual({ shape: [1000], timed: true, kind: 'analog' });
  });
});

describe('sdt: CIFAR10-DVS (2-256)', () => {
  const doc = sdt.build(preset('2-256'));
  const a = analyseDocument(doc);

  it('event frames [T,B,2,64,64], MS-SPS pooling 0011 to 16×16 = 256 tokens, T=16 with the paper\'s 80.0 %; 2-256-t10 is the released T=10 config', () => {
    expect(doc.input).toMatchObject({ shape: [2, 64, 64], kind: 'events' });
    expect(doc.nodes.find((n) => n.id === 'patch_embed')!.params).toMatchObject({ dim: 256, poolingStat: '0011' });
    expect(a.body.byId.get('patch_embed')!.outputs.out!.shape).toEqual([256, 256]);
    expect([doc.timeSteps, doc.meta!.reportedTop1]).toEqual([16, 80.0]);
    const t10 = sdt.build(preset('2-256-t10'));
    expect([t10.timeSteps, t10.meta!.reportedTop1]).toEqual([10, null]);
    expect(relativeGap(a.paramCount, 2.57e6)).toBeLessThan(0.005);
  });

  it('every SDSA erodes: K and V over the 16×16 map, K⊙V in the core, the masked output over heads', () => {
    const blocks = doc.nodes.filter((n) => n.block === 'sdt_block');
    expect(blocks.map((n) => n.params!.erode)).toEqual([true, true]);
    const sdsa = a.body.byId.get('block1')!.inner!.byId.get('attn')!;
    const erodes = sdsa.inner!.nodes.filter((n) => n.block.id === 'erode').map((n) => [n.id, (n.params as { over: string }).over]).sort();
    expect(erodes).toEqual([
      ['k_erode', 'map'],
      ['out_erode', 'heads'],
      ['v_erode', 'map'],
    ]);
    expect((sdsa.inner!.byId.get('attn')!.params as { erode: boolean }).erode).toBe(true);
    // the Gesture and CIFAR models do not erode
    expect(sdt.build(preset('2-256-gesture')).nodes.filter((n) => n.block === 'sdt_block').every((n) => n.params!.erode === undefined)).toBe(true);
  });

  it('the TET recipe of conf/cifar10-dvs/2_256_200E_t10_TET.yml', () => {
    expect(doc.training).toMatchObject({ optimizer: 'adamw', lr: 7.5e-3, minLr: 3e-4, weightDecay: 1e-4, warmupEpochs: 10, warmupLr: 1e-3, epochs: 200, batchSize: 32, loss: 'tet', augmentation: { hflip: true } });
  });
});

describe('sdt: training through the Erode', () => {
  it('tiny with erode on: the training step compiles and three steps give finite losses', { timeout: 120_000 }, async () => {
    const tiny = sdt.build(preset('tiny'));
    const doc = { ...tiny, nodes: tiny.nodes.map((n) => (n.block === 'sdt_block' ? { ...n, params: { ...n.params, erode: true } } : n)) };
    const losses: number[] = [];
    const job = train(doc, { batchSize: 8, epochs: 1, maxStepsPerEpoch: 3, loaderThread: 'main' });
    for await (const e of job) if (e.type === 'step') losses.push(e.loss);
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
  });
});

describeForwardPasses(sdt);
