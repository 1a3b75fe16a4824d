/**
 * An event dataset from a folder with one sub-folder per class holding `.npz` or `.evt`
 * recordings. Each sample is one recording framed into T frames by event count: [T, 2, H, W].
 *
 * Recordings are read and framed on every access (no cache: T×2×H×W float32 frames of a large DVS
 * dataset would not fit in memory); the batch loader's worker hides that cost from training.
 */
import { basename } from 'node:path';
import { listClassFolders } from './class-folders.js';
import { splitByClass, type SampleRef } from './class-split.js';
import { checkIndex, DatasetError, type Dataset, type Split } from './dataset.js';
import { EVENT_EXTENSIONS, readEventFile } from './event-file.js';
import { frameByCount } from './event-frames.js';

export interface EventFolderOptions {
  /** T, the number of frames per sample; default 16. */
  frames?: number;
  /**
   * [height, width] of the sensor. Default: stated by the `.evt` headers, else the largest
   * coordinates over all recordings plus one — which reads every file once, so pass it for big datasets.
   */
  sensorSize?: readonly [number, number];
  /** Fraction of each class (the last files by name) held out for testing; default 0.15. */
  testFraction?: number;
  name?: string;
}

export function loadEventFolder(dir: string, opts: EventFolderOptions = {}): Dataset {
  const frames = opts.frames ?? 16;
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`${dir}: frames must be a positive integer, got ${frames}`);
  const { classes, files } = listClassFolders(dir, EVENT_EXTENSIONS);
  const sensor = opts.sensorSize ?? inferSensorSize(dir, files.flat());
  const split = splitByClass(
    files.map((f) => f.length),
    opts.testFraction ?? 0.15,
  );
  const makeSplit = (name: string, refs: SampleRef[]): Split => ({
    length: refs.length,
    get(i) {
      checkIndex(name, i, refs.length);
      const { cls, index } = refs[i]!;
      const file = files[cls]![index]!;
      return { x: frameByCount(file, readEventFile(file), frames, sensor), y: cls };
    },
  });
  const name = opts.name ?? basename(dir);
  return {
    name,
    classes,
    sampleShape: [frames, 2, sensor[0], sensor[1]],
    kind: 'events',
    train: makeSplit(`${name}/train`, split.train),
    test: makeSplit(`${name}/test`, split.test),
  };
}

function inferSensorSize(dir: string, files: string[]): [number, number] {
  let height = 0;
  let width = 0;
  for (const file of files) {
    const events = readEventFile(file);
    if (events.sensorSize) {
      height = Math.max(height, events.sensorSize[0]);
      width = Math.max(width, events.sensorSize[1]);
      continue;
    }
    for (let i = 0; i < events.x.length; i++) {
      width = Math.max(width, events.x[i]! + 1);
      height = Math.max(height, events.y[i]! + 1);
    }
  }
  if (height === 0 || width === 0) throw new DatasetError(dir, 'cannot infer the sensor size: the recordings hold no events; pass sensorSize');
  return [height, width];
}
