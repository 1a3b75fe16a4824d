/**
 * Measurement on ONNX Runtime: firing rates from the activity taps against spikes worked out by
 * hand for chosen weights, and per-node times against the whole model's run time.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/core/rng.js';
import { profileRun, type ProfileBatch } from '../../engine/runtime/profile/profile-run.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { smallGraph } from './small-graph.js';

/**
 * conv channel 0 copies the pixel (centre tap 1), channel 1 halves it (0.5); LIF τ=2, V_th 1,
 * hard reset to 0 charges H = V + (X − V)/2 on the constant (direct-encoded) input:
 *   pixel 3.0: H 1.5 → spike, then 1.5 → spike;  pixel 1.5: 0.75, then 1.125 → spike;  0.5: never
 *   channel 1 (×0.5): 1.5 → 0.75, then 1.125 → spike; 0.75 and 0.25 never.
 * With 4 pixels of 3.0, 4 of 1.5 and 8 of 0.5, lif1 fires 4 of 32 neurons at t=1 and 8+4 at t=2.
 * fc: out0 = Σ channel-0 spikes (4, then 8), out1 = 0, out2 = 2·Σ channel-1 spikes (0, then 8);
 * lif2: out0 H 2 → spike, then 4 → spike; out2 0, then 4 → spike; out1 never: 1/3 then 2/3.
 */
function chosenWeights(): Map<string, Float32Array> {
  const conv = new Float32Array(2 * 9);
  conv[4] = 1;
  conv[9 + 4] = 0.5;
  const fc = new Float32Array(3 * 32);
  for (let i = 0; i < 16; i++) fc[0 * 32 + i] = 1;
  for (let i = 16; i < 32; i++) fc[2 * 32 + i] = 2;
  return new Map([
    ['conv.weight', conv],
    ['fc.weight', fc],
  ]);
}

function image(): Float32Array {
  return Float32Array.from({ length: 16 }, (_, i) => (i < 4 ? 3 : i < 8 ? 1.5 : 0.5));
}

