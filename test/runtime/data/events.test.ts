import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/core/rng.js';
import { encodeEvt, parseEventNpz, parseEvt, readEventFile, type EventStream } from '../../../engine/runtime/data/event-file.js';
import { loadEventFolder } from '../../../engine/runtime/data/event-folder.js';
import { frameByCount } from '../../../engine/runtime/data/event-frames.js';
import { openDataset } from '../../../engine/runtime/data/open-dataset.js';
import { eventNpz, npyBytes, pythonHas, runPython, tempDir, writeFile, zipBytes, type Events } from './fixtures.js';
import { skipping } from '../../helpers/skip.js';

const stream = (e: Events): EventStream => ({ x: Int32Array.from(e.x), y: Int32Array.from(e.y), t: Float64Array.from(e.t), p: Uint8Array.from(e.p) });

function randomEvents(rng: Rng, n: number, h: number, w: number): Events {
  const ev: Events = { x: [], y: [], t: [], p: [] };
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.int(50);
    ev.t.push(t);
    ev.x.push(rng.int(w));
    ev.y.push(rng.int(h));
    ev.p.push(rng.int(2));
  }
  return ev;
}

describe('framing events by count (SpikingJelly split_by="number")', () => {
  it('cuts N events into T slices of floor(N/T), the last taking the rest, counting per polarity and pixel', () => {
    const ev = stream({ x: [0, 2, 1, 1, 0], y: [0, 1, 1, 1, 0], t: [1, 2, 3, 4, 5], p: [1, 0, 1, 1, 0] });
    const f = frameByCount('e', ev, 2, [2, 3]);
    // [T=2][P=2][H=2][W=3]
    expect(Array.from(f)).toEqual([
      /* t0 OFF */ 0, 0, 0, 0, 0, 1,
      /* t0 ON  */ 1, 0, 0, 0, 0, 0,
      /* t1 OFF */ 1, 0, 0, 0, 0, 0,
      /* t1 ON  */ 0, 0, 0, 0, 2, 0,
    ]);
  });

  it('puts every event in the last frame when N < T, and sorts an out-of-order stream by time', () => {
    const few = frameByCount('e', stream({ x: [1, 1], y: [0, 0], t: [0, 1], p: [1, 1] }), 4, [1, 2]);
    expect(Array.from(few)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    const shuffled = frameByCount('e', stream({ x: [1, 0], y: [0, 0], t: [9, 1], p: [0, 0] }), 2, [1, 2]);
    expect(Array.from(shuffled)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('names the file and event of a coordinate outside the sensor', () => {
    expect(() => frameByCount('rec.npz', stream({ x: [0, 5], y: [0, 0], t: [0, 1], p: [0, 1] }), 1, [2, 4])).toThrow(
      'rec.npz: event 1 at (x=5, y=0) lies outside the 4x2 sensor',
    );
  });

  const numpy = pythonHas('numpy');
  it.skipIf(skipping("events: matches SpikingJelly's integrate_events_by_fixed_frames_number", numpy.ok ? null : numpy.reason))("matches SpikingJelly's integrate_events_by_fixed_frames_number (its code, run by numpy)", () => {
    const rng = Rng.fromSeed(7);
    const [h, w, T] = [5, 7, 6];
    const cases = [randomEvents(rng, 500, h, w), randomEvents(rng, 37, h, w), randomEvents(rng, 4, h, w)];
    // spikingjelly/datasets/__init__.py, verbatim apart from the driver at the end.
    const script = `
import json, sys, numpy as np
def integrate_events_segment_to_frame(x, y, p, H, W, j_l=0, j_r=-1):
    frame = np.zeros(shape=[2, H * W])
    x = x[j_l: j_r].astype(int)
    y = y[j_l: j_r].astype(int)
    p = p[j_l: j_r]
    mask = []
    mask.append(p == 0)
    mask.append(np.logical_not(mask[0]))
    for c in range(2):
        position = y[mask[c]] * W + x[mask[c]]
        events_number_per_pos = np.bincount(position)
        frame[c][np.arange(events_number_per_pos.size)] += events_number_per_pos
    return frame.reshape((2, H, W))
def cal_fixed_frames_number_segment_index(events_t, split_by, frames_num):
    j_l = np.zeros(shape=[frames_num], dtype=int)
    j_r = np.zeros(shape=[frames_num], dtype=int)
    N = events_t.size
    if split_by == 'number':
        di = N // frames_num
        for i in range(frames_num):
            j_l[i] = i * di
            j_r[i] = j_l[i] + di
        j_r[-1] = N
    return j_l, j_r
def integrate_events_by_fixed_frames_number(events, split_by, frames_num, H, W):
    t, x, y, p = (events[key] for key in ('t', 'x', 'y', 'p'))
    j_l, j_r = cal_fixed_frames_number_segment_index(t, split_by, frames_num)
    frames = np.zeros([frames_num, 2, H, W])
    for i in range(frames_num):
        frames[i] = integrate_events_segment_to_frame(x, y, p, H, W, j_l[i], j_r[i])
    return frames
out = []
for ev in json.load(sys.stdin):
    ev = {k: np.array(v) for k, v in ev.items()}
    out.append(integrate_events_by_fixed_frames_number(ev, 'number', ${T}, ${h}, ${w}).ravel().tolist())
print(json.dumps(out))`;
    const expected = JSON.parse(runPython(script, JSON.stringify(cases))) as number[][];
    cases.forEach((ev, k) => expect(Array.from(frameByCount('e', stream(ev), T, [h, w]))).toEqual(expected[k]));
  });
});

describe('event files', () => {
  const ev: Events = { x: [3, 0, 2], y: [1, 0, 1], t: [10, 20, 30], p: [1, 0, 1] };

  it('.npz with x, y, t, p arrays (stored or deflated), polarity -1 read as OFF', () => {
    for (const deflate of [false, true]) {
      const s = parseEventNpz('a.npz', eventNpz(ev, deflate));
      expect([Array.from(s.x), Array.from(s.y), Array.from(s.t), Array.from(s.p)]).toEqual([ev.x, ev.y, ev.t, ev.p]);
    }
    const signed = zipBytes(['t', 'x', 'y'].map((k) => ({ name: `${k}.npy`, data: npyBytes('<i8', ev[k as 'x']) })).concat({ name: 'p.npy', data: npyBytes('<i2', [1, -1, 1]) }));
    expect(Array.from(parseEventNpz('s.npz', signed).p)).toEqual([1, 0, 1]);
  });

  it('.npz lacking an array or with arrays of different lengths is refused by name', () => {
    const noP = zipBytes(['t', 'x', 'y'].map((k) => ({ name: `${k}.npy`, data: npyBytes('<i8', ev[k as 'x']) })));
    expect(() => parseEventNpz('n.npz', noP)).toThrow('n.npz: event archive lacks array(s) p (has t, x, y; expected x, y, t, p)');
    const uneven = zipBytes([...['t', 'x', 'p'].map((k) => ({ name: `${k}.npy`, data: npyBytes('<i8', ev[k as 'x']) })), { name: 'y.npy', data: npyBytes('<i8', [1]) }]);
    expect(() => parseEventNpz('u.npz', uneven)).toThrow('u.npz: array y holds 1 events but t holds 3');
  });

  it('.evt round-trips and reports a bad magic or a truncated record', () => {
    const bytes = encodeEvt({ ...stream(ev), sensorSize: [4, 5] });
    const back = parseEvt('a.evt', bytes);
    expect([Array.from(back.x), Array.from(back.y), Array.from(back.t), Array.from(back.p), back.sensorSize]).toEqual([ev.x, ev.y, ev.t, ev.p, [4, 5]]);
    expect(() => parseEvt('t.evt', bytes.subarray(0, 40))).toThrow('t.evt: truncated at byte 40: expected 64 bytes (3 events of 16 bytes after the 16-byte header)');
    const bad = bytes.slice();
    bad[0] = 0x41;
    expect(() => parseEvt('m.evt', bad)).toThrow('m.evt: at byte 0: bad magic: not an SNNEVT01 event file');
  });
});

describe('event folders', () => {
  const root = tempDir();
  const dir = join(root, 'gestures');
  const rng = Rng.fromSeed(3);
  const recordings = new Map<string, Events>();
  for (const cls of ['clap', 'wave']) {
    for (let k = 0; k < 3; k++) {
      const ev = randomEvents(rng, 40 + k, 6, 8);
      ev.x[0] = 7; // the largest coordinates appear, so the inferred sensor is 6x8
      ev.y[0] = 5;
      const file = join(dir, cls, k === 2 ? `r${k}.evt` : `r${k}.npz`);
      writeFile(file, k === 2 ? encodeEvt(stream(ev)) : eventNpz(ev, k === 1));
      recordings.set(file, ev);
    }
  }

  it('frames each recording into [T, 2, H, W] with classes from folder names and the sensor size inferred', () => {
    const ds = loadEventFolder(dir, { frames: 4, testFraction: 1 / 3 });
    expect(ds.kind).toBe('events');
    expect(ds.classes).toEqual(['clap', 'wave']);
    expect(ds.sampleShape).toEqual([4, 2, 6, 8]);
    expect([ds.train.length, ds.test.length]).toEqual([4, 2]);
    const { x, y } = ds.train.get(1);
    expect(y).toBe(1);
    const file = join(dir, 'wave', 'r0.npz');
    expect(Array.from(x)).toEqual(Array.from(frameByCount(file, readEventFile(file), 4, [6, 8])));
    expect(x.reduce((a, b) => a + b, 0)).toBe(40);
    expect(ds.test.get(0).x.reduce((a, b) => a + b, 0)).toBe(42); // r2.evt held out
  });

  it('opens through events:<dir> and by auto-detection, honouring frames and sensorSize', () => {
    const a = openDataset(`events:${dir}`, { frames: 3, sensorSize: [10, 12] });
    expect(a.sampleShape).toEqual([3, 2, 10, 12]);
    expect(openDataset(dir).sampleShape).toEqual([16, 2, 6, 8]);
  });

  it('a corrupt recording fails when read, naming the file', () => {
    const bad = join(root, 'bad');
    writeFile(join(bad, 'a', 'r.npz'), eventNpz({ x: [0], y: [0], t: [0], p: [0] }).subarray(0, 60));
    expect(() => loadEventFolder(bad, { sensorSize: [2, 2] }).train.get(0)).toThrow(new RegExp(`${join(bad, 'a', 'r.npz')}: at byte \\d+: not a zip archive`));
  });
});
