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

export function decodeImage(file: string, bytes: Uint8Array): RgbaImage {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return decodeWith(file, 'PNG', () => decodePng(bytes));
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeWith(file, 'JPEG', () => decodeJpeg(bytes));
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DatasetError(file, `at byte 0: neither a PNG nor a JPEG file (starts with ${head || 'nothing'})`, 0);
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
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  return { width: img.width, height: img.height, data: img.data };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