describe('profileRun', () => {
  it('measures the firing rates worked out by hand, per step and averaged, on 3 samples in batches of 2', async () => {
    const doc = smallGraph();
    const x = new Float32Array(3 * 16);
    for (let s = 0; s < 3; s++) x.set(image(), s * 16);
    const batches: ProfileBatch[] = [
      { x: x.subarray(0, 32), y: Int32Array.of(0, 0), size: 2 },
      { x: x.subarray(32), y: Int32Array.of(2), size: 1 }, // a short last batch: its padding is left out
    ];
    const run = await profileRun(doc, batches, { batch: 2, samples: 256, params: chosenWeights(), threads: 1 });
    expect(run.samples).toBe(3);
    expect(run.weights).toBe('checkpoint');
    const row = (id: string) => run.profile.rows.find((r) => r.id === id)!;
    const lif1 = row('lif1').writes[0]!;
    expect(lif1.perStep![0]).toBeCloseTo(4 / 32, 12);
    expect(lif1.perStep![1]).toBeCloseTo(12 / 32, 12);
    expect(lif1.rate).toBeCloseTo(0.25, 12);
    expect(row('fc').reads[0]!.rate).toBeCloseTo(0.25, 12); // flatten passes the rate on
    expect(row('conv').reads[0]!.nonzero).toBe(1); // every pixel of the image is nonzero
    expect(row('lif2').writes[0]!.perStep![0]).toBeCloseTo(1 / 3, 12);
    expect(row('lif2').writes[0]!.perStep![1]).toBeCloseTo(2 / 3, 12);
    // paper: conv 576/2 MACs; fc 192 × 0.25 ACs
    expect(run.profile.totals.energy.paper.macs).toBe(288);
    expect(run.profile.totals.energy.paper.acs).toBeCloseTo(48, 9);
    // logits = mean over T of lif2's spikes: class 0 (1, 1) beats class 2 (0, 1)
    expect(run.accuracy).toBeCloseTo(2 / 3, 12);
    // the rasters of the first sample, every neuron shown (fewer than 64)
    const raster = (key: string) => run.rasters.find((r) => r.tensor === key)!;
    const fired = (key: string, t: number) => raster(key).spikes[t]!.flatMap((s, k) => (s ? [raster(key).shown[k]] : []));
    expect(run.rasters.map((r) => r.tensor)).toEqual(['lif1:out', 'lif2:out']);
    expect(raster('lif1:out').neurons).toBe(32);
    expect(fired('lif1:out', 0)).toEqual([0, 1, 2, 3]);
    expect(fired('lif1:out', 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19]);
    expect(raster('lif2:out').spikes).toEqual([
      [1, 0, 0],
      [1, 0, 1],
    ]);
  });

  it('says when the weights are seeded, stops at the sample limit, and counts nonzero image values of either sign', async () => {
    const doc = smallGraph();
    // per sample: 4 negative, 8 zero, 4 positive pixels
    const x = Float32Array.from({ length: 4 * 16 }, (_, i) => (i % 16 < 4 ? -1 : i % 16 < 12 ? 0 : 2));
    const batches = [{ x, size: 4 }];
    const run = await profileRun(doc, batches, { batch: 4, samples: 2, threads: 1 });
    expect(run.weights).toBe('seeded');
    expect(run.samples).toBe(2);
    expect(run.accuracy).toBeUndefined();
    expect(run.profile.rows.find((r) => r.id === 'conv')!.reads[0]!.nonzero).toBe(0.5);
  });

  it('per-node times add up to within 10 % of the measured whole-model latency (lif-cnn, batch 32)', async () => {
    const doc = lifCnn();
    const rng = Rng.fromSeed(1);
    const B = 32;
    const batches = Array.from({ length: 12 }, () => ({ x: Float32Array.from({ length: B * 784 }, () => rng.uniform()), size: B }));
    const run = await profileRun(doc, batches, { batch: B, samples: 12 * B, threads: 2 });
    const l = run.latency;
    const rowsMs = run.profile.rows.reduce((s, r) => s + (r.timeMs ?? 0), 0);
    // the rows and the unattributed rest split the kernel time exactly
    expect(rowsMs + run.profile.totals.unattributedMs! + l.tapMs).toBeCloseTo(l.kernelMs, 9);
    expect(run.profile.totals.timeMs).toBeCloseTo(l.kernelMs - l.tapMs, 9);
    // all but the final mean and output copies lands on document nodes; ORT's blocked-layout convs
    // (named after their fused BN's output) are found by op type
    expect((rowsMs + l.tapMs) / l.kernelMs).toBeGreaterThan(0.95);
    expect(run.profile.rows.find((r) => r.id === 'conv2')!.timeMs!).toBeGreaterThan(0);
    // Σ per-node kernel time against the session.run wall time, on the run least disturbed by
    // other work (the cores are shared with the rest of the suite: a descheduled thread adds wall
    // time between kernels only). A node the trace missed would open the gap on every run.
    expect(l.quietestRun.kernelMs).toBeGreaterThan(0);
    expect(l.quietestRun.kernelMs).toBeLessThanOrEqual(l.quietestRun.wallMs);
    expect((l.quietestRun.wallMs - l.quietestRun.kernelMs) / l.quietestRun.wallMs).toBeLessThan(0.1);
  });

  it('is cancelled by its signal between batches', async () => {
    const doc = smallGraph();
    const ctrl = new AbortController();
    const batches = (function* () {
      yield { x: new Float32Array(16), size: 1 };
      ctrl.abort();
      yield { x: new Float32Array(16), size: 1 };
    })();
    await expect(profileRun(doc, batches, { batch: 1, samples: 10, threads: 1, signal: ctrl.signal })).rejects.toThrow(/abort/i);
  });
});
