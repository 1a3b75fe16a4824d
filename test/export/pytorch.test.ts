/**
 * The PyTorch export against the engine: Debian's PyTorch loads each export (model.py +
 * weights.safetensors through the bundled reader) and reproduces the engine's logits (float64 in
 * PyTorch, inputs whose every neuron stays at least MARGIN from its threshold, so float32 and
 * float64 fire alike); for lif-cnn one training step's gradients (train-mode BatchNorm) and the
 * BatchNorm running statistics match the engine's autodiff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { lintExport } from '../../engine/core/export/lint.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { Rng } from '../../engine/core/rng.js';
import { exportModel } from '../../engine/runtime/export/export-model.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';
import { normGains } from '../helpers/forward.js';
import { skipping } from '../helpers/skip.js';
import { torchSkipReason } from '../helpers/torch.js';
import { expectClose } from '../train/helpers/compare.js';
import { documentWithGradients } from '../train/helpers/documents.js';
import { openGraph } from '../train/helpers/ir-session.js';
import { engineLogits, maxAbsDiff, runExport } from './pytorch-helpers.js';

/**
 * The closest any neuron may come to its threshold in a compared sample: float32 rounds H to about
 * 1e-6 here (|H| ≲ 10), so 2e-5 keeps every spike of the float32 engine and float64 PyTorch alike.
 * (With thousands of neurons per layer, the closest of them sits around 1e-4 of the threshold.)
 */
