/**
 * Bounds-checked reads at absolute offsets of a file held in memory. Every binary parser in this
 * folder goes through it, so a short or damaged file always fails with the file name, the offset and
 * what was expected there, never with a RangeError from a DataView.
 */
import { DatasetError } from './dataset.js';

export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly file: string,
    readonly bytes: Uint8Array,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless bytes [at, at + n) exist; `what` names them in the error. */
  need(at: number, n: number, what: string): void {
    if (at + n > this.bytes.length) throw DatasetError.truncated(this.file, this.bytes.length, at + n, what);
  }

  u8(at: number, what: string): number {
    this.need(at, 1, what);
    return this.bytes[at]!;
  }

  u16le(at: number, what: string): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, true);
  }

  u32le(at: number, what: string): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, true);
  }

  u32be(at: number, what: string): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, false);
  }

  /** u64 as a JS number; sizes beyond 2^53 cannot describe a file we could hold in memory anyway. */
  u64le(at: number, what: string): number {
    this.need(at, 8, what);
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(at, `${what} is ${v}, larger than any file this reader can hold`);
    return Number(v);
  }

  /** A view (not a copy) of bytes [at, at + n). */
  slice(at: number, n: number, what: string): Uint8Array {
    this.need(at, n, what);
    return this.bytes.subarray(at, at + n);
  }

  /** An error located at byte `at` of this file. */
  fail(at: number, message: string): DatasetError {
    return new DatasetError(this.file, `at byte ${at}: ${message}`, at);
  }
}
