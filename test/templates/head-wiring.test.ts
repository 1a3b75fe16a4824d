/**
 * Every template's head against the PyTorch reference of its readout (torch_ref.py, op head_tail):
 * the template's own nodes after its last body block, compiled for inference and run on ONNX
 * Runtime, against the released code's head written from the spec (where the mean over tokens and
 * the mean over T sit relative to the last neuron), with the same weights. Where the tail has a
 * neuron, its inputs are chosen so that no charge lies within 1e-3 of the threshold (exact dyadic
 * token means), so a rounding difference cannot flip a spike and the logits must agree to float32
 * round-off.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { Rng } from '../../engine/core/rng.js';
import { autoSpikformer } from '../../templates/auto-spikformer.js';
import { cmlSpikformer } from '../../templates/cml-spikformer.js';
import { hybrid } from '../../templates/hybrid.js';
import { listTemplates } from '../../templates/index.js';
import { lifCnnTemplate } from '../../templates/lif-cnn.js';
import { metaSpikeformer } from '../../templates/meta-spikeformer.js';
import { psn } from '../../templates/psn.js';
import { qkformer } from '../../templates/qkformer.js';
import { sdt } from '../../templates/sdt.js';
import { spikedhs } from '../../templates/spikedhs.js';
import { spikformerV2 } from '../../templates/spikformer-v2.js';
import { spikformer } from '../../templates/spikformer.js';
import { cmlSpikingformer, spikingformer } from '../../templates/spikingformer.js';
import type { Template } from '../../templates/types.js';
import { skipping } from '../helpers/skip.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type TorchRefParams, type WireArray } from '../helpers/torch.js';
import { drawer, logitGap, mapsToTokens, presetDocument, rowsWithMeans, runTail, tailDocument } from './head-tails.js';

const B = 2;

type Input = (shape: readonly number[], T: number, seed: number) => Float32Array;

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Binary spikes at a 30 % rate. */
const spikes: Input = (shape, T, seed) => Float32Array.from(drawer(seed)(T * B * numel(shape), 0, 1), (u) => (u < 0.3 ? 1 : 0));
/** Spike-add outputs (Spikformer's SEW residual stream): counts 0, 1, 2. */
const counts: Input = (shape, T, seed) => Float32Array.from(drawer(seed)(T * B * numel(shape), 0, 3), Math.floor);
/** A membrane-valued residual stream. */
const membrane: Input = (shape, T, seed) => drawer(seed)(T * B * numel(shape), -2, 2);

/**
 * Maps or tokens whose mean over the tokens is, per step, sample and channel, a value drawn from
 * `means`. The LIF (τ 2, threshold 1, reset to 0) on odd multiples of 1/32 charges to an odd
 * multiple of 2^-(5+t+1), never 1: at T = 4 no charge is within 2^-10 of the threshold.
 */
function meanInput(means: (rng: Rng) => number): Input {
  return (shape, T, seed) => {
    const rng = Rng.fromSeed(seed + 1);
    const tokens = shape.length === 2;
    const [channels, M] = tokens ? [shape[1]!, shape[0]!] : [shape[0]!, numel(shape.slice(1))];
    const m = Float64Array.from({ length: T * B * channels }, () => means(rng));
    const maps = rowsWithMeans(m, M, seed);
    return tokens ? mapsToTokens(maps, T * B, channels, M) : maps;
  };
}
const oddThirtySeconds = meanInput((rng) => (2 * rng.int(48) + 1) / 32);
/** SpikeDHS (threshold 0.3, decay 0.2): means at most 1/8 stay below 0.16 whatever they follow; 1/2 and 3/4 fire. */
const dhsMeans = meanInput((rng) => [0, 1 / 16, 1 / 8, 1 / 2, 3 / 4][rng.int(5)]!);

interface TailCase {
  readonly template: Template;
  readonly preset: string;
  /** The last body node: the tail is every node after it. */
  readonly cut: string;
  readonly ref: TorchRefParams['head_tail'];
  readonly input: Input;
  /** Engine parameter → reference weight name, where they differ. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Parameter values the case sets itself (the rest are drawn). */
  readonly weights?: (params: ReadonlyMap<string, readonly number[]>, T: number) => Map<string, Float32Array>;
  /** The wiring, as the template's description states it. */
  readonly wiring: string;
}

/**
 * PSN CSNN tail with every value a small dyadic rational: pool outputs k/4, fc1 weights k/16,
 * PSN weights k/8 and biases −1 + 1/1024 + k/8. Every sum is exact in float32, and the PSN's charge
 * is an odd multiple of 1/1024, so never within 1e-3 of its threshold 0.
 */
