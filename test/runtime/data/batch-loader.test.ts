import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchLoader, type BatchLoaderOptions } from '../../../engine/runtime/data/batch-loader.js';
import type { Batch } from '../../../engine/runtime/data/batch-maker.js';
import { DatasetError } from '../../../engine/runtime/data/dataset.js';
import { SCRIPT_LOADER } from './child-process/loader-options.js';
import { eventNpz, tempDir, writeFile, writeIdxDataset } from './fixtures.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = join(here, '../../../node_modules/.bin/tsx');

async function collect(loader: BatchLoader, epoch: number, from = 0): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of loader.epoch(epoch, from)) out.push(b);
  return out;
}

const hash = (b: Batch) => createHash('sha256').update(b.x).update(b.y).digest('hex');

describe('BatchLoader', () => {
  const root = tempDir();
  const idx = join(root, 'idx');
  // 10 images whose first pixel identifies them: image i has pixel j = (7i + j) % 256.
  writeIdxDataset(idx, { train: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], test: [0] });
  const idxLoader = (plan: Partial<BatchLoaderOptions['plan']> = {}, thread: 'main' | 'worker' = 'main') =>
    BatchLoader.open({ dataset: `idx:${idx}`, split: 'train', thread, plan: { batchSize: 4, seed: 3, ...plan } });
  const ids = (batches: Batch[]) => batches.flatMap((b) => Array.from({ length: b.size }, (_, k) => Math.round((b.x[k * 12]! * 255) / 7)));

  it('visits every sample once per epoch, in an order fixed by (seed, epoch), with a short last batch', async () => {
    const loader = await idxLoader();
    expect(loader.batchesPerEpoch).toBe(3);
    const e0 = await collect(loader, 0);
    expect(e0.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(e0.map((b) => b.x.length)).toEqual([48, 48, 24]);
    expect([...ids(e0)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ids(e0)).toEqual(e0.flatMap((b) => Array.from(b.y))); // labels travel with their images
    expect(ids(await collect(loader, 0))).toEqual(ids(e0));
    expect(ids(await collect(loader, 1))).not.toEqual(ids(e0));
    const other = await idxLoader({ seed: 4 });
    expect(ids(await collect(other, 0))).not.toEqual(ids(e0));
    await loader.close();
  });

  it('drops the short last batch on request and keeps file order without shuffle', async () => {
    const loader = await idxLoader({ dropLast: true, shuffle: false });
    const batches = await collect(loader, 5);
    expect(batches.map((b) => b.size)).toEqual([4, 4]);
    expect(ids(batches)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('resumes mid-epoch: batches from k on equal those of the full epoch', async () => {
    const loader = await idxLoader({ augment: { crop: { padding: 1 }, flip: true } });
    const full = (await collect(loader, 2)).map(hash);
    expect((await collect(loader, 2, 1)).map(hash)).toEqual(full.slice(1));
  });

  it('builds identical batches in the worker and on the main thread (digits, augmented, two epochs)', async () => {
    const opts: BatchLoaderOptions = {
      dataset: 'digits',
      split: 'test',
      plan: { batchSize: 128, seed: 42, augment: { crop: { padding: 4 }, flip: true, normalize: { mean: [0.5], std: [0.25] } } },
    };
    const worker = await BatchLoader.open({ ...opts, prefetch: 3 });
    const main = await BatchLoader.open({ ...opts, thread: 'main' });
    expect(worker.info).toEqual(main.info);
    expect(worker.info).toMatchObject({ name: 'digits', sampleShape: [1, 28, 28], length: 1501, batchesPerEpoch: 12 });
    for (const epoch of [0, 1]) {
      const a = await collect(worker, epoch);
      const b = await collect(main, epoch);
      expect(a.map(hash)).toEqual(b.map(hash));
      expect(a[0]!.x).toBeInstanceOf(Float32Array);
      expect(a[0]!.y).toBeInstanceOf(Int32Array);
    }
    await worker.close();
    await expect(collect(worker, 0)).rejects.toThrow('batch loader closed');
  });

  it('lets a consumer stop early and start another epoch', async () => {
    const loader = await idxLoader({}, 'worker');
    for await (const b of loader.epoch(0)) {
      expect(b.index).toBe(0);
      break;
    }
    expect((await collect(loader, 1)).map((b) => b.index)).toEqual([0, 1, 2]);
    await loader.close();
  });

  it('passes dataset errors from the worker with their class, file and offset', async () => {
    await expect(BatchLoader.open({ dataset: 'nonsense', split: 'train', plan: { batchSize: 1, seed: 0 } })).rejects.toThrow(DatasetError);
    const events = join(root, 'events');
    writeFile(join(events, 'a', 'good.npz'), eventNpz({ x: [0], y: [0], t: [0], p: [1] }));
    const broken = writeFile(join(events, 'a', 'z-bad.npz'), eventNpz({ x: [0], y: [0], t: [0], p: [1] }).subarray(0, 40));
    const loader = await BatchLoader.open({ dataset: `events:${events}`, datasetOptions: { sensorSize: [1, 1], frames: 2, testFraction: 0 }, split: 'train', plan: { batchSize: 1, seed: 0, shuffle: false } });
    const seen: Batch[] = [];
    const error = await (async () => {
      try {
        for await (const b of loader.epoch(0)) seen.push(b);
      } catch (e) {
        return e as DatasetError;
      }
    })();
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error!.file).toBe(broken);
    expect(error!.offset).toBe(18);
    expect(error!.message).toMatch(/z-bad\.npz: at byte 18: not a zip archive/);
    await loader.close();
  });

  it('runs under plain tsx too (a child process): same batches, and the process exits with a loader left open', async () => {
    const expected = (await collect(await BatchLoader.open({ ...SCRIPT_LOADER, thread: 'main' }), 1)).map(hash);
    // The script closes one loader and leaves a second open; a worker that kept the process alive would hit the timeout.
    const r = spawnSync(tsx, [join(here, 'child-process/loader-script.ts')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ first: expected, second: expected });
  });
});