const MARGIN = 2e-5;
const BATCH = 2;
const SAMPLES = 16;
/** The norms' γ that makes each network fire through to its head at initialisation (16 elsewhere: at γ = 2 the transformers' last neurons are silent). */
const GAIN: Readonly<Record<string, number>> = { 'lif-cnn': 4 };
const work = mkdtempSync(join(tmpdir(), 'snn-pytorch-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The small preset of every template the PyTorch export holds whole (the lint test lists the others). */
const EXPORTABLE = listTemplates()
  .map((t) => ({ id: t.id, preset: (t.presets.find((p) => p.name === 'tiny' || p.name === 'digits') ?? t.presets[0]!).name }))
  .filter(({ id, preset }) => lintExport(buildTemplate(id, preset), 'pytorch').ok)
  .filter(({ preset }) => preset === 'tiny' || preset === 'digits');

/** Seeded weights with every norm's γ at `gain`, so that spikes reach the head of a deep network. */
function weightsOf(doc: GraphDocument, gain: number): Map<string, Float32Array> {
  const gains = normGains(doc, gain);
  const all = documentWeights(doc, analyseDocument(doc), { params: gains });
  // a PSN's bias starts at −1; after a Linear without BatchNorm (psn's fc1) nothing would fire: 0 there
  return new Map([...all].map(([k, t]) => [k, /_sn\.bias$/.test(k) && t.shape[1] === 1 ? new Float32Array(t.data.length) : t.data]));
}

function inputs(doc: GraphDocument, seed: number, batch: number): { x: Float32Array; shape: number[] } {
  const rng = Rng.fromSeed(seed);
  const shape = [batch, ...doc.input.shape];
  return { x: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform()), shape };
}

describe.skipIf(skipping('PyTorch export vs the engine', torchSkipReason))('PyTorch export vs the engine', () => {
  it('covers at least lif-cnn and spikformer tiny', () => {
    expect(EXPORTABLE.map((t) => t.id)).toEqual(expect.arrayContaining(['lif-cnn', 'spikformer']));
  });

  for (const { id, preset } of EXPORTABLE) {
    it(`${id}:${preset}: same logits (max |diff| ≤ 1e-4)`, async () => {
      const doc = buildTemplate(id, preset);
      const params = weightsOf(doc, GAIN[id] ?? 16);
      const dir = join(work, `${id}-${preset}`);
      await exportModel({ doc, format: 'pytorch', out: dir, params });
      // eval-mode samples are independent: compare those whose every neuron stays MARGIN from its threshold
      const { x, shape } = inputs(doc, 1, SAMPLES);
      const torch = runExport(dir, work, x, shape);
      const engine = await engineLogits(doc, params, x, SAMPLES);
      const classes = engine.length / SAMPLES;
      const kept = torch.margins.flatMap((m, i) => (m >= MARGIN ? [i] : []));
      const pick = (v: ArrayLike<number>) => kept.flatMap((i) => Array.from({ length: classes }, (_, c) => v[i * classes + c]!));
      const diff = maxAbsDiff(pick(engine), pick(torch.logits));
      const last = torch.rates[torch.rates.length - 1]!;
      console.log(`${id}:${preset}: ${kept.length}/${SAMPLES} samples at margin ≥ ${MARGIN}, max |logit diff| ${diff.toExponential(2)} (all samples: ${maxAbsDiff(engine, torch.logits).toExponential(2)}), last neuron layer ${last[0]} fires at ${last[1].toFixed(3)}`);
      expect(kept.length).toBeGreaterThanOrEqual(1);
      // spikes reach the head: the comparison covers the whole network, not a silent one's biases
      expect(last[1]).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-4);
    }, 120_000);
  }

  it('qkformer:tiny with the released code\'s forms: the merged-rows SSA projection LIF couples the samples alike (same logits, whole batches)', async () => {
    const doc = buildTemplate('qkformer', 'tiny', { releasedCode: true });
    const merged = analyseDocument(doc);
    expect(merged.ok).toBe(true);
    const params = weightsOf(doc, 16);
    const dir = join(work, 'qkformer-released');
    await exportModel({ doc, format: 'pytorch', out: dir, params });
    // a coupled batch is compared whole: the first candidate whose every neuron stays MARGIN away
    const K = 24;
    const batches = Array.from({ length: K }, (_, k) => inputs(doc, 300 + k, BATCH));
    const x = new Float32Array(K * batches[0]!.x.length);
    batches.forEach((b, k) => x.set(b.x, k * b.x.length));
    const torch = runExport(dir, work, x, batches[0]!.shape, undefined, MARGIN);
    expect(torch.margin, 'no candidate batch kept every neuron MARGIN from its threshold').toBeGreaterThanOrEqual(MARGIN);
    const c = torch.candidate!;
    const engine = await engineLogits(doc, params, batches[c]!.x, BATCH);
    const diff = maxAbsDiff(engine, torch.logits);
    const proj = torch.rates.find(([name]) => name.endsWith('stage3_block1.attn.proj_lif'));
    console.log(`qkformer:tiny+releasedCode: candidate ${c}, margin ${torch.margin.toExponential(2)}, max |logit diff| ${diff.toExponential(2)}, merged proj_lif fires at ${proj?.[1].toFixed(3)}`);
    expect(proj, 'the export names the merged neuron as the document does').toBeDefined();
    expect(proj![1]).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(1e-4);
    // and the walk matters on this batch: the paper's per-sample form gives other logits
    const perSample = await engineLogits(buildTemplate('qkformer', 'tiny'), params, batches[c]!.x, BATCH);
    expect(maxAbsDiff(perSample, engine)).toBeGreaterThan(1e-3);
  }, 180_000);

  it('lif-cnn: one training step of the export has the engine\'s gradients and BatchNorm statistics', async () => {
    const doc = buildTemplate('lif-cnn', 'digits');
    const params = weightsOf(doc, GAIN['lif-cnn']!);
    const dir = join(work, 'lif-cnn-grad');
    await exportModel({ doc, format: 'pytorch', out: dir, params });
    const graph = documentWithGradients(doc, BATCH);
    const runner = await openGraph(graph, params);
    try {
      // candidate batches (train-mode BatchNorm couples the samples): the first that keeps every neuron MARGIN away
      const K = 16;
      const batches = Array.from({ length: K }, (_, k) => inputs(doc, 100 + k, BATCH));
      const rs = Array.from({ length: K }, (_, k) => Float32Array.from({ length: BATCH * 10 }, (_, i) => Math.sin(i + 7 * k)));
      const x = new Float32Array(K * batches[0]!.x.length);
      batches.forEach((b, k) => x.set(b.x, k * b.x.length));
      const r = new Float32Array(K * BATCH * 10);
      rs.forEach((v, k) => r.set(v, k * v.length));
      const torch = runExport(dir, work, x, batches[0]!.shape, r, MARGIN);
      expect(torch.margin, 'no candidate batch kept every neuron MARGIN from its threshold').toBeGreaterThanOrEqual(MARGIN);
      const c = torch.candidate!;
      const engine = await runner.run({ input: batches[c]!.x, r: rs[c]! });
      expect(maxAbsDiff(engine.y!, torch.logits)).toBeLessThanOrEqual(1e-4);
      const names = Object.keys(torch.grads!);
      expect(names.sort()).toEqual(graph.outputs.filter((o) => o.name.startsWith('g:') && o.name !== 'g:input').map((o) => o.name.slice(2)).sort());
      let worst = 0;
      for (const name of names) {
        expectClose(engine[`g:${name}`]!, torch.grads![name]!, `gradient of ${name}`);
        worst = Math.max(worst, maxAbsDiff(engine[`g:${name}`]!, torch.grads![name]!));
      }
      for (const name of ['bn1.running_mean', 'bn1.running_var', 'bn2.running_mean', 'bn2.running_var']) {
        expectClose(engine[`updated:${name}`]!, torch.buffers![name]!, `updated ${name}`);
      }
      console.log(`lif-cnn training step: candidate ${c}, margin ${torch.margin.toExponential(2)}, ${names.length} gradients, max |diff| ${worst.toExponential(2)}, last layer fires at ${torch.rates[torch.rates.length - 1]![1].toFixed(3)}`);
    } finally {
      await runner.close();
    }
  }, 180_000);
});
