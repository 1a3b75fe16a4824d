/**
 * Batches for training and evaluation: `for await (const batch of loader.epoch(e))`.
 *
 * By default a worker thread builds them and keeps `prefetch` batches in flight ahead of the
 * consumer, so the next batch is ready when a training step ends. `thread: 'main'` builds them
 * in-thread instead (tests, tiny datasets); both paths produce identical batches for the same seed
 * and epoch, because both run BatchMaker on the same source.
 */
import type { Batch } from './batch-maker.js';
import { openLoaderSource, type LoaderInfo, type LoaderSource } from './loader-source.js';
import { WorkerSource } from './worker-source.js';

export interface BatchLoaderOptions extends LoaderSource {
  /** Batches requested ahead of the consumer (default 2). */
  prefetch?: number;
  /** Where batches are built (default 'worker'). */
  thread?: 'worker' | 'main';
}

interface BatchSource {
  readonly info: LoaderInfo;
  request(epoch: number, index: number): Promise<Batch>;
  close(): Promise<void>;
}

export class BatchLoader {
  private constructor(
    private readonly source: BatchSource,
    private readonly prefetch: number,
  ) {}

  static async open(opts: BatchLoaderOptions): Promise<BatchLoader> {
    const prefetch = opts.prefetch ?? 2;
    if (!Number.isInteger(prefetch) || prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    const source: LoaderSource = { dataset: opts.dataset, datasetOptions: opts.datasetOptions, split: opts.split, plan: opts.plan };
    return new BatchLoader(opts.thread === 'main' ? inThread(source) : await WorkerSource.start(source), prefetch);
  }

  get info(): LoaderInfo {
    return this.source.info;
  }

  get batchesPerEpoch(): number {
    return this.source.info.batchesPerEpoch;
  }

  /** The batches of `epoch` in order, starting at `fromBatch` (to resume mid-epoch). */
  async *epoch(epoch: number, fromBatch = 0): AsyncGenerator<Batch, void, undefined> {
    const ahead: Promise<Batch>[] = [];
    let next = fromBatch;
    const fill = () => {
      while (ahead.length < this.prefetch && next < this.batchesPerEpoch) {
        const p = this.source.request(epoch, next++);
        // A consumer that stops early leaves requests behind; their failures must not surface as unhandled.
        p.catch(() => undefined);
        ahead.push(p);
      }
    };
    fill();
    while (ahead.length > 0) {
      const batch = await ahead.shift()!;
      fill();
      yield batch;
    }
  }

  /** Stops the worker; pending and later requests reject. */
  close(): Promise<void> {
    return this.source.close();
  }
}

function inThread(source: LoaderSource): BatchSource {
  const { maker, info } = openLoaderSource(source);
  let closed = false;
  return {
    info,
    request: async (epoch, index) => {
      if (closed) throw new Error('batch loader closed');
      return maker.make(epoch, index);
    },
    close: async () => {
      closed = true;
    },
  };
}
