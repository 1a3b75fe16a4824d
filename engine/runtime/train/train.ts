/**
 * `train(doc, options)`: the library entry point. Returns a job that is an async iterable of typed
 * events (start, step, epoch, done); `cancel()` (or the options' AbortSignal, or leaving the loop)
 * stops it at the next step boundary. Checkpoints after every epoch when `outDir` is set, and
 * `resume` continues from the latest one with the same batches, schedule and state, so a resumed
 * run ends where an uninterrupted one would.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import { learningRate, type ScheduleSpec } from '../../core/train/schedule.js';
import { BatchLoader, type AugmentOptions } from '../data/index.js';
import { latestRunCheckpoint, saveRunCheckpoint } from './checkpoints.js';
import type { DoneEvent, TrainEvent } from './events.js';
import { resolveTrainOptions, type TrainOptions } from './options.js';
import { freeCores } from './threads.js';
import { TrainingRun } from './training-run.js';

export interface TrainingJob extends AsyncIterable<TrainEvent> {
  /** Stops at the next step boundary; the iteration then ends with a `done` event (cancelled: true). */
  cancel(): void;
}

export function train(doc: GraphDocument, options: TrainOptions = {}): TrainingJob {
  let cancelled = false;
  const isCancelled = () => cancelled || (options.signal?.aborted ?? false);
  return {
    cancel: () => {
      cancelled = true;
    },
    [Symbol.asyncIterator]: () => runTraining(doc, options, isCancelled),
  };
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
  try {
    checkDataFits(doc, trainData.info.sampleShape, trainData.info.classes.length);
    run = await TrainingRun.create(doc, { batch: o.batchSize, seed: o.seed, loss: o.loss, optimizer: o.optimizer, threads, ...(o.gradClip === undefined ? {} : { gradClip: o.gradClip }) });
    let epoch = 0;
    if (options.resume && options.outDir) {
      const saved = await latestRunCheckpoint(options.outDir, doc);
      if (saved) {
        run.load(saved.tensors, saved.place.step);
        epoch = saved.place.epoch;
      }
    }
    const stepsPerEpoch = Math.min(trainData.batchesPerEpoch, options.maxStepsPerEpoch ?? Infinity);
    if (stepsPerEpoch < 1) throw new Error(`${trainData.info.name}: ${trainData.info.length} training samples do not fill one batch of ${o.batchSize}`);
    const schedule: ScheduleSpec = { ...o.schedule, stepsPerEpoch };
    yield {
      event: 'start',
      dataset: trainData.info.name,
      trainSamples: trainData.info.length,
      testSamples: testData.info.length,
      epochs: o.epochs,
      stepsPerEpoch,
      batchSize: o.batchSize,
      threads,
      parameters: [...run.compiled.step.params].filter((p) => p.role !== 'buffer').reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
      ...(epoch > 0 ? { resumedAtEpoch: epoch } : {}),
      setupMs: performance.now() - t0,
    };

    const timer = new StepTimer();
    let last: Omit<DoneEvent, 'event' | 'cancelled' | 'seconds' | 'epochs' | 'steps'> = { testAccuracy: 0, firingRates: {} };
    for (; epoch < o.epochs && !isCancelled(); epoch++) {
      const epochStart = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      const spikeSums = new Float64Array(run.spikeLayers.length);
      for await (const batch of trainData.epoch(epoch)) {
        if (isCancelled() || batch.index >= stepsPerEpoch) break;
        const lr = learningRate(schedule, run.stepsDone);
        const r = await run.step(batch.x, batch.y, lr);
        timer.tick();
        lossSum += r.loss * batch.size;
        correct += r.correct;
        seen += batch.size;
        r.spikes.forEach((s, i) => (spikeSums[i]! += s));
        const remaining = (o.epochs - epoch) * stepsPerEpoch - (batch.index + 1);
        yield {
          event: 'step',
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
        };
        if (isCancelled()) break;
      }
      if (isCancelled() || seen === 0) break;
      const test = await run.evaluate(testData.epoch(0));
      const place = { epoch: epoch + 1, step: run.stepsDone };
      const metrics = { trainLoss: lossSum / seen, trainAccuracy: correct / seen, testLoss: test.loss, testAccuracy: test.accuracy };
      const checkpoint = options.outDir ? await saveRunCheckpoint(options.outDir, doc, { ...place, seed: o.seed }, run.tensors(), o.optimizer, metrics) : undefined;
      const seconds = (performance.now() - epochStart) / 1000;
      last = { testAccuracy: test.accuracy, firingRates: test.firingRates, ...(checkpoint ? { checkpoint } : {}) };
      yield {
        event: 'epoch',
        ...place,
        ...metrics,
        firingRates: test.firingRates,
        trainFiringRates: run.firingRates([...spikeSums].map((s) => s / (seen / o.batchSize))),
        seconds,
        imagesPerSecond: seen / seconds,
        ...(checkpoint ? { checkpoint } : {}),
      };
    }
    yield { event: 'done', epochs: epoch, steps: run.stepsDone, ...last, seconds: (performance.now() - t0) / 1000, cancelled: isCancelled() };
  } finally {
    await Promise.allSettled([trainData.close(), testData.close(), run?.close()]);
  }
}

function checkDataFits(doc: GraphDocument, sampleShape: readonly number[], classes: number): void {
  const want = doc.input.kind === 'events' ? [doc.timeSteps, ...doc.input.shape] : doc.input.shape;
  if (want.join(',') !== sampleShape.join(',')) {
    throw new Error(`the dataset's samples are [${sampleShape.join(',')}] but the document's input is [${want.join(',')}]`);
  }
  const docClasses = doc.input.classes?.length;
  if (docClasses !== undefined && docClasses !== classes) throw new Error(`the dataset has ${classes} classes but the document names ${docClasses}`);
}

/** Milliseconds per step over the last few steps (data waits included, as a user experiences it). */
class StepTimer {
  private readonly times: number[] = [performance.now()];

  tick(): void {
    this.times.push(performance.now());
    if (this.times.length > 21) this.times.shift();
  }

  msPerStep(): number {
    const n = this.times.length - 1;
    return n === 0 ? 0 : (this.times[n]! - this.times[0]!) / n;
  }
}
