/**
 * The run panel's chart data: TrainEvents → one step axis with a column per metric, the same
 * whether events arrive one at a time (live) or all at once (a reopened run), a resumed run's
 * replayed steps replacing the old ones, and two runs merged on one axis for an overlay.
 */
import { describe, expect, it } from 'vitest';
import { trainEventSchema, type EpochEvent, type StartEvent, type StepEvent, type TrainEvent } from '../../engine/api/train-events.js';
import { addEvent, chartView, curvesOf, emptyCurves, hasPoints, legendKeys } from '../../renderer/src/run/chart-model.js';

const start = (over: Partial<StartEvent> = {}): StartEvent => ({
  type: 'start',
  dataset: 'digits',
  trainSamples: 100,
  testSamples: 20,
  epochs: 2,
  stepsPerEpoch: 3,
  batchSize: 32,
  threads: 2,
  parameters: 1000,
  setupMs: 10,
  ...over,
});

const step = (n: number, over: Partial<StepEvent> = {}): StepEvent => ({
  type: 'step',
  epoch: Math.floor((n - 1) / 3),
  batch: (n - 1) % 3,
  step: n,
  loss: 2 / n,
  accuracy: n / 10,
  lr: 0.001,
  imagesPerSecond: 100 + n,
  msPerStep: 50,
  etaSeconds: 10 - n,
  firingRates: { lif1: 0.1 * n, lif2: 0.05 },
  ...over,
});

const epoch = (e: number, s: number): EpochEvent => ({
  type: 'epoch',
  epoch: e,
  step: s,
  trainLoss: 1 / e,
  trainAccuracy: 0.5 + 0.1 * e,
  testLoss: 1.2 / e,
  testAccuracy: 0.45 + 0.1 * e,
  firingRates: { lif1: 0.2 },
  trainFiringRates: { lif1: 0.2 },
  seconds: 3,
  imagesPerSecond: 90,
});

const run: TrainEvent[] = [start(), step(1), step(2), step(3), epoch(1, 3), step(4), step(5), step(6), epoch(2, 6), { type: 'done', epochs: 2, steps: 6, testAccuracy: 0.65, firingRates: {}, seconds: 6, cancelled: false }];

describe('run curves', () => {
  it('puts every step on the axis, with the epoch metrics on the step that ended the epoch', () => {
    const c = curvesOf(run);
    expect(c.x).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.columns.loss).toEqual([2, 1, 2 / 3, 0.5, 0.4, 2 / 6]);
    expect(c.columns.accuracy[0]).toBeCloseTo(10);
    expect(c.columns.epoch).toEqual([1, 1, 1, 2, 2, 2]);
    expect(c.columns.testAccuracy.map((v) => (v === null ? null : Number(v.toFixed(6))))).toEqual([null, null, 55, null, null, 65]);
    expect(c.columns.trainLoss).toEqual([null, null, 1, null, null, 0.5]);
    expect([...c.firing.keys()]).toEqual(['lif1', 'lif2']);
    expect(c.firing.get('lif2')).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it('grows event by event to the same curves as reading the whole run', () => {
    const live = emptyCurves();
    for (const e of run) addEvent(live, e);
    expect(live).toEqual(curvesOf(run));
  });

  it('leaves a gap for a NaN or infinite loss instead of a point, also after JSON wrote it as null', () => {
    const viaJson = trainEventSchema.parse(JSON.parse(JSON.stringify(step(3, { loss: Number.NaN }))));
    const c = curvesOf([start(), step(1), step(2, { loss: Number.NaN }), viaJson, step(4, { loss: Number.POSITIVE_INFINITY })]);
    expect(c.columns.loss).toEqual([2, null, null, null]);
  });

  it('fills a layer that first reports later with gaps before it', () => {
    const c = curvesOf([start(), step(1, { firingRates: { a: 0.1 } }), step(2, { firingRates: { a: 0.1, b: 0.3 } })]);
    expect(c.firing.get('b')).toEqual([null, 30]);
    expect(c.firing.get('a')).toEqual([10, 10]);
  });

  it('drops the steps a resumed run trains again (it resumed from an earlier checkpoint)', () => {
    // stopped after step 5, the last checkpoint at the end of epoch 1 (step 3): steps 4 and 5 are replayed
    const c = curvesOf([start(), step(1), step(2), step(3), epoch(1, 3), step(4), step(5), start({ resumedAtEpoch: 1, resumedAtBatch: 0 }), step(4, { loss: 9 }), step(5, { loss: 8 })]);
    expect(c.x).toEqual([1, 2, 3, 4, 5]);
    expect(c.columns.loss.slice(3)).toEqual([9, 8]);
    expect(c.columns.testAccuracy[2]).toBeCloseTo(55);
  });
});

describe('chart views', () => {
  it('one run: its axis and a series per metric, epoch metrics drawn as points', () => {
    const v = chartView('accuracy', [{ label: 'a', curves: curvesOf(run) }]);
    expect(v.series.map((s) => [s.label, s.style])).toEqual([
      ['batch accuracy', 'line'],
      ['train accuracy', 'epoch'],
      ['test accuracy', 'epoch'],
    ]);
    expect(v.data[0]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v.data).toHaveLength(4);
    expect(hasPoints(v)).toBe(true);
  });

  it('the firing-rate chart has one series per neuron layer, named by the layer', () => {
    const v = chartView('firing', [{ label: 'a', curves: curvesOf(run) }]);
    expect(v.series.map((s) => s.label)).toEqual(['lif1', 'lif2']);
  });

  it('two runs: merged steps, each run on its own series, named by the run', () => {
    const a = curvesOf([start(), step(1), step(2), step(3)]);
    const b = curvesOf([start(), step(2, { loss: 7 }), step(4, { loss: 6 })]);
    const v = chartView('loss', [
      { label: 'run-1', curves: a },
      { label: 'run-2', curves: b },
    ]);
    expect(v.data[0]).toEqual([1, 2, 3, 4]);
    expect(v.series.map((s) => `${s.run}:${s.index}:${s.label}`)).toEqual([
      '0:0:run-1 · batch loss',
      '0:1:run-1 · train loss',
      '0:2:run-1 · test loss',
      '1:0:run-2 · batch loss',
      '1:1:run-2 · train loss',
      '1:2:run-2 · test loss',
    ]);
    expect(v.data[1]).toEqual([2, 1, 2 / 3, null]);
    expect(v.data[4]).toEqual([null, 7, null, 6]);
  });

  it('the legend keys each metric once, and with two runs a solid and a dashed key naming them', () => {
    const a = { label: 'run-1', curves: curvesOf(run) };
    expect(legendKeys(chartView('accuracy', [a]))).toEqual([
      { label: 'batch accuracy', index: 0, dashed: false },
      { label: 'train accuracy', index: 1, dashed: false },
      { label: 'test accuracy', index: 2, dashed: false },
    ]);
    const keys = legendKeys(chartView('lr', [a, { label: 'run-2', curves: curvesOf(run) }]));
    expect(keys).toEqual([
      { label: 'learning rate', index: 0, dashed: false },
      { label: 'run-1', index: null, dashed: false },
      { label: 'run-2', index: null, dashed: true },
    ]);
  });

  it('a run without steps has nothing to draw', () => {
    expect(hasPoints(chartView('loss', [{ label: 'a', curves: curvesOf([start()]) }]))).toBe(false);
    expect(hasPoints(chartView('loss', []))).toBe(false);
  });
});
