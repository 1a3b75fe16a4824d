/**
 * Importing published weights: a state_dict that Debian's PyTorch writes under the authors' module
 * names — Spikformer's (block.0.attn.q_linear.weight, patch_embed.proj_conv.weight, …, with the
 * released LayerNorms and BN counters) SDT's (1×1 Conv2d q_conv … fc2_conv, the unused
 * talking_heads) Spikingformer's (tokenizer block<k>_conv, Conv1d projections, mlp1/mlp2) and QKFormer's
 * (stage<s>.<i>.tssa/ssa, proj1/proj3/proj4) — imports into the spikformer, sdt, spikingformer and
 * qkformer tiny templates through the CLI,
 * and the engine, given the resulting checkpoint, reproduces the logits PyTorch computed with it.
 * Bad files — truncated, foreign, malicious — are refused with a message naming the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../engine/core/rng.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { exportModel } from '../../engine/runtime/export/export-model.js';
import { importWeights } from '../../engine/runtime/export/import-weights.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { readTrainedParams } from '../../engine/runtime/train/index.js';
import { buildTemplate } from '../../templates/index.js';
import { skipping } from '../helpers/skip.js';
import { TORCH_PYTHON, torchSkipReason } from '../helpers/torch.js';
import { cli } from '../train/helpers/cli.js';
import { engineLogits, maxAbsDiff } from './pytorch-helpers.js';

const AUTHORS = fileURLToPath(new URL('./authors_state_dict.py', import.meta.url));
const SAMPLES = 8;
/** As in pytorch.test.ts. */
const MARGIN = 2e-5;
const work = mkdtempSync(join(tmpdir(), 'snn-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function python(args: string[]): string {
  const p = spawnSync(TORCH_PYTHON, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (p.status !== 0) throw new Error(`${args[0]} failed: ${p.stderr}`);
  return p.stdout;
}

describe.skipIf(skipping('importing PyTorch state_dicts', torchSkipReason))('snn-studio import', () => {
  const rng = Rng.fromSeed(5);
  const x = Float32Array.from({ length: SAMPLES * 28 * 28 }, () => rng.uniform());
  const CASES = [
    { template: 'spikformer', wrap: false, notes: ["ignored 11: BatchNorm's step counter", 'ignored 4: the released blocks build LayerNorms norm1/norm2'] },
    { template: 'spikformer', wrap: true, notes: ['state_dict under "model"'] },
    // SDT's released 1×1 Conv2d projections ([O, I, 1, 1]) and its unused talking_heads Conv1d
    { template: 'sdt', wrap: false, notes: ['6 reshaped', 'ignored 1: the released SDSA builds a talking_heads Conv1d'] },
    // Spikingformer's tokenizer block<k>_conv, Conv1d attention projections, MLP mlp1/mlp2
    { template: 'spikingformer', wrap: false, notes: ['58 renamed, 6 reshaped', 'ignored 4: the released blocks build LayerNorms norm1/norm2'] },
    // QKFormer's stage<s>.<i>.tssa/ssa, Conv1d projections, mlp1/mlp2, proj1/proj3/proj4 patch embeddings
    { template: 'qkformer', wrap: false, notes: ['reshaped'] },
  ];

  for (const c of CASES) {
    it(`${c.template}:tiny from the authors' names${c.wrap ? ' (under {"model": …})' : ''}: the engine reproduces PyTorch's logits`, async () => {
      const doc = buildTemplate(c.template, 'tiny');
      const dir = join(work, `model-${c.template}`);
      await exportModel({ doc, format: 'pytorch', out: dir });
      writeFileSync(join(work, 'x.bin'), x);
      const tag = `${c.template}${c.wrap ? '-wrapped' : ''}`;
      const pth = join(work, c.template === 'spikformer' && !c.wrap ? 'released.pth' : `${tag}.pth`);
      const flags = [...(c.wrap ? ['--wrap'] : []), `--family=${c.template}`];
      const torch = JSON.parse(python([AUTHORS, dir, pth, join(work, 'x.bin'), String(SAMPLES), ...flags])) as { logits: number[]; margins: number[] };
      const run = join(work, `run-${tag}`);
      const r = await cli(['import', `${c.template}:tiny`, '--weights', pth, '-o', run]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/epoch-0000\.json: \d+ tensors .* \(pytorch/);
      for (const note of c.notes) expect(r.stdout).toContain(note);
      const params = await readTrainedParams(join(run, 'epoch-0000.json'), doc);
      const engine = await engineLogits(doc, params, x, SAMPLES);
      const classes = engine.length / SAMPLES;
      const kept = torch.margins.flatMap((m, i) => (m >= MARGIN ? [i] : []));
      const pick = (v: ArrayLike<number>) => kept.flatMap((i) => Array.from({ length: classes }, (_, k) => v[i * classes + k]!));
      const diff = maxAbsDiff(pick(engine), pick(torch.logits));
      console.log(`import ${tag}:tiny: ${kept.length}/${SAMPLES} samples at margin ≥ ${MARGIN}, max |logit diff| ${diff.toExponential(2)} (all: ${maxAbsDiff(engine, torch.logits).toExponential(2)}), max |logit| ${Math.max(...torch.logits.map(Math.abs)).toFixed(3)}`);
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(Math.max(...torch.logits.map(Math.abs))).toBeGreaterThan(0.01);
      expect(diff).toBeLessThanOrEqual(1e-4);
    }, 180_000);
  }

  it("imports the engine's own safetensors (a PyTorch export's weights) unchanged", async () => {
    const dir = join(work, 'own');
    const lif = buildTemplate('lif-cnn', 'digits');
    await exportModel({ doc: lif, format: 'pytorch', out: dir, seed: 7 });
    const r = await importWeights(lif, join(dir, 'weights.safetensors'), join(work, 'run-own'));
    expect(r.format).toBe('safetensors');
    expect(r.mapping.renamed).toEqual([]);
    const params = await readTrainedParams(r.checkpoint, lif);
    const seeded = documentWeights(lif, analyseDocument(lif), { seed: 7 });
    expect([...params.keys()].sort()).toEqual([...seeded.keys()].sort());
    for (const [name, t] of seeded) expect(params.get(name), name).toEqual(t.data);
  }, 60_000);

  it('refuses truncated, foreign and malicious files, naming the file and the first problem', async () => {
    const released = readFileSync(join(work, 'released.pth'));
    const truncated = join(work, 'truncated.pth');
    writeFileSync(truncated, released.subarray(0, released.length - 4096));
    python(['-c', `
import torch
m = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Linear(3, 4))
torch.save(m.state_dict(), ${JSON.stringify(join(work, 'foreign.pth'))})
class Payload:
    def __reduce__(self):
        import os
        return (os.system, ("touch ${join(work, 'pwned')}",))
torch.save({"block.0.attn.q_linear.weight": Payload()}, ${JSON.stringify(join(work, 'malicious.pth'))})
`]);
    writeFileSync(join(work, 'notes.pth'), 'not a model');
    const cases: [string, RegExp][] = [
      ['truncated.pth', /truncated\.pth: .*(truncated|damaged)/],
      ['foreign.pth', /foreign\.pth: does not fit "Spikformer-1-32 on MNIST digits" \(template spikformer\):\n.*document tensor\(s\) not in the file/s],
      ['malicious.pth', /malicious\.pth: refuses the global "posix\.system"/],
      ['notes.pth', /notes\.pth: is not a PyTorch file/],
    ];
    for (const [name, message] of cases) {
      const r = await cli(['import', 'spikformer:tiny', '--weights', join(work, name), '-o', join(work, `run-${name}`)]);
      expect(r.code, `${name}: ${r.stdout}`).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect(spawnSync('test', ['-e', join(work, 'pwned')]).status, 'the payload never ran').toBe(1);
  }, 180_000);
});
