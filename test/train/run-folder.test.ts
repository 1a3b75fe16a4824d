// A run as files: the folder layout the CLI and the app share (run.json, the document snapshot,
// settings, metrics.jsonl, checkpoints), Stop in the middle of an epoch (a checkpoint of where it
// stood, and a resume that ends bit-identical to a run that never stopped), Pause, and a loss that
// turns NaN (the run stops with the step named, keeps its last good checkpoint, and says so).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainEventSchema } from '../../engine/api/train-events.js';
import { loadCheckpoint } from '../../engine/runtime/checkpoint/index.js';
import { documentHash } from '../../engine/runtime/hash.js';
import {
  deleteRunFolder,
  listRunFolders,
  nextRunDir,
  parseMetrics,
  PauseSwitch,
  readRunFolder,
  relabelRunFolder,
  train,
  type TrainEvent,
} from '../../engine/runtime/train/index.js';
import { collect, quickDoc, quickOptions, tempDirs } from './helpers/quick-run.js';

const doc = quickDoc;
const base = quickOptions;
const tempDir = tempDirs('snn-runs-');

async function sameTensors(a: string, b: string): Promise<void> {
  const x = await loadCheckpoint(a);
  const y = await loadCheckpoint(b);
  expect([...y.tensors.keys()].sort()).toEqual([...x.tensors.keys()].sort());
  for (const [name, t] of x.tensors) expect(Buffer.from(y.tensors.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
  expect(y.meta.step).toBe(x.meta.step);
  expect(y.meta.metrics).toEqual(x.meta.metrics);
}


describe('a run folder', () => {
  it('holds the document snapshot, the settings and every event, and reads back as a finished run', async () => {
    const runs = await tempDir();
    const dir = await nextRunDir(runs, doc.name);
    expect(dir).toBe(join(runs, 'lif-cnn-1'));
    const events = await collect(train(doc, { ...base, outDir: dir, label: 'first try' }));
    expect(await nextRunDir(runs, doc.name)).toBe(join(runs, 'lif-cnn-2'));

    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(events.length);
    // the same objects as the stream, and each fits the API's schema
    expect(lines.map((l) => trainEventSchema.parse(JSON.parse(l)))).toEqual(JSON.parse(JSON.stringify(events)));
    const step = events.find((e) => e.type === 'step')!;
    expect(step.type === 'step' && Object.keys(step.firingRates)).toEqual(['lif1', 'lif2']);

    expect(JSON.parse(await readFile(join(dir, 'document.snn.json'), 'utf8'))).toEqual(doc);
    const record = await readRunFolder(dir);
    expect(record.settings).toMatchObject({ epochs: 2, batchSize: 16, seed: 5, threads: 1, maxStepsPerEpoch: 4 });
    expect(record.summary).toMatchObject({ name: 'lif-cnn-1', label: 'first try', status: 'finished', epochs: 2, plannedEpochs: 2, steps: 8, documentHash: documentHash(doc) });
    const done = events.at(-1)!;
    expect(done.type === 'done' && record.summary.testAccuracy).toBe(done.type === 'done' && done.testAccuracy);
    expect(record.summary.latestCheckpoint).toBe(join(dir, 'epoch-0002.json'));

    await relabelRunFolder(dir, 'renamed');
    const listed = await listRunFolders(runs);
    expect(listed.map((r) => [r.name, r.label])).toEqual([['lif-cnn-1', 'renamed']]);
    // a folder that is not a run is neither listed nor deleted
    await writeFile(join(runs, 'notes.txt'), 'mine');
    expect(await deleteRunFolder(runs)).toBe(false);
    expect(await deleteRunFolder(dir)).toBe(true);
    expect(await readdir(runs)).toEqual(['notes.txt']);
  });

  it('a metrics log torn by a crash reads up to its last whole line', () => {
    const good = JSON.stringify({ type: 'paused', step: 3 });
    expect(parseMetrics(`${good}\n${good.slice(0, 9)}`)).toEqual([{ type: 'paused', step: 3 }]);
  });

  it('Stop in the middle of an epoch writes a checkpoint there, and the resumed run ends bit-identical to an uninterrupted one', async () => {
    const straight = await tempDir();
    const split = await tempDir();
    await collect(train(doc, { ...base, outDir: straight }));

    // stopped after step 6: epoch 2, batch 2 of 4
    const first = train(doc, { ...base, outDir: split });
    const before: TrainEvent[] = [];
    for await (const e of first) {
      before.push(e);
      if (e.type === 'step' && e.step === 6) first.cancel();
    }
    const stopped = before.at(-1)!;
    expect(stopped).toMatchObject({ type: 'done', cancelled: true, steps: 6, epochs: 1, checkpoint: join(split, 'step-0000006.json') });
    expect((await readRunFolder(split)).summary).toMatchObject({ status: 'stopped', epochs: 1, steps: 6, latestCheckpoint: join(split, 'step-0000006.json') });

    const resumed = await collect(train(doc, { ...base, outDir: split, resume: true }));
    expect(resumed[0]).toMatchObject({ type: 'start', resumedAtEpoch: 1, resumedAtBatch: 2 });
    expect(resumed.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? [e.epoch, e.batch, e.step] : []))).toEqual([
      [1, 2, 7],
      [1, 3, 8],
    ]);
    await sameTensors(join(straight, 'epoch-0002.json'), join(split, 'epoch-0002.json'));
    // the epoch's reported numbers include the batches before the stop
    const epochOf = (events: TrainEvent[]) => events.find((e) => e.type === 'epoch' && e.epoch === 2);
    const whole = parseMetrics(await readFile(join(straight, 'metrics.jsonl'), 'utf8'));
    expect(epochOf(resumed)).toMatchObject({ trainLoss: (epochOf(whole) as { trainLoss: number }).trainLoss, trainAccuracy: (epochOf(whole) as { trainAccuracy: number }).trainAccuracy });
    // the log holds both sessions, in order
    const log = parseMetrics(await readFile(join(split, 'metrics.jsonl'), 'utf8'));
    expect(log.map((e) => e.type).filter((t) => t === 'start' || t === 'done')).toEqual(['start', 'done', 'start', 'done']);
    expect((await readRunFolder(split)).summary).toMatchObject({ status: 'finished', epochs: 2, steps: 8 });
  });

  it('Pause holds the run between two steps until resumed, and a cancel reaches a paused run', async () => {
    const pause = new PauseSwitch();
    const job = train(doc, { ...base, epochs: 1, pause });
    const seen: string[] = [];
    for await (const e of job) {
      seen.push(e.type === 'step' ? `step ${e.step}` : e.type);
      if (e.type === 'step' && e.step === 1) pause.pause();
      if (e.type === 'paused') {
        // nothing moves while paused: the next event comes only after resume
        setImmediate(() => pause.resume());
      }
      if (e.type === 'step' && e.step === 2) {
        pause.pause();
        setImmediate(() => job.cancel());
      }
    }
    expect(seen).toEqual(['start', 'step 1', 'paused', 'resumed', 'step 2', 'paused', 'done']);
  });

  it('a loss that stops being a number ends the run with the step named, and the last good checkpoint kept', async () => {
    const out = await tempDir();
    await collect(train(doc, { ...base, outDir: out, epochs: 1 }));
    // epoch 2 at a learning rate of 1e37: the first Adam update sends the weights past float range
    const events: TrainEvent[] = [];
    let error: unknown;
    try {
      for await (const e of train(doc, { ...base, outDir: out, resume: true, schedule: 'constant', lr: 1e37 })) events.push(e);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/the loss became (NaN|-?Infinity) at step 6 \(epoch 2, batch 2\)/);
    expect(events.filter((e) => e.type === 'step').map((e) => e.type === 'step' && e.step)).toEqual([5]);
    expect(events.at(-1)).toMatchObject({ type: 'error', step: 6, checkpoint: join(out, 'epoch-0001.json') });
    const record = await readRunFolder(out);
    expect(record.summary).toMatchObject({ status: 'failed', epochs: 1, latestCheckpoint: join(out, 'epoch-0001.json') });
    expect(record.summary.error).toMatch(/at step 6/);
    // nothing was written from the diverged weights
    expect((await readdir(out)).filter((f) => f.endsWith('.json') && /^(epoch|step)-/.test(f))).toEqual(['epoch-0001.json']);
  });
});
