// What the train() tests share: a small LIF CNN, options that train it in a second (4 steps an
// epoch, one thread, batches built in-thread), temp run folders removed after the file, and the
// events of a run collected.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { TrainEvent, TrainOptions } from '../../../engine/runtime/train/index.js';
import { lifCnn } from '../../../templates/lif-cnn.js';

export const quickDoc = lifCnn({ channels: [4, 8], timeSteps: 2 });
export const quickOptions: TrainOptions = { batchSize: 16, epochs: 2, maxStepsPerEpoch: 4, threads: 1, loaderThread: 'main', seed: 5, lr: 3e-3 };

/** A fresh folder for this test file, removed when the file's tests are done. */
export function tempDirs(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

export async function collect(job: AsyncIterable<TrainEvent>): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const e of job) events.push(e);
  return events;
}
