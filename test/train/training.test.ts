// TrainingRun and train(): the event stream, cancellation at a step boundary, per-epoch
// checkpoints, and resume — a run stopped after epoch 1 and resumed ends bit-identical to one that
// never stopped (same batches, schedule, optimizer state, BN statistics, and the noise of rate
// encoding and dropout, which the host draws from (seed, step)).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { loadCheckpoint } from '../../engine/runtime/checkpoint/index.js';
import { DEFAULT_LIMITS } from '../../engine/core/limits/limits.js';
import { train, type TrainEvent } from '../../engine/runtime/train/index.js';
import { collect, quickDoc, quickOptions, tempDirs } from './helpers/quick-run.js';

const doc = quickDoc;
/** The same network rate-encoded, with dropout before the readout: every step draws noise. */
const stochastic: GraphDocument = (() => {
  const d = structuredClone(doc);
  d.nodes = d.nodes.map((n) => (n.block === 'direct_encoder' ? { ...n, block: 'rate_encoder' } : n));
  d.nodes.push({ id: 'drop', block: 'dropout', params: { p: 0.3 } });
  d.edges = d.edges.flatMap((e) => (e.source === 'flatten' && e.target === 'fc' ? [{ source: 'flatten', target: 'drop' }, { source: 'drop', target: 'fc' }] : [e]));
  return d;
})();
const base = quickOptions;
const tempDir = tempDirs('snn-train-');

describe('train()', () => {
  it('streams start, steps, epochs and done, and checkpoints every epoch', async () => {
    const out = await tempDir();
    const events = await collect(train(doc, { ...base, outDir: out }));
    expect(events.map((e) => e.type)).toEqual(['start', ...Array(4).fill('step'), 'epoch', ...Array(4).fill('step'), 'epoch', 'done']);
    const steps = events.filter((e): e is Extract<TrainEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const s of steps) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.imagesPerSecond).toBeGreaterThan(0);
    }
    const epoch = events.find((e) => e.type === 'epoch') as Extract<TrainEvent, { type: 'epoch' }>;
    expect(Object.keys(epoch.firingRates)).toEqual(['lif1', 'lif2']);
    expect(epoch.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(epoch.testAccuracy).toBeLessThanOrEqual(1);
    const done = events.at(-1) as Extract<TrainEvent, { type: 'done' }>;
    expect(done).toMatchObject({ epochs: 2, steps: 8, cancelled: false });
    expect((await readdir(out)).sort()).toEqual([
      'document.snn.json',
      'epoch-0001.json',
      'epoch-0001.safetensors',
      'epoch-0002.json',
      'epoch-0002.safetensors',
      'metrics.jsonl',
      'run.json',
      'settings.json',
    ]);
  });

  it('cancel() stops at the next step boundary and still reports done', async () => {
    const job = train(doc, base);
    const events: TrainEvent[] = [];
    for await (const e of job) {
      events.push(e);
      if (e.type === 'step' && e.step === 3) job.cancel();
    }
    expect(events.filter((e) => e.type === 'step')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'done', cancelled: true, steps: 3, epochs: 0 });
  });

  it('bounds what the document may expand to by the limits it is given, like compile', async () => {
    await expect(collect(train(doc, { ...base, limits: { ...DEFAULT_LIMITS, nodes: 5 } }))).rejects.toThrow(/the limit is 5 \(limit "nodes"\)/);
    const events = await collect(train(doc, { ...base, epochs: 1, maxStepsPerEpoch: 1, limits: { ...DEFAULT_LIMITS, nodes: 1000 } }));
    expect(events.at(-1)).toMatchObject({ type: 'done', cancelled: false });
  });

  it('an AbortSignal cancels too', async () => {
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    for await (const e of train(doc, { ...base, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'step') controller.abort();
    }
    expect(events.filter((e) => e.type === 'step')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'done', cancelled: true });
  });

  it.each([
    ['a deterministic network', doc],
    ['rate encoding and dropout (host-drawn noise per step)', stochastic],
  ])('resuming from the epoch-1 checkpoint ends bit-identical to an uninterrupted run: %s', async (_name, doc) => {
    const straight = await tempDir();
    const split = await tempDir();
    await collect(train(doc, { ...base, outDir: straight }));
    // interrupted right after epoch 1 (same options, so the same schedule)
    const first = train(doc, { ...base, outDir: split });
    for await (const e of first) if (e.type === 'epoch') first.cancel();
    const resumed = await collect(train(doc, { ...base, outDir: split, resume: true }));
    expect(resumed[0]).toMatchObject({ type: 'start', resumedAtEpoch: 1 });
    expect(resumed.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step)).toEqual([5, 6, 7, 8]);
    const a = await loadCheckpoint(join(straight, 'epoch-0002.json'));
    const b = await loadCheckpoint(join(split, 'epoch-0002.json'));
    expect(b.meta.step).toBe(a.meta.step);
    expect([...b.tensors.keys()].sort()).toEqual([...a.tensors.keys()].sort());
    expect([...a.tensors.keys()].some((k) => k.startsWith('optim.exp_avg.'))).toBe(true);
    for (const [name, t] of a.tensors) expect(Buffer.from(b.tensors.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
    expect(b.meta.metrics).toEqual(a.meta.metrics);
  });
});
