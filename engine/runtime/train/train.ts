/**
 * `train(doc, options)`: the library entry point. Returns a job that is an async iterable of typed
 * events (start, step, epoch, paused/resumed, done, and error before a failure is thrown);
 * `cancel()` (or the options' AbortSignal, or leaving the loop) stops it at the next step boundary.
 * With `outDir` the run is a run folder (run-folder.ts): every event goes to its metrics.jsonl, a
 * checkpoint is written after every epoch and where a run is stopped mid-epoch, and `resume`
 * continues from the latest one with the same batches, schedule and state, so a resumed run ends
 * where an uninterrupted one would.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import { learningRate, type ScheduleSpec } from '../../core/train/schedule.js';
import { BatchLoader, DatasetError, type AugmentOptions } from '../data/index.js';
import { latestRunCheckpoint, saveRunCheckpoint, type SavedPlace } from './checkpoints.js';
import type { DoneEvent, TrainEvent } from './events.js';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from './options.js';
import { initRunFolder, isRunFolder, MetricsLog } from './run-folder.js';
import { freeCores } from './threads.js';
import { TrainingRun } from './training-run.js';

export interface TrainingJob extends AsyncIterable<TrainEvent> {
  /** Stops at the next step boundary; the iteration then ends with a `done` event (cancelled: true). */
  cancel(): void;
}

export function train(doc: GraphDocument, options: TrainOptions = {}): TrainingJob {
  let cancelled = false;
  const isCancelled = () => cancelled || (options.signal?.aborted ?? false);
  // a paused run waits for a wake-up; a cancel is one
  options.signal?.addEventListener('abort', () => options.pause?.release(), { once: true });
  return {
    cancel: () => {
      cancelled = true;
      options.pause?.release();
    },
    [Symbol.asyncIterator]: () => logged(runTraining(doc, options, isCancelled), options.outDir),
  };
}

/** A run folder's metrics.jsonl gets every event before the caller sees it. */
async function* logged(events: AsyncGenerator<TrainEvent, void, undefined>, outDir: string | undefined): AsyncGenerator<TrainEvent, void, undefined> {
  const log = outDir === undefined ? null : MetricsLog.in(outDir);
  for await (const e of events) {
    await log?.append(e);
    yield e;
  }
}

/** Why a run stopped by itself: its loss is no longer a number. */
export class TrainingDiverged extends Error {
  override readonly name = 'TrainingDiverged';

  constructor(
    readonly step: number,
    loss: number,
    where: string,
  ) {
    super(`the loss became ${loss} at step ${step} (${where}); lower the learning rate, clip gradients or check the input normalisation`);
  }
}

/** What settings.json records: the options in force, defaults filled in. */
function runSettings(o: ResolvedTrainOptions, threads: number, options: TrainOptions): Record<string, unknown> {
  return { ...o, threads, ...(options.maxStepsPerEpoch === undefined ? {} : { maxStepsPerEpoch: options.maxStepsPerEpoch }) };
}

