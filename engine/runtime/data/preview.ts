/**
 * What the run panel shows of a dataset before a run starts: its size, its classes and a grid of
 * samples spread over the classes, as 8-bit pixels. Event samples show their frames summed over
 * time, positive polarity red and negative blue, so a user sees the gesture, not a tensor.
 */
import type { DatasetPreview, PreviewSample } from '../../api/runs.js';
import type { Dataset, Sample } from './dataset.js';

export function previewDataset(spec: string, data: Dataset, count = 16): DatasetPreview {
  return {
    dataset: spec,
    name: data.name,
    trainSamples: data.train.length,
    testSamples: data.test.length,
    classes: [...data.classes],
    sampleShape: [...data.sampleShape],
    samples: spreadOverClasses(data, count).map((i) => toPreview(data, data.train.get(i))),
  };
}

/**
 * Indices of up to `count` training samples, a fair share from each class, ordered by class: a
 * grid of sixteen "0"s would tell the user nothing about the labels. Looks at about 20·count
 * samples scattered over the split, so a large image folder is not decoded whole to draw a preview.
 */
function spreadOverClasses(data: Dataset, count: number): number[] {
  const n = data.train.length;
  const want = Math.min(count, n);
  // a prime stride visits the split in a scattered order: datasets stored class by class, or in
  // periodic class patterns (the bundled digits), still show every class
  const stride = n % 7919 === 0 ? 7907 : 7919;
  const byClass = new Map<number, number[]>();
  for (let k = 0; k < Math.min(n, want * 20); k++) {
    const i = (k * stride) % n;
    const y = data.train.get(i).y;
    const bucket = byClass.get(y) ?? [];
    if (!byClass.has(y)) byClass.set(y, bucket);
    bucket.push(i);
  }
  // one of each class in turn, so every class shows before any shows twice
  const buckets = [...byClass.entries()].sort(([a], [b]) => a - b).map(([y, indices]) => ({ y, indices }));
  const picked: { i: number; y: number }[] = [];
  for (let round = 0; picked.length < want && buckets.some((b) => b.indices.length > round); round++) {
    for (const b of buckets) if (picked.length < want && b.indices.length > round) picked.push({ i: b.indices[round]!, y: b.y });
  }
  return picked.sort((a, b) => a.y - b.y || a.i - b.i).map((p) => p.i);
}

function toPreview(data: Dataset, s: Sample): PreviewSample {
  const label = { label: s.y, className: data.classes[s.y] ?? String(s.y) };
  const shape = data.sampleShape;
  if (data.kind === 'events') {
    const [T, P, H, W] = shape as [number, number, number, number];
    return { ...label, width: W, height: H, channels: 3, pixels: base64(eventImage(s.x, T, P, H, W)) };
  }
  const [C, H, W] = shape as [number, number, number];
  const channels = C === 1 ? 1 : 3;
  const out = new Uint8Array(H * W * channels);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < channels; c++) out[(y * W + x) * channels + c] = byte(s.x[c * H * W + y * W + x]!);
    }
  }
  return { ...label, width: W, height: H, channels, pixels: base64(out) };
}

/** Images are scaled to [0, 1] by every loader (dataset.ts). */
function byte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v * 255)));
}

function eventImage(x: Float32Array, T: number, P: number, H: number, W: number): Uint8Array {
  const sums = new Float64Array(P * H * W);
  for (let t = 0; t < T; t++) for (let i = 0; i < P * H * W; i++) sums[i]! += x[t * P * H * W + i]!;
  let max = 0;
  for (const v of sums) max = Math.max(max, v);
  const out = new Uint8Array(H * W * 3);
  for (let i = 0; i < H * W; i++) {
    out[i * 3] = max === 0 ? 0 : Math.round((255 * sums[i]!) / max);
    if (P > 1) out[i * 3 + 2] = max === 0 ? 0 : Math.round((255 * sums[H * W + i]!) / max);
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
