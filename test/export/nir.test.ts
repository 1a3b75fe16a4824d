/**
 * The NIR export: the file, read back with h5py (Debian's python3-h5py), holds NIR's layout — root
 * `version`, `node` of type NIRGraph, `nodes/<name>` groups of typed primitives with their arrays,
 * `edges` — with BatchNorm folded into the convolutions and the LIF constants converted for the
 * stated step; and a small reference (nir_reference.py) that simulates the NIR graph step by step
 * gives the engine's spikes at every LIF and its logits (mean over T of the NIR output).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportRefused } from '../../engine/core/export/lint.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { exportModel } from '../../engine/runtime/export/export-model.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { buildTemplate } from '../../templates/index.js';
import { normGains } from '../helpers/forward.js';
import { skipping } from '../helpers/skip.js';
import { TORCH_PYTHON } from '../helpers/torch.js';
import { smallCnn } from './docs.js';
import { maxAbsDiff } from './pytorch-helpers.js';

const REFERENCE = fileURLToPath(new URL('./nir_reference.py', import.meta.url));
const SAMPLES = 8;
/** As in pytorch.test.ts: float32 rounds v to about 1e-6; compared samples keep every neuron 2e-5 from θ. */
const MARGIN = 2e-5;
const DT = 1e-3;
const work = mkdtempSync(join(tmpdir(), 'snn-nir-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function h5pySkipReason(): string | null {
  const probe = spawnSync(TORCH_PYTHON, ['-c', 'import h5py, torch, numpy'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${TORCH_PYTHON} cannot import h5py/torch/numpy (${(probe.stderr ?? probe.error?.message ?? '').trim().split('\n').pop()}); apt-get install python3-h5py`;
}

interface Reference {
  layout: { version: string; graph_type: string; dt: number; root_attrs: Record<string, unknown>; nodes: Record<string, { type: string; arrays: Record<string, number[]> }>; edges: [string, string][] };
  spikes: Record<string, number[][]>;
  outputs: number[][];
  margins: number[];
}

describe.skipIf(skipping('NIR export read back with h5py', h5pySkipReason()))('NIR export', () => {
  const doc = smallCnn({ size: 12 });
  const analysis = analyseDocument(doc);
  // BN γ = 3 makes the conv layers fire at initialisation; running statistics moved off 0/1 so the fold is exercised
  const params = normGains(doc, 3);
  for (const [name, t] of documentWeights(doc, analysis)) {
    if (name.endsWith('running_mean')) params.set(name, t.data.map((_, i) => 0.05 * Math.sin(i)));
    if (name.endsWith('running_var')) params.set(name, t.data.map((_, i) => 0.8 + 0.3 * Math.cos(i)));
    // after the average pool lif2 needs a larger γ, and fc1 (no BatchNorm) 6 times its seeded weights, for lif3 to fire
    if (name === 'bn2.weight') params.set(name, t.data.map(() => 10));
    if (name === 'fc1.weight') params.set(name, t.data.map((v) => 6 * v));
  }
  const file = join(work, 'small.nir');
  const rng = Rng.fromSeed(3);
  const x = Float32Array.from({ length: SAMPLES * 144 }, () => rng.uniform());
  let ref: Reference;

  it('writes the file NIR reads: version, NIRGraph, typed nodes, edges, BN folded, LIF constants for dt', async () => {
    await exportModel({ doc, format: 'nir', out: file, params, dt: DT });
    writeFileSync(join(work, 'x.bin'), x);
    const run = spawnSync(TORCH_PYTHON, [REFERENCE, file, join(work, 'x.bin'), String(SAMPLES)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`nir_reference failed: ${run.stderr}`);
    ref = JSON.parse(run.stdout) as Reference;
    const l = ref.layout;
    expect(l.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(l.graph_type).toBe('NIRGraph');
    expect(l.dt).toBe(DT);
    expect(l.root_attrs).toMatchObject({ generator: 'SNN Studio', dt: DT, time_steps: 4 });
    const types = Object.fromEntries(Object.entries(l.nodes).map(([k, v]) => [k, v.type]));
    expect(types).toEqual({ input: 'Input', conv1: 'Conv2d', lif1: 'LIF', pool1: 'AvgPool2d', conv2: 'Conv2d', lif2: 'LIF', flatten: 'Flatten', fc1: 'Affine', lif3: 'LIF', fc: 'Affine', output: 'Output' });
    expect(l.nodes.conv1!.arrays).toEqual({ weight: [4, 1, 3, 3], bias: [4], stride: [2], padding: [2], dilation: [2], groups: [], input_shape: [2] });
    expect(l.nodes.lif1!.arrays).toEqual({ tau: [4, 12, 12], r: [4, 12, 12], v_leak: [4, 12, 12], v_threshold: [4, 12, 12], v_reset: [4, 12, 12] });
    expect(l.nodes.fc1!.arrays).toEqual({ weight: [16, 8 * 6 * 6], bias: [16] });
    expect(l.nodes.output!.arrays).toEqual({ shape: [1] });
    expect(l.edges).toEqual([
      ['input', 'conv1'], ['conv1', 'lif1'], ['lif1', 'pool1'], ['pool1', 'conv2'], ['conv2', 'lif2'],
      ['lif2', 'flatten'], ['flatten', 'fc1'], ['fc1', 'lif3'], ['lif3', 'fc'], ['fc', 'output'],
    ]);
    // the values: τ = τ_d·dt, r = 1 (decay_input), v_leak = v_reset = 0, threshold 1
    const values = spawnSync(TORCH_PYTHON, ['-c', `import h5py, json; n = h5py.File(${JSON.stringify(file)})["node"]["nodes"]["lif1"]; print(json.dumps({k: float(n[k][()].flat[0]) for k in ("tau", "r", "v_leak", "v_reset", "v_threshold")}))`], { encoding: 'utf8' });
    const lif = JSON.parse(values.stdout) as Record<string, number>;
    expect(lif.tau).toBeCloseTo(2 * DT, 9);
    expect(lif).toMatchObject({ r: 1, v_leak: 0, v_reset: 0, v_threshold: 1 });
  }, 120_000);

  it('a reference simulation of the NIR graph gives the engine\'s spikes and logits', async () => {
    expect(ref, 'the first test wrote and read the file').toBeDefined();
    const lifs = ['lif1', 'lif2', 'lif3'];
    const compiled = compileInference(doc, {
      batch: SAMPLES,
      params,
      extraOutputs: (b, lowered) => {
        for (const id of lifs) b.output(`spikes:${id}`, lowered.nodeOutputs.get(`${id}:out`)!.value);
      },
    });
    const session = await createSession(compiled.bytes, { threads: 1 });
    let out: Record<string, ort.Tensor>;
    try {
      out = (await session.run({ input: floatTensor(x, compiled.inputShape) })) as Record<string, ort.Tensor>;
    } finally {
      await session.release();
    }
    const kept = ref.margins.flatMap((m, i) => (m >= MARGIN ? [i] : []));
    expect(kept.length).toBeGreaterThanOrEqual(2);
    let compared = 0;
    for (const id of lifs) {
      const engine = out[`spikes:${id}`]!.data as Float32Array; // [T, B, ...]
      const per = engine.length / (4 * SAMPLES);
      const steps = ref.spikes[id]!;
      expect(steps.length).toBe(4);
      let fired = 0;
      for (let t = 0; t < 4; t++) {
        for (const b of kept) {
          for (let k = 0; k < per; k++) {
            const e = engine[(t * SAMPLES + b) * per + k]!;
            expect(steps[t]![b * per + k], `${id} t=${t} sample ${b} neuron ${k}`).toBe(e);
            fired += e;
            compared++;
          }
        }
      }
      expect(fired, `${id} fires`).toBeGreaterThan(0);
    }
    const logits = out.logits!.data as Float32Array;
    const classes = logits.length / SAMPLES;
    const mean = Array.from({ length: logits.length }, (_, i) => ref.outputs.reduce((s, step) => s + step[i]!, 0) / ref.outputs.length);
    const pick = (v: ArrayLike<number>) => kept.flatMap((b) => Array.from({ length: classes }, (_, c) => v[b * classes + c]!));
    const diff = maxAbsDiff(pick(logits), pick(mean));
    console.log(`NIR reference: ${kept.length}/${SAMPLES} samples at margin ≥ ${MARGIN}, ${compared} spikes equal, max |logit diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-4);
  }, 120_000);

  it('lif-cnn is refused (max-pool) and nothing is written', async () => {
    const target = join(work, 'refused', 'lif-cnn.nir');
    await expect(exportModel({ doc: buildTemplate('lif-cnn', 'digits'), format: 'nir', out: target })).rejects.toThrow(ExportRefused);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(work, 'refused')) ? readdirSync(join(work, 'refused')) : []).toEqual([]);
  });
});
