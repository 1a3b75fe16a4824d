/**
 * The run panel's training settings: each edit is an undoable change of the document's `training`
 * block (or T), clearing a field gives the document back as it was, and the defaults the form
 * shows are the ones the trainer applies (engine/runtime/train/options.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { resolveTrainOptions } from '../../engine/runtime/train/options.js';
import { OPTIMIZERS, SETTING_FIELDS, settingValue, withSetting } from '../../renderer/src/run/training-fields.js';
import { editDocument, getDocument, loadDocument, undo } from '../../renderer/src/state/document-store.js';
import { cnn } from './fixtures.js';

const untrained = (): GraphDocument => {
  const { training: _t, ...rest } = cnn();
  return rest;
};
const field = (key: string) => SETTING_FIELDS.find((f) => f.key === key)!;

describe('training settings', () => {
  beforeEach(() => loadDocument(untrained()));

  it('writes a field into the training block and undoes it', () => {
    const before = getDocument();
    editDocument((d) => withSetting(d, 'lr', 0.005));
    expect(getDocument().training).toEqual({ lr: 0.005 });
    editDocument((d) => withSetting(d, 'epochs', 3));
    expect(getDocument().training).toEqual({ lr: 0.005, epochs: 3 });
    undo();
    undo();
    expect(getDocument()).toBe(before);
  });

  it('T is the document’s own timeSteps', () => {
    editDocument((d) => withSetting(d, 'timeSteps', 6));
    expect(getDocument().timeSteps).toBe(6);
    expect(settingValue(getDocument(), 'timeSteps')).toBe(6);
    expect(getDocument().training).toBeUndefined();
  });

  it('clearing the only setting removes the block; an unchanged value is no edit', () => {
    const doc = withSetting(untrained(), 'seed', 4);
    expect(withSetting(doc, 'seed', 4)).toBe(doc);
    expect(withSetting(doc, 'seed', undefined)).toEqual(untrained());
    const plain = untrained();
    expect(withSetting(plain, 'seed', undefined)).toBe(plain);
    expect(withSetting(plain, 'timeSteps', plain.timeSteps)).toBe(plain);
  });

  it('keeps the settings it does not show (dataset, augmentation, notes)', () => {
    const doc = { ...untrained(), training: { dataset: 'fashion-mnist', notes: 'n', augmentation: { hflip: true } } };
    expect(withSetting(doc, 'batchSize', 16).training).toEqual({ dataset: 'fashion-mnist', notes: 'n', augmentation: { hflip: true }, batchSize: 16 });
  });

  it('shows the defaults the trainer applies, for every optimizer', () => {
    for (const optimizer of OPTIMIZERS) {
      const training = { optimizer };
      const resolved = resolveTrainOptions({ ...untrained(), training }, {});
      expect(field('epochs').defaultFor(training)).toBe(resolved.epochs);
      expect(field('batchSize').defaultFor(training)).toBe(resolved.batchSize);
      expect(field('lr').defaultFor(training)).toBe(resolved.schedule.lr);
      expect(field('schedule').defaultFor(training)).toBe(resolved.schedule.kind);
      expect(field('weightDecay').defaultFor(training)).toBe(resolved.optimizer.weightDecay);
      expect(field('loss').defaultFor(training)).toBe(resolved.loss.kind);
      expect(field('seed').defaultFor(training)).toBe(resolved.seed);
      expect(field('warmupEpochs').defaultFor(training)).toBe(resolved.schedule.warmupEpochs ?? 0);
    }
    expect(field('optimizer').defaultFor({})).toBe(resolveTrainOptions(untrained(), {}).optimizer.name);
  });
});
