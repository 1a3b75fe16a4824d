/** A run's metrics as CSV, and where a run stands (progress, ETA, failure) as the panel reads its events. */
import { describe, expect, it } from 'vitest';
import type { StartEvent, StepEvent, TrainEvent } from '../../engine/api/train-events.js';
import { curvesOf } from '../../renderer/src/run/chart-model.js';
import { metricsCsv } from '../../renderer/src/run/metrics-csv.js';
import { failureText, formatDuration, liveStatus, runProgress } from '../../renderer/src/run/run-progress.js';
import { newLiveRun } from '../../renderer/src/run/run-store.js';
import { cnn } from './fixtures.js';

const start: StartEvent = { type: 'start', dataset: 'digits', trainSamples: 64, testSamples: 16, epochs: 2, stepsPerEpoch: 2, batchSize: 32, threads: 2, parameters: 10, setupMs: 1 };
const step = (n: number, over: Partial<StepEvent> = {}): StepEvent => ({
  type: 'step',
  epoch: Math.floor((n - 1) / 2),
  batch: (n - 1) % 2,
  step: n,
  loss: 1.5,
  accuracy: 0.875,
  lr: 0.01,
  imagesPerSecond: 250,
  msPerStep: 128,
  etaSeconds: 75,
  firingRates: { 'sps.lif,1': 0.125 },
  ...over,
});

describe('metrics CSV', () => {
  it('has a row per step, fractions as in metrics.jsonl, the epoch metrics on the epoch’s last step', () => {
    const events: TrainEvent[] = [
      start,
      step(1),
      step(2, { loss: Number.NaN }),
      { type: 'epoch', epoch: 1, step: 2, trainLoss: 1.4, trainAccuracy: 0.8, testLoss: 1.3, testAccuracy: 0.9375, firingRates: {}, trainFiringRates: {}, seconds: 1, imagesPerSecond: 200 },
    ];
    const lines = metricsCsv(curvesOf(events)).trimEnd().split('\n');
    expect(lines[0]).toBe('step,epoch,loss,accuracy,lr,images_per_second,ms_per_step,train_loss,test_loss,train_accuracy,test_accuracy,"firing_rate:sps.lif,1"');
    expect(lines[1]).toBe('1,1,1.5,0.875,0.01,250,128,,,,,0.125');
    // a NaN loss is an empty cell (the chart leaves a gap there too)
    expect(lines[2]).toBe('2,1,,0.875,0.01,250,128,1.4,1.3,0.8,0.9375,0.125');
    expect(lines).toHaveLength(3);
  });
});

describe('run progress', () => {
  it('reads epoch, step, fraction and ETA from the last step', () => {
    const p = runProgress([start, step(1), step(2), step(3, { etaSeconds: 12 })]);
    expect(p).toMatchObject({ epoch: 2, epochs: 2, step: 3, totalSteps: 4, fraction: 0.75, etaSeconds: 12, paused: false, ended: null });
  });

  it('a resumed run starts where it stopped; pause and resume are followed', () => {
    const resumed = runProgress([{ ...start, resumedAtEpoch: 1, resumedAtBatch: 1 }]);
    expect(resumed).toMatchObject({ step: 3, epoch: 1 });
    expect(runProgress([start, step(1), { type: 'paused', step: 1 }]).paused).toBe(true);
    expect(runProgress([start, step(1), { type: 'paused', step: 1 }, { type: 'resumed', step: 1 }]).paused).toBe(false);
  });

  it('ends finished, stopped, or failed with the step where the loss went NaN', () => {
    const done = (cancelled: boolean): TrainEvent => ({ type: 'done', epochs: 1, steps: 2, testAccuracy: 0.91, firingRates: {}, seconds: 2, cancelled });
    expect(runProgress([start, step(1), done(false)])).toMatchObject({ ended: { kind: 'finished' }, fraction: 1, testAccuracy: 0.91, etaSeconds: null });
    expect(runProgress([start, step(1), done(true)]).ended).toEqual({ kind: 'stopped' });
    const failed = runProgress([start, step(1), { type: 'error', message: 'loss is NaN', step: 2 }]);
    expect(failed.ended).toEqual({ kind: 'failed', message: 'loss is NaN', step: 2 });
    if (failed.ended?.kind !== 'failed') throw new Error('expected a failure');
    expect(failureText(failed.ended)).toBe('loss is NaN (first at step 2)');
  });

  it('names the live run’s status from its phase, its error and its events', () => {
    const live = newLiveRun('j1', cnn(), null, null);
    expect(liveStatus(null, false, runProgress([]))).toBe('idle');
    expect(liveStatus(null, true, runProgress([]))).toBe('starting');
    expect(liveStatus(live, false, runProgress([start, step(1)]))).toBe('running');
    expect(liveStatus(live, false, runProgress([start, step(1), { type: 'paused', step: 1 }]))).toBe('paused');
    expect(liveStatus({ ...live, phase: 'stopping' }, false, runProgress([start]))).toBe('stopping');
    expect(liveStatus({ ...live, phase: 'ended' }, false, runProgress([start, { type: 'done', epochs: 0, steps: 1, testAccuracy: 0, firingRates: {}, seconds: 1, cancelled: true }]))).toBe('stopped');
    expect(liveStatus({ ...live, phase: 'ended', error: 'worker exited' }, false, runProgress([start]))).toBe('failed');
  });

  it('formats an ETA as a clock reads', () => {
    expect(formatDuration(45.4)).toBe('45 s');
    expect(formatDuration(187)).toBe('3:07');
    expect(formatDuration(3729)).toBe('1:02:09');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});
