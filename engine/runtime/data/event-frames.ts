/**
 * Events to a fixed number of frames, split by event count: SpikingJelly's
 * `integrate_events_by_fixed_frames_number(split_by='number')`. The stream (in time order) is cut
 * into T slices of ⌊N/T⌋ events, the last slice taking the remainder, and frame[t][p][y][x] counts
 * the events of slice t at (x, y) with polarity p (0 = OFF, 1 = ON). Equal counts, not equal
 * durations, keep every frame informative when activity is bursty.
 */
import { DatasetError } from './dataset.js';
import type { EventStream } from './event-file.js';

/** Frames as float32 counts, laid out [T, 2, H, W]. `file` names the recording in errors. */
export function frameByCount(file: string, events: EventStream, frames: number, [height, width]: readonly [number, number]): Float32Array {
  const n = events.t.length;
  const plane = height * width;
  const out = new Float32Array(frames * 2 * plane);
  const order = timeOrder(events.t);
  const per = Math.floor(n / frames);
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const x = events.x[i]!;
    const y = events.y[i]!;
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new DatasetError(file, `event ${i} at (x=${x}, y=${y}) lies outside the ${width}x${height} sensor`);
    }
    const frame = per === 0 ? frames - 1 : Math.min(Math.floor(k / per), frames - 1);
    out[(frame * 2 + events.p[i]!) * plane + y * width + x]! += 1;
  }
  return out;
}

/** A stable time-sorting permutation, or undefined when the stream is already in time order (the usual case). */
function timeOrder(t: Float64Array): Int32Array | undefined {
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) sorted = t[i]! >= t[i - 1]!;
  if (sorted) return undefined;
  const order = Int32Array.from({ length: t.length }, (_, i) => i);
  return order.sort((a, b) => t[a]! - t[b]! || a - b);
}
