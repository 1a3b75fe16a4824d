/**
 * A minimal zip reader, enough for numpy's `.npz` archives: it reads the central directory (the
 * authoritative list of entries and sizes — local headers may carry placeholders, and numpy writes
 * ZIP64 local headers even for tiny files), supports stored and deflated entries and ZIP64 sizes,
 * and checks every entry's CRC-32 so a damaged archive fails loudly instead of yielding wrong events.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import type { ByteReader } from './byte-reader.js';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const U32_MAX = 0xffffffff;

/** The entries listed in the archive's central directory, in directory order. */
export function listZipEntries(zip: ByteReader): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  let count = zip.u16le(eocd + 10, 'zip entry count');
  let cdOffset = zip.u32le(eocd + 16, 'zip central directory offset');
  if (count === 0xffff || cdOffset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || zip.u32le(locator, 'ZIP64 locator') !== ZIP64_LOCATOR_SIG) throw zip.fail(eocd, 'end record asks for ZIP64 but there is no ZIP64 locator before it');
    const eocd64 = zip.u64le(locator + 8, 'ZIP64 end record offset');
    if (zip.u32le(eocd64, 'ZIP64 end record') !== ZIP64_EOCD_SIG) throw zip.fail(eocd64, 'bad ZIP64 end record signature');
    count = zip.u64le(eocd64 + 32, 'ZIP64 entry count');
    cdOffset = zip.u64le(eocd64 + 48, 'ZIP64 central directory offset');
  }
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let k = 0; k < count; k++) {
    if (zip.u32le(at, `central directory entry ${k}`) !== CENTRAL_SIG) throw zip.fail(at, `bad signature of central directory entry ${k}`);
    const flags = zip.u16le(at + 8, 'entry flags');
    const method = zip.u16le(at + 10, 'entry compression method');
    const crc = zip.u32le(at + 16, 'entry CRC-32');
    let compressedSize = zip.u32le(at + 20, 'entry compressed size');
    let size = zip.u32le(at + 24, 'entry size');
    const nameLength = zip.u16le(at + 28, 'entry name length');
    const extraLength = zip.u16le(at + 30, 'entry extra length');
    const commentLength = zip.u16le(at + 32, 'entry comment length');
    let headerOffset = zip.u32le(at + 42, 'entry local header offset');
    const name = new TextDecoder().decode(zip.slice(at + 46, nameLength, 'entry name'));
    // ZIP64 extra field: the 64-bit values of exactly those fields saturated at 0xffffffff, in this order.
    const zip64 = findExtra(zip, at + 46 + nameLength, extraLength, 0x0001);
    if (zip64 !== undefined) {
      let p = zip64;
      if (size === U32_MAX) {
        size = zip.u64le(p, 'ZIP64 size');
        p += 8;
      }
      if (compressedSize === U32_MAX) {
        compressedSize = zip.u64le(p, 'ZIP64 compressed size');
        p += 8;
      }
      if (headerOffset === U32_MAX) headerOffset = zip.u64le(p, 'ZIP64 header offset');
    }
    if (flags & 1) throw zip.fail(at, `entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) throw zip.fail(at + 10, `entry "${name}" uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    entries.push({ name, method, compressedSize, size, crc, headerOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One archive entry inflated (an event recording's arrays are tens of MB). */
export const MAX_ZIP_ENTRY_BYTES = 1024 ** 3;
/** Deflate cannot compress better than about 1032:1; a directory that claims more lies. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The uncompressed bytes of `entry`, CRC-checked. The size the directory declares is checked
 * before inflating (against the limit and what deflate can reach from the compressed size), and
 * inflating stops at that size: an entry that inflates past it is refused, not followed.
 */
export function readZipEntry(zip: ByteReader, entry: ZipEntry): Uint8Array {
  const h = entry.headerOffset;
  if (entry.size > MAX_ZIP_ENTRY_BYTES) throw zip.fail(h, `entry "${clipName(entry.name)}" declares ${entry.size} bytes; the limit is ${MAX_ZIP_ENTRY_BYTES} per entry`);
  if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    throw zip.fail(h, `entry "${clipName(entry.name)}" declares ${entry.size} bytes from ${entry.compressedSize} compressed bytes, more than deflate can produce`);
  }
  if (zip.u32le(h, `local header of "${entry.name}"`) !== LOCAL_SIG) throw zip.fail(h, `bad local header signature of entry "${entry.name}"`);
  const dataAt = h + 30 + zip.u16le(h + 26, 'local name length') + zip.u16le(h + 28, 'local extra length');
  const raw = zip.slice(dataAt, entry.compressedSize, `the ${entry.compressedSize} compressed bytes of entry "${entry.name}"`);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw zip.fail(dataAt, `entry "${clipName(entry.name)}" inflates to more than the ${entry.size} bytes the directory declares`);
      throw zip.fail(dataAt, `entry "${clipName(entry.name)}": corrupt deflate data (${(e as Error).message})`);
    }
  }
  if (data.length !== entry.size) throw zip.fail(dataAt, `entry "${entry.name}" holds ${data.length} bytes, the directory says ${entry.size}`);
  const crc = crc32(data) >>> 0;
  if (crc !== entry.crc) throw zip.fail(dataAt, `entry "${entry.name}" fails its CRC-32 check (0x${hex(crc)}, expected 0x${hex(entry.crc)})`);
  return data;
}

function findEndOfCentralDirectory(zip: ByteReader): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes, so it sits near the end.
  const last = zip.length - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (zip.bytes[at] === 0x50 && zip.u32le(at, 'zip end record') === EOCD_SIG) return at;
  }
  throw zip.fail(Math.max(0, last), 'not a zip archive: no end-of-central-directory record in the last 64 KiB');
}

/** Offset of the data of extra field `id` in the extra block at [at, at + length), if present. */
function findExtra(zip: ByteReader, at: number, length: number, id: number): number | undefined {
  for (let p = at; p + 4 <= at + length; ) {
    const size = zip.u16le(p + 2, 'extra field size');
    if (zip.u16le(p, 'extra field id') === id) return p + 4;
    p += 4 + size;
  }
  return undefined;
}

function clipName(name: string): string {
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
