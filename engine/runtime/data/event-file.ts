/**
 * Event-camera recordings (DVS, N-MNIST, …): a stream of events, each a pixel (x, y), a timestamp t
 * and a polarity p. Two file forms are read:
 *
 * - `.npz` with arrays `x`, `y`, `t`, `p` (SpikingJelly's layout for its converted datasets); any
 *   numeric dtypes; polarity p > 0 is ON, p <= 0 (0 or -1) is OFF.
 * - `.evt`, a flat little-endian binary form for tools that cannot write numpy:
 *
 *   | offset | size   | field                                                        |
 *   |--------|--------|--------------------------------------------------------------|
 *   | 0      | 8      | magic `SNNEVT01` (ASCII)                                     |
 *   | 8      | 4      | u32 event count N                                            |
 *   | 12     | 2      | u16 sensor width (0 if unknown)                              |
 *   | 14     | 2      | u16 sensor height (0 if unknown)                             |
 *   | 16     | 16 × N | records: f64 t, u16 x, u16 y, u8 p (0 OFF, 1 ON), 3 zero bytes |
 */
import { ByteReader } from './byte-reader.js';
import { DatasetError } from './dataset.js';
import { npyToFloat64 } from './npy.js';
import { parseNpz } from './npz.js';
import { readDataFile } from './read-file.js';

export const EVENT_EXTENSIONS = ['.npz', '.evt'] as const;

export interface EventStream {
  x: Int32Array;
  y: Int32Array;
  t: Float64Array;
  /** 0 = OFF, 1 = ON. */
  p: Uint8Array;
  /** [height, width] when the file states it. */
  sensorSize?: [number, number];
}

const EVT_MAGIC = 'SNNEVT01';
const EVT_HEADER = 16;
const EVT_RECORD = 16;

export function readEventFile(path: string): EventStream {
  const bytes = readDataFile(path);
  return path.toLowerCase().endsWith('.evt') ? parseEvt(path, bytes) : parseEventNpz(path, bytes);
}

export function parseEventNpz(file: string, bytes: Uint8Array): EventStream {
  const arrays = parseNpz(file, bytes);
  const missing = ['x', 'y', 't', 'p'].filter((k) => !arrays.has(k));
  if (missing.length > 0) {
    throw new DatasetError(file, `event archive lacks array(s) ${missing.join(', ')} (has ${[...arrays.keys()].join(', ') || 'none'}; expected x, y, t, p)`);
  }
  const [x, y, t, p] = (['x', 'y', 't', 'p'] as const).map((k) => npyToFloat64(arrays.get(k)!)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const n = t.length;
  for (const [k, a] of [['x', x], ['y', y], ['p', p]] as const) {
    if (a.length !== n) throw new DatasetError(file, `array ${k} holds ${a.length} events but t holds ${n}`);
  }
  checkTimestamps(file, t);
  return { x: Int32Array.from(x), y: Int32Array.from(y), t, p: Uint8Array.from(p, (v) => (v > 0 ? 1 : 0)) };
}

/** A NaN or infinite timestamp cannot be placed in a frame; binning it would silently drop or misplace events. */
function checkTimestamps(file: string, t: Float64Array, recordAt?: (i: number) => number): void {
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!)) {
      const where = recordAt ? `at byte ${recordAt(i)}: ` : '';
      throw new DatasetError(file, `${where}timestamp of event ${i} is ${t[i]}; timestamps must be finite numbers`, recordAt?.(i));
    }
  }
}

export function parseEvt(file: string, bytes: Uint8Array): EventStream {
  const evt = new ByteReader(file, bytes);
  const magic = String.fromCharCode(...evt.slice(0, 8, '.evt magic'));
  if (magic !== EVT_MAGIC) throw evt.fail(0, `bad magic: not an ${EVT_MAGIC} event file`);
  const n = evt.u32le(8, 'event count');
  const width = evt.u16le(12, 'sensor width');
  const height = evt.u16le(14, 'sensor height');
  evt.need(EVT_HEADER, n * EVT_RECORD, `${n} events of ${EVT_RECORD} bytes after the ${EVT_HEADER}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: EventStream = { x: new Int32Array(n), y: new Int32Array(n), t: new Float64Array(n), p: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const at = EVT_HEADER + i * EVT_RECORD;
    out.t[i] = view.getFloat64(at, true);
    out.x[i] = view.getUint16(at + 8, true);
    out.y[i] = view.getUint16(at + 10, true);
    out.p[i] = bytes[at + 12]! > 0 ? 1 : 0;
  }
  checkTimestamps(file, out.t, (i) => EVT_HEADER + i * EVT_RECORD);
  if (width > 0 && height > 0) out.sensorSize = [height, width];
  return out;
}

/** The `.evt` bytes of `events` (for converters and tests). */
export function encodeEvt(events: EventStream): Uint8Array {
  const n = events.t.length;
  const bytes = new Uint8Array(EVT_HEADER + n * EVT_RECORD);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = EVT_MAGIC.charCodeAt(i);
  view.setUint32(8, n, true);
  view.setUint16(12, events.sensorSize?.[1] ?? 0, true);
  view.setUint16(14, events.sensorSize?.[0] ?? 0, true);
  for (let i = 0; i < n; i++) {
    const at = EVT_HEADER + i * EVT_RECORD;
    view.setFloat64(at, events.t[i]!, true);
    view.setUint16(at + 8, events.x[i]!, true);
    view.setUint16(at + 10, events.y[i]!, true);
    bytes[at + 12] = events.p[i]!;
  }
  return bytes;
}
