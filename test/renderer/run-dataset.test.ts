/** Dataset specs as the run panel writes them, the options that fit a folder to the model, and preview pixels. */
import { describe, expect, it } from 'vitest';
import type { PreviewSample } from '../../engine/api/runs.js';
import { datasetOptionsFor, documentDataset, parseSpec, specFor, withDataset } from '../../renderer/src/run/dataset-spec.js';
import { sampleRgba } from '../../renderer/src/run/preview-pixels.js';
import { cnn } from './fixtures.js';

const untrained = () => {
  const { training: _t, ...rest } = cnn();
  return rest;
};

describe('dataset specs', () => {
  it('round-trips every kind through the spec strings the CLI takes', () => {
    expect(specFor('digits')).toBe('digits');
    expect(specFor('cifar10', '/data/c10')).toBe('cifar10:/data/c10');
    expect(parseSpec('cifar10:/data/c10')).toEqual({ kind: 'cifar10', dir: '/data/c10' });
    expect(parseSpec('events:/d/x:y')).toEqual({ kind: 'events', dir: '/d/x:y' });
    expect(parseSpec('fashion-mnist')).toEqual({ kind: 'fashion-mnist' });
    expect(parseSpec('/data/pets')).toEqual({ kind: 'detect', dir: '/data/pets' });
    expect(() => specFor('folder')).toThrow(/folder/);
  });

  it('saves the dataset in the training block, leaving the default out of a document that named none', () => {
    const doc = untrained();
    expect(documentDataset(doc)).toBe('digits');
    expect(withDataset(doc, 'digits')).toBe(doc);
    const fashion = withDataset(doc, 'fashion-mnist');
    expect(fashion.training).toEqual({ dataset: 'fashion-mnist' });
    expect(withDataset(fashion, 'fashion-mnist')).toBe(fashion);
    expect(withDataset(fashion, 'digits').training).toEqual({ dataset: 'digits' });
  });

  it('reads an image folder at the model’s input size and an event folder in T frames', () => {
    const doc = { ...untrained(), timeSteps: 8, input: { ...untrained().input, shape: [3, 32, 48] } };
    expect(datasetOptionsFor('folder:/pets', doc)).toEqual({ imageSize: [32, 48], channels: 3 });
    expect(datasetOptionsFor('events:/dvs', doc)).toEqual({ frames: 8 });
    expect(datasetOptionsFor('digits', doc)).toBeUndefined();
    expect(datasetOptionsFor('cifar10:/c', doc)).toBeUndefined();
  });
});

describe('preview pixels', () => {
  const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

  it('spreads grey pixels over RGB with full alpha, and keeps RGB as it is', () => {
    const grey: PreviewSample = { label: 1, className: '1', width: 2, height: 1, channels: 1, pixels: b64([0, 200]) };
    expect([...sampleRgba(grey)]).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
    const rgb: PreviewSample = { label: 0, className: 'cat', width: 1, height: 1, channels: 3, pixels: b64([10, 20, 30]) };
    expect([...sampleRgba(rgb)]).toEqual([10, 20, 30, 255]);
  });

  it('refuses a buffer that is not the size the sample claims', () => {
    expect(() => sampleRgba({ label: 0, className: '0', width: 2, height: 2, channels: 1, pixels: b64([1, 2, 3]) })).toThrow(/3 bytes, expected 4/);
  });
});