async function* runTraining(doc: GraphDocument, options: TrainOptions, isCancelled: () => boolean): AsyncGenerator<TrainEvent, void, undefined> {
  const o = resolveTrainOptions(doc, options);
  const threads = o.threads ?? (await freeCores());
  const t0 = performance.now();
  const normalize = doc.input.normalize ? { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } : {};
  const augment: AugmentOptions = { ...normalize, ...(o.augment.crop ? { crop: { padding: o.augment.crop } } : {}), ...(o.augment.flip ? { flip: true } : {}) };
  const source = { dataset: o.dataset, ...(o.datasetOptions ? { datasetOptions: o.datasetOptions } : {}), ...(options.loaderThread ? { thread: options.loaderThread } : {}) };
  const trainData = await BatchLoader.open({ ...source, split: 'train', plan: { batchSize: o.batchSize, seed: o.seed, shuffle: true, dropLast: true, ...(Object.keys(augment).length ? { augment } : {}) } });
  const testData = await BatchLoader.open({ ...source, split: 'test', plan: { batchSize: o.batchSize, seed: o.seed, shuffle: false, ...(doc.input.normalize ? { augment: normalize } : {}) } });
  let run: TrainingRun | undefined;
  let lastCheckpoint: string | undefined;
  try {
    checkDataFits(doc, trainData.info.name, trainData.info.sampleShape, trainData.info.classes.length);
    run = await TrainingRun.create(doc, {
      batch: o.batchSize,
      seed: o.seed,
      loss: o.loss,
      optimizer: o.optimizer,
      threads,
      ...(o.gradClip === undefined ? {} : { gradClip: o.gradClip }),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    let epoch = 0;
    let resumedAt: SavedPlace | undefined;
    if (options.resume && options.outDir) {
      const saved = await latestRunCheckpoint(options.outDir, doc);
      if (saved) {
        run.load(saved.tensors, saved.place.step);
        epoch = saved.place.epoch;
        resumedAt = saved.place;
        lastCheckpoint = saved.path;
      }
    }
    if (options.outDir && !(options.resume && (await isRunFolder(options.outDir)))) {
      await initRunFolder(options.outDir, doc, runSettings(o, threads, options), options.label);
    }
    const stepsPerEpoch = Math.min(trainData.batchesPerEpoch, options.maxStepsPerEpoch ?? Infinity);
    if (stepsPerEpoch < 1) throw new Error(`${trainData.info.name}: ${trainData.info.length} training samples do not fill one batch of ${o.batchSize}`);
    const schedule: ScheduleSpec = { ...o.schedule, stepsPerEpoch };
    yield {
      type: 'start',
      dataset: trainData.info.name,
      trainSamples: trainData.info.length,
      testSamples: testData.info.length,
      epochs: o.epochs,
      stepsPerEpoch,
      batchSize: o.batchSize,
      threads,
      parameters: [...run.compiled.step.params].filter((p) => p.role !== 'buffer').reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
      ...(resumedAt ? { resumedAtEpoch: epoch } : {}),
      ...(resumedAt?.progress ? { resumedAtBatch: resumedAt.progress.batch } : {}),
      setupMs: performance.now() - t0,
    };

    const timer = new StepTimer();
    let last: Omit<DoneEvent, 'type' | 'cancelled' | 'seconds' | 'epochs' | 'steps'> = { testAccuracy: 0, firingRates: {} };
    const pause = options.pause;
    for (; epoch < o.epochs && !isCancelled(); epoch++) {
      const epochStart = performance.now();
      // a run stopped mid-epoch continues that epoch where it stood, with its running sums
      const part = resumedAt?.progress;
      resumedAt = undefined;
      let lossSum = part?.lossSum ?? 0;
      let correct = part?.correct ?? 0;
      let seen = part?.seen ?? 0;
      let batchesDone = part?.batch ?? 0;
      const spikeSums = new Float64Array(run.spikeLayers.length);
      part?.spikeSums.forEach((s, i) => (spikeSums[i] = s));
      for await (const batch of trainData.epoch(epoch, batchesDone)) {
        if (pause?.paused && !isCancelled()) {
          yield { type: 'paused', step: run.stepsDone };
          while (pause.paused && !isCancelled()) await pause.released();
          if (!isCancelled()) yield { type: 'resumed', step: run.stepsDone };
          timer.restart();
        }
        if (isCancelled() || batch.index >= stepsPerEpoch) break;
        const lr = learningRate(schedule, run.stepsDone);
        const r = await run.step(batch.x, batch.y, lr);
        if (!Number.isFinite(r.loss)) throw new TrainingDiverged(run.stepsDone, r.loss, `epoch ${epoch + 1}, batch ${batch.index + 1}`);
        timer.tick();
        batchesDone = batch.index + 1;
        lossSum += r.loss * batch.size;
        correct += r.correct;
        seen += batch.size;
        r.spikes.forEach((s, i) => (spikeSums[i]! += s));
        const remaining = (o.epochs - epoch) * stepsPerEpoch - (batch.index + 1);
        yield {
          type: 'step',
          epoch,
          batch: batch.index,
          step: run.stepsDone,
          loss: r.loss,
          accuracy: r.correct / batch.size,
          lr,
          imagesPerSecond: (o.batchSize * 1000) / timer.msPerStep(),
          msPerStep: timer.msPerStep(),
          // an evaluation costs about a third of a training step per batch
          etaSeconds: (timer.msPerStep() * (remaining + ((o.epochs - epoch) * testData.batchesPerEpoch) / 3)) / 1000,
          ...(r.gradNorm === undefined ? {} : { gradNorm: r.gradNorm }),
          firingRates: run.firingRates(r.spikes),
        };
        if (isCancelled()) break;
      }
      if (isCancelled() && seen > 0 && options.outDir) {
        // Stop keeps the work: the part-done epoch is saved with its place and sums, and a resume continues from here
        const progress = { batch: batchesDone, lossSum, correct, seen, spikeSums: [...spikeSums] };
        lastCheckpoint = await saveRunCheckpoint(options.outDir, doc, { epoch, step: run.stepsDone, progress, seed: o.seed }, run.tensors(), o.optimizer, {
          trainLoss: lossSum / seen,
          trainAccuracy: correct / seen,
        });
        last = { ...last, checkpoint: lastCheckpoint };
      }
      if (isCancelled() || seen === 0) break;
      const test = await run.evaluate(testData.epoch(0));
      const place = { epoch: epoch + 1, step: run.stepsDone };
      const metrics = { trainLoss: lossSum / seen, trainAccuracy: correct / seen, testLoss: test.loss, testAccuracy: test.accuracy };
      const checkpoint = options.outDir ? await saveRunCheckpoint(options.outDir, doc, { ...place, seed: o.seed }, run.tensors(), o.optimizer, metrics) : undefined;
      lastCheckpoint = checkpoint ?? lastCheckpoint;
      const seconds = (performance.now() - epochStart) / 1000;
      last = { testAccuracy: test.accuracy, firingRates: test.firingRates, ...(checkpoint ? { checkpoint } : {}) };
      yield {
        type: 'epoch',
        ...place,
        ...metrics,
        firingRates: test.firingRates,
        trainFiringRates: run.firingRates([...spikeSums].map((s) => s / (seen / o.batchSize))),
        seconds,
        imagesPerSecond: seen / seconds,
        ...(checkpoint ? { checkpoint } : {}),
      };
    }
    yield { type: 'done', epochs: epoch, steps: run.stepsDone, ...last, seconds: (performance.now() - t0) / 1000, cancelled: isCancelled() };
  } catch (e) {
    // the run folder's log and the app learn why it stopped, and which checkpoint is still good
    yield {
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      ...(e instanceof TrainingDiverged ? { step: e.step } : {}),
      ...(lastCheckpoint ? { checkpoint: lastCheckpoint } : {}),
    };
    throw e;
  } finally {
    await Promise.allSettled([trainData.close(), testData.close(), run?.close()]);
  }
}

/** A dataset that does not fit the document is the user's input to fix, reported as a dataset error (CLI exit 1). */
function checkDataFits(doc: GraphDocument, dataset: string, sampleShape: readonly number[], classes: number): void {
  const want = doc.input.kind === 'events' ? [doc.timeSteps, ...doc.input.shape] : doc.input.shape;
  if (want.join(',') !== sampleShape.join(',')) {
    throw new DatasetError(dataset, `its samples are [${sampleShape.join(',')}] but the document's input is [${want.join(',')}]`);
  }
  const docClasses = doc.input.classes?.length;
  if (docClasses !== undefined && docClasses !== classes) throw new DatasetError(dataset, `it has ${classes} classes but the document names ${docClasses}`);
}

/** Milliseconds per step over the last few steps (data waits included, as a user experiences it). */
class StepTimer {
  private readonly times: number[] = [performance.now()];

  tick(): void {
    this.times.push(performance.now());
    if (this.times.length > 21) this.times.shift();
  }

  /** After a pause: the wait is not part of any step. */
  restart(): void {
    this.times.splice(0, this.times.length, performance.now());
  }

  msPerStep(): number {
    const n = this.times.length - 1;
    return n === 0 ? 0 : (this.times[n]! - this.times[0]!) / n;
  }
}
