// `snn-studio profile`, run as a user runs it: the firing rates and accuracy of a checkpoint agree
// with `snn-studio eval` (a separate model and count) on the whole digits test set; the text
// output fits 80 columns with the three conventions side by side; bad input is refused.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifCnn } from '../../templates/lif-cnn.js';
import { cli } from '../train/helpers/cli.js';

let dir = '';
let docPath = '';
let checkpoint = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snn-profile-cli-'));
  docPath = join(dir, 'small.snn.json');
  await writeFile(docPath, JSON.stringify(lifCnn({ channels: [4, 8], timeSteps: 2 })));
  const r = await cli(['train', docPath, '--data', 'digits', '--epochs', '1', '--batch', '32', '--lr', '0.01', '--max-steps', '40', '--threads', '1', '--seed', '1', '--out', join(dir, 'run'), '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  checkpoint = join(dir, 'run', 'epoch-0001.json');
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ProfileJson {
  samples: number;
  weights: string;
  accuracy: number;
  profile: { rows: { id: string; writes: { rate?: number; perStep?: number[] }[]; timeMs?: number }[]; totals: { energy: Record<string, { mj: number }> } };
}

describe('snn-studio profile', () => {
  it('--json: firing rates and accuracy of a checkpoint equal eval on the whole test set', async () => {
    const ev = await cli(['eval', docPath, '--checkpoint', checkpoint, '--batch', '64', '--threads', '1', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const evaluated = JSON.parse(ev.stdout) as { samples: number; testAccuracy: number; firingRates: Record<string, number> };
    const r = await cli(['profile', docPath, '--checkpoint', checkpoint, '--samples', '5000', '--batch', '64', '--threads', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as ProfileJson;
    expect(p.samples).toBe(evaluated.samples);
    expect(p.weights).toBe('checkpoint');
    expect(p.accuracy).toBeCloseTo(evaluated.testAccuracy, 12);
    for (const layer of ['lif1', 'lif2']) {
      const w = p.profile.rows.find((row) => row.id === layer)!.writes[0]!;
      expect(w.rate).toBeCloseTo(evaluated.firingRates[layer]!, 9);
      expect(w.perStep).toHaveLength(2);
    }
    expect(evaluated.firingRates.lif1).toBeGreaterThan(0);
  }, 120_000);

  it('prints the node table and the three conventions side by side in 80 columns; says when weights are seeded', async () => {
    const r = await cli(['profile', docPath, '--samples', '64', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/seeded weights \(seed \d+\): no\s+checkpoint given/);
    expect(lines.some((l) => /^per image\s+paper\s+syops\s+neurobench$/.test(l))).toBe(true);
    expect(lines.some((l) => /^energy \(mJ\)(\s+[\d.e-]+){3}$/.test(l))).toBe(true);
    expect(lines.some((l) => /^conv2\s+conv2d/.test(l))).toBe(true);
  }, 60_000);

  it('--csv: a header and one line per node', async () => {
    const r = await cli(['profile', docPath, '--samples', '32', '--threads', '1', '--csv']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^path,block,depth,params,dense_macs,fr_in,fr_out/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['encoder', 'conv1', 'bn1', 'lif1', 'pool1', 'conv2', 'bn2', 'lif2', 'pool2', 'flatten', 'fc', 'mean_t']);
  }, 60_000);

  it('--membrane lif2 --sample 3: the trace of that sample in --json, the same numbers in --csv, and a table in text', async () => {
    const args = ['profile', docPath, '--checkpoint', checkpoint, '--samples', '8', '--threads', '1', '--membrane', 'lif2', '--sample', '3', '--neurons', '0,5,17'];
    const j = await cli([...args, '--json']);
    expect(j.code, j.stderr).toBe(0);
    const p = JSON.parse(j.stdout) as { sample: number; rasters: { tensor: string }[]; membrane: { node: string; tensor: string; shown: number[]; threshold: number; membrane: number[][]; spikes: number[][] } };
    expect(p.sample).toBe(3);
    expect(p.rasters.map((r) => r.tensor)).toEqual(['lif1:out', 'lif2:out']);
    const m = p.membrane;
    expect([m.node, m.tensor, m.shown, m.threshold]).toEqual(['lif2', 'lif2:out', [0, 5, 17], 1]);
    expect(m.membrane).toHaveLength(2);
    // fire exactly where the charge reached the threshold (LIF: H ≥ θ)
    m.membrane.forEach((step, t) => step.forEach((h, k) => expect(m.spikes[t]![k]).toBe(h >= m.threshold ? 1 : 0)));

    const c = await cli([...args, '--csv']);
    expect(c.code, c.stderr).toBe(0);
    const lines = c.stdout.trim().split('\n');
    expect(lines[0]).toBe('node,step,neuron,membrane,threshold,spike');
    expect(lines.slice(1).map((l) => l.split(',').map(Number).slice(1))).toEqual(m.membrane.flatMap((step, t) => step.map((h, k) => [t, m.shown[k], h, 1, m.spikes[t]![k]])));

    const text = await cli(args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Membrane of lif2 \(\d+ neurons\) on sample 3/);
    expect(text.stdout).toMatch(/^t\s+n0\s+n5\s+n17$/m);
  }, 60_000);

  it('refuses a membrane node that is no neuron layer, neurons outside it, and a sample past the samples profiled', async () => {
    const conv = await cli(['profile', docPath, '--samples', '4', '--membrane', 'conv1']);
    expect(conv.code).toBe(2);
    expect(conv.stderr).toMatch(/--membrane "conv1" \(conv2d\) is not a neuron layer/);
    const outside = await cli(['profile', docPath, '--samples', '4', '--membrane', 'lif2', '--neurons', '1,100000']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/neuron 100000 is not in "lif2" \(its \d+ neurons are 0 to \d+\)/);
    const past = await cli(['profile', docPath, '--samples', '4', '--sample', '4']);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/--sample 4: only 4 samples are profiled/);
    const orphan = await cli(['profile', docPath, '--neurons', '1']);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/--neurons picks the neurons of --membrane/);
  }, 60_000);

  it('refuses a bad convention, a document with errors and a checkpoint of another document version', async () => {
    const bad = await cli(['profile', docPath, '--convention', 'joules']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--convention must be one of paper, syops, neurobench/);

    const broken = join(dir, 'broken.snn.json');
    const doc = lifCnn({ channels: [4, 8], timeSteps: 2 });
    await writeFile(broken, JSON.stringify({ ...doc, edges: doc.edges.filter((e) => e.target !== 'fc') }));
    const refused = await cli(['profile', broken]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/fc.*not connected/);

    const other = join(dir, 'other.snn.json');
    await writeFile(other, JSON.stringify(lifCnn({ channels: [4, 8], timeSteps: 3 })));
    const wrong = await cli(['profile', other, '--checkpoint', checkpoint]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/saved for another version of the document/);
  }, 60_000);
});