const psnInput: Input = (shape, T, seed) => Float32Array.from(drawer(seed)(T * B * numel(shape), 0, 5), (u) => Math.floor(u) / 4);
function psnWeights(params: ReadonlyMap<string, readonly number[]>, T: number): Map<string, Float32Array> {
  const rng = Rng.fromSeed(11);
  const ints = (n: number, k: number, scale: number) => Float32Array.from({ length: n }, () => (rng.int(2 * k + 1) - k) / scale);
  return new Map([
    ['fc1.weight', ints(numel(params.get('fc1.weight')!), 4, 16)],
    ['fc1.bias', ints(numel(params.get('fc1.bias')!), 8, 16)],
    ['fc1_sn.weight', ints(T * T, 8, 8)],
    ['fc1_sn.bias', Float32Array.from(ints(T, 4, 8), (v) => v - 1 + 1 / 1024)],
  ]);
}

const spikformerFamily = (template: Template, preset: string, cut: string, input: Input, what: string): TailCase => ({
  template,
  preset,
  cut,
  ref: { form: 'spikformer' },
  input,
  wiring: `${what} → mean over tokens → mean over T → Linear`,
});

const CASES: readonly TailCase[] = [
  { template: lifCnnTemplate, preset: 'digits', cut: 'lif2', ref: { form: 'cnn' }, input: spikes, wiring: 'last LIF → MaxPool → flatten → Linear per step → mean over T' },
  spikformerFamily(spikformer, '4-384', 'block4', counts, 'spike counts of the last block'),
  spikformerFamily(cmlSpikformer, '4-384', 'block4', counts, 'spike counts of the last block'),
  spikformerFamily(autoSpikformer, '4-240-cifar100', 'block4', counts, 'spike counts of the last block'),
  spikformerFamily(spikformerV2, '8-512', 'block8', counts, 'spike counts of the last block'),
  spikformerFamily(qkformer, 'hst-4-384', 'stage3_block2', counts, 'spike counts of the last block'),
  spikformerFamily(spikingformer, '4-384', 'block4', membrane, 'membrane stream of the last block (no LIF)'),
  spikformerFamily(cmlSpikingformer, '4-384', 'block4', membrane, 'membrane stream of the last block (no LIF)'),
  { template: sdt, preset: '8-384', cut: 'block8', ref: { form: 'sdt' }, input: oddThirtySeconds, wiring: 'membrane → mean over tokens → LIF → Linear per step → mean over T' },
  { template: metaSpikeformer, preset: '8-384', cut: 'block4_2', ref: { form: 'meta' }, input: oddThirtySeconds, wiring: 'membrane → mean over tokens → LIF → Linear per step → mean over T' },
  {
    template: metaSpikeformer,
    preset: '8-512',
    cut: 'block4_2',
    ref: { form: 'meta', kd: true },
    input: oddThirtySeconds,
    wiring: 'membrane → mean over tokens → LIF → (head + head_kd) / 2 per step, both heads on the spikes → mean over T',
  },
  { template: spikedhs, preset: 'cifar10', cut: 'cell8', ref: { form: 'spikedhs' }, input: dhsMeans, rename: { 'classifier_bn.weight': 'bn.weight', 'classifier_bn.bias': 'bn.bias', 'classifier_bn.running_mean': 'bn.running_mean', 'classifier_bn.running_var': 'bn.running_var' }, wiring: 'last cell → mean over H·W → SpikeDHS neuron → Linear → BN per step → mean over T' },
  { template: psn, preset: 'tiny', cut: 'g2_pool', ref: { form: 'psn_csnn' }, input: psnInput, rename: { 'fc1_sn.weight': 'psn.weight', 'fc1_sn.bias': 'psn.bias' }, weights: psnWeights, wiring: 'flatten → Linear → PSN → Linear per step → mean over T' },
  { template: psn, preset: 'cifar10dvs', cut: 'conv8_sn', ref: { form: 'psn_vgg' }, input: spikes, wiring: 'last sliding PSN → AvgPool → flatten → Linear per step → mean over T at inference (TET trains the steps)' },
  { template: psn, preset: 'sew-resnet18', cut: 'layer4_1', ref: { form: 'sew' }, input: counts, wiring: 'last SEW block → global average pool → Linear per step → mean over T at inference (TET trains the steps)' },
  { template: hybrid, preset: 'digits', cut: 'patch_embed', ref: { form: 'hybrid', heads: 4 }, input: counts, wiring: 'SPS spikes → mean over T → LayerNorm → softmax attention → LayerNorm → mean over tokens → Linear' },
];

