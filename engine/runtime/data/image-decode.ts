/**
 * PNG and JPEG files to RGBA pixels, recognised by their signature rather than their extension
 * (image folders gathered from the web often have mislabelled files).
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError } from './dataset.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Far above any photo a model is trained on; a header claiming more is a bomb or damage. */
export const MAX_IMAGE_SIDE = 16384;
/** 64 Mpx: 256 MiB as RGBA, which is what the decoders allocate. */
export const MAX_IMAGE_PIXELS = 2 ** 26;

export function decodeImage(file: string, bytes: Uint8Array): RgbaImage {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    checkSize(file, 'PNG', pngSize(bytes));
    return decodeWith(file, 'PNG', () => decodePng(bytes));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    checkSize(file, 'JPEG', jpegSize(bytes));
    return decodeWith(file, 'JPEG', () => decodeJpeg(bytes));
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DatasetError(file, `at byte 0: neither a PNG nor a JPEG file (starts with ${head || 'nothing'})`, 0);
}

/** The dimensions a header states are checked before the decoder allocates for them. */
function checkSize(file: string, format: string, size: { width: number; height: number; at: number } | undefined): void {
  if (!size) return; // no size found: the decoder reports the damage
  const { width, height, at } = size;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new DatasetError(file, `at byte ${at}: ${format} is ${width}×${height}; the limit is ${MAX_IMAGE_SIDE} per side`, at);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DatasetError(file, `at byte ${at}: ${format} is ${width}×${height} (${width * height} pixels); the limit is ${MAX_IMAGE_PIXELS} pixels`, at);
  }
}

/** Width and height from the IHDR chunk, which the format requires to come first. */
function pngSize(bytes: Uint8Array): { width: number; height: number; at: number } | undefined {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16, false), height: view.getUint32(20, false), at: 16 };
}

/** Width and height from the first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array): { width: number; height: number; at: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data or end before any frame header
    const length = view.getUint16(at + 2, false);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) return undefined;
      return { height: view.getUint16(at + 5, false), width: view.getUint16(at + 7, false), at: at + 5 };
    }
    at += 2 + length;
  }
  return undefined;
}

function decodeWith(file: string, format: string, decode: () => RgbaImage): RgbaImage {
  try {
    return decode();
  } catch (e) {
    // Neither decoder reports where it stopped; the file and the decoder's reason are what we have.
    throw new DatasetError(file, `corrupt ${format} (${errorMessage(e)})`);
  }
}

function decodePng(bytes: Uint8Array): RgbaImage {
  // pngjs expands every colour type and bit depth to 8-bit RGBA.
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}

function decodeJpeg(bytes: Uint8Array): RgbaImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
  return { width: img.width, height: img.height, data: img.data };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