/** Seeded values for every parameter the case does not set: weights ±1/√fan-in, norms and statistics in safe ranges. */
function drawnParams(shapes: ReadonlyMap<string, readonly number[]>, seed: number): Map<string, Float32Array> {
  const draw = drawer(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const n = numel(shape);
    if (name.endsWith('.running_var')) out.set(name, draw(n, 0.5, 2));
    else if (name.endsWith('.running_mean')) out.set(name, draw(n, -0.5, 0.5));
    else if (name.endsWith('.weight') && shape.length === 1) out.set(name, draw(n, 0.5, 2));
    else if (name.endsWith('.bias')) out.set(name, draw(n, -0.2, 0.2));
    else {
      const bound = 1 / Math.sqrt(numel(shape.slice(1)));
      out.set(name, draw(n, -bound, bound));
    }
  }
  return out;
}

function paramShapes(tail: GraphDocument): Map<string, readonly number[]> {
  const graph = lowerDocument(tail, analyseDocument(tail), { batch: B, mode: 'infer' }).graph;
  return new Map(graph.params.map((p) => [p.name, graph.values[p.value]!.shape]));
}

const BUFFERS = new Set(['bn.running_mean', 'bn.running_var']);

/** Runs the case on both sides: the gap between the logits and, where the tail has a neuron, its charges' distance from threshold. */
async function runCase(c: TailCase): Promise<{ gap: number; margin: Float64Array | null; logits: Float32Array }> {
  const doc = presetDocument(c.template, c.preset);
  const tail = tailDocument(doc, c.cut);
  const T = tail.timeSteps;
  const shapes = paramShapes(tail);
  const set = drawnParams(shapes, 5);
  for (const [k, v] of c.weights?.(shapes, T) ?? []) set.set(k, v);
  const x = c.input(tail.input.shape, T, 3);
  const engine = await runTail(tail, B, x, set);
  const weights: Record<string, WireArray> = {};
  const buffers: Record<string, WireArray> = {};
  for (const [name, p] of engine.params) {
    const ref = c.rename?.[name] ?? name;
    (BUFFERS.has(ref) ? buffers : weights)[ref] = toWire(p.data, p.shape);
  }
  const res = await runTorchRef({ op: 'head_tail', params: c.ref, inputs: { x: toWire(x, [T, B, ...tail.input.shape]) }, weights, buffers, dtype: 'float64' });
  const want = fromWire(res.outputs.logits!).data;
  return { gap: logitGap(engine.logits, want), margin: res.outputs.margin ? fromWire(res.outputs.margin).data : null, logits: engine.logits };
}

describe('every template description states its head wiring and its released code', () => {
  it('each description has a "Head" sentence that says where the mean over T sits relative to the last neuron', () => {
    for (const t of listTemplates()) expect(t.description, t.id).toMatch(/Head\b.*mean over T/);
  });

  it('each description says how the released code departs from the paper, or that there is none to compare ("Released code against the paper: …")', () => {
    for (const t of listTemplates()) expect(t.description, t.id).toMatch(/Released code against the paper: /);
  });

  it('each paper\'s template says whether its released code walks a neuron over merged T·B rows (QKFormer\'s does, and offers it as an option)', () => {
    for (const t of listTemplates().filter((t) => t.paper)) {
      if (t.options?.some((o) => o.name === 'releasedCode')) expect(t.description, t.id).toMatch(/merged \[T·B, C, N\] rows/);
      else expect(t.description, t.id).toMatch(/Neuron walks/);
    }
  });

  it('every template has a head reference case below', () => {
    expect(new Set(CASES.map((c) => c.template.id))).toEqual(new Set(listTemplates().map((t) => t.id)));
  });
});

describe.skipIf(skipping('head-wiring: template heads vs the PyTorch reference', torchSkipReason))('every template head against the PyTorch reference of its readout', () => {
  afterAll(() => stopTorchRef());

  for (const c of CASES) {
    it(`${c.template.id} ${c.preset}: ${c.wiring}`, async () => {
      const { gap, margin, logits } = await runCase(c);
      expect(logits.every(Number.isFinite)).toBe(true);
      if (margin) {
        let closest = Infinity;
        let fired = 0;
        for (const m of margin) {
          closest = Math.min(closest, Math.abs(m));
          if (m >= 0) fired++;
        }
        // the comparison means something only if no spike sits on an edge and the neuron both fires and stays silent
        expect(closest, 'closest charge to the threshold').toBeGreaterThan(1e-4);
        expect(fired / margin.length).toBeGreaterThan(0.05);
        expect(fired / margin.length).toBeLessThan(0.95);
      }
      expect(gap, 'largest logit gap relative to the largest logit').toBeLessThan(2e-5);
    }, 120_000);
  }
});
